/** `bayesprop ensemble`: would bootstrapped ensembles help? Single model vs seed vs bootstrap ensembles. */
import { Command, Option } from 'commander';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { filterClasses, limit, type Dataset } from '../../data/dataset.js';
import { Mlp } from '../../nn/mlp.js';
import { loadDataset, type DatasetName } from '../../node/datasets.js';
import { loadOodSet } from '../../node/oodSets.js';
import { trainInWorkers } from '../../node/pool.js';
import type { MemberJob, MemberResult } from '../../node/trainWorker.js';
import { tensor } from '../../tensor/tensor.js';
import { encodeModel } from '../../train/checkpoint.js';
import { predictLogits } from '../../train/train.js';
import { expectedCalibrationError } from '../../uncertainty/calibration.js';
import { oodMetrics } from '../../uncertainty/metrics.js';
import { ensembleScores, type EnsembleScores } from '../../uncertainty/scores.js';
import { parseOodSpec } from '../../uncertainty/spec.js';
import type { OodSetInput } from '../../uncertainty/analyze.js';
import { UsageError } from '../errors.js';
import { outputDir, writeFileAtomic } from '../io.js';
import { positiveInt, positiveNumber, seed } from '../parse.js';

interface EnsembleOptions {
  members: string;
  mode: 'bootstrap' | 'seeds' | 'both';
  data: DatasetName;
  limit?: string;
  testLimit?: string;
  hidden: string;
  epochs: string;
  batchSize: string;
  lr: string;
  seed: string;
  ood: string[];
  threads?: string;
  out?: string;
  json?: boolean;
  backend?: string;
}

export function ensembleCommand(): Command {
  return new Command('ensemble')
    .summary('train K members (bootstrap resamples or different seeds) and compare single model vs ensembles')
    .description(
      [
        "Trains ensemble members of the assignment's MLP in worker threads and evaluates, on the test set,",
        'accuracy, NLL and ECE of a single model, of an ensemble of K seeds (same data, different initial',
        'weights and shuffles) and of an ensemble of K bootstrap members (each trained on N draws with',
        'replacement from the N training images), and how well their uncertainty (entropy of the mean',
        'prediction, max-softmax, and for ensembles the mutual information) flags each OOD set.',
      ].join('\n'),
    )
    .option('--members <K>', 'members per ensemble', '5')
    .addOption(new Option('--mode <mode>', 'which ensembles to train').choices(['bootstrap', 'seeds', 'both']).default('both'))
    .addOption(new Option('--data <name>', 'the data set').choices(['mnist', 'fashion-mnist']).default('mnist'))
    .option('--limit <N>', 'only the first N training images')
    .option('--test-limit <N>', 'only the first N test images (and of each OOD set)')
    .option('--hidden <H>', 'hidden units', '256')
    .option('--epochs <E>', 'epochs per member', '10')
    .option('--batch-size <B>', 'mini-batch size', '128')
    .option('--lr <rate>', 'learning rate', '0.1')
    .option('--seed <n>', 'base seed: member k uses seed + k', '0')
    .option('--ood <spec>', 'an OOD set to test (repeatable; default fashion-mnist)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--threads <n>', 'worker threads (default: the cores available)')
    .option('--out <dir>', 'save the members (safetensors) and results.json here')
    .option('--json', 'print one JSON object on stdout')
    .addHelpText('after', ['', 'Examples:', '  $ bayesprop ensemble --members 5 --out runs/ensemble', '  $ bayesprop ensemble --members 3 --epochs 2 --limit 10000 --ood fashion-mnist --ood rotate:90 --json'].join('\n'))
    .action(async (options: EnsembleOptions) => {
      await runEnsemble(options);
    });
}

interface VariantResult {
  name: string;
  members: number;
  accuracy: number;
  nll: number;
  ece: number;
  ood: Array<{ spec: string; entropy: { auroc: number; fpr95: number }; msp: { auroc: number; fpr95: number }; mutualInformation: { auroc: number; fpr95: number } | null }>;
}

async function runEnsemble(o: EnsembleOptions): Promise<void> {
  const K = positiveInt('--members', o.members);
  if (K > 100) throw new UsageError(`--members: ${K} (must be at most 100)`);
  const hidden = positiveInt('--hidden', o.hidden);
  const epochs = positiveInt('--epochs', o.epochs);
  const batchSize = positiveInt('--batch-size', o.batchSize);
  const lr = positiveNumber('--lr', o.lr);
  const base = seed('--seed', o.seed);
  const trainLimit = o.limit === undefined ? undefined : positiveInt('--limit', o.limit);
  const testLimit = o.testLimit === undefined ? undefined : positiveInt('--test-limit', o.testLimit);
  const threads = o.threads === undefined ? availableParallelism() : positiveInt('--threads', o.threads);
  const oodTexts = o.ood.length > 0 ? o.ood : ['fashion-mnist'];
  const specs = oodTexts.map((t) => {
    try {
      return parseOodSpec(t);
    } catch (error) {
      throw new UsageError(`--ood: ${(error as Error).message.replace(/^spec: /, '')}`);
    }
  });
  const outDir = outputDir('--out', o.out);
  let testSet: Dataset = await loadDataset(o.data, 'test');
  if (testLimit !== undefined) testSet = limit(testSet, testLimit);
  const oodSets: OodSetInput[] = [];
  for (const s of specs) oodSets.push(await loadOodSet(s, testSet, base, testLimit));
  const common = { backend: o.backend ?? 'js', data: o.data, classes: null, hidden, epochs, batchSize, lr, ...(trainLimit === undefined ? {} : { limit: trainLimit }), ...(testLimit === undefined ? {} : { testLimit }) };
  const jobs: MemberJob[] = [];
  if (o.mode !== 'bootstrap') for (let k = 0; k < K; k++) jobs.push({ ...common, id: `seed-${base + k}`, seed: base + k, bootstrapSeed: null });
  else jobs.push({ ...common, id: `seed-${base}`, seed: base, bootstrapSeed: null }); // the single-model baseline
  if (o.mode !== 'seeds') for (let k = 0; k < K; k++) jobs.push({ ...common, id: `bootstrap-${k}`, seed: base + 1000 + k, bootstrapSeed: base + 2000 + k });
  const say = (s: string) => {
    if (!o.json) process.stderr.write(s + '\n');
  };
  say(`training ${jobs.length} members (${epochs} epochs each) in ${Math.min(threads, jobs.length)} worker threads…`);
  const results = await trainInWorkers(jobs, threads, (r, done) => say(`  ${done}/${jobs.length} ${r.id}: test accuracy ${(100 * r.testAccuracy).toFixed(2)}% (${r.seconds.toFixed(0)} s)`));
  const models = new Map<string, Mlp>();
  for (const r of results) models.set(r.id, toModel(r));
  if (outDir) for (const [id, m] of models) writeFileAtomic(join(outDir, `${id}.safetensors`), encodeModel(m, { member: id, epochs, seed: base }));
  const logitsOf = (m: Mlp, ds: Dataset) => ({ data: predictLogits(m, ds), rows: ds.count, cols: 10 });
  const evaluateVariant = (name: string, members: Mlp[]): VariantResult => {
    const inS = ensembleScores(members.map((m) => logitsOf(m, testSet)));
    const metrics = summary(inS, testSet);
    const ood = oodSets.map((set) => {
      const outS = ensembleScores(members.map((m) => logitsOf(m, set.dataset)));
      const pick = (k: 'entropy' | 'msp' | 'mutualInformation') => {
        const m = oodMetrics(inS[k], outS[k]);
        return { auroc: m.auroc, fpr95: m.fpr95 };
      };
      return { spec: set.spec, entropy: pick('entropy'), msp: pick('msp'), mutualInformation: members.length > 1 ? pick('mutualInformation') : null };
    });
    return { name, members: members.length, ...metrics, ood };
  };
  const variants: VariantResult[] = [evaluateVariant(`single model (seed ${base})`, [models.get(`seed-${base}`)!])];
  if (o.mode !== 'bootstrap') variants.push(evaluateVariant('seed ensemble', jobs.filter((j) => j.bootstrapSeed === null).map((j) => models.get(j.id)!)));
  if (o.mode !== 'seeds') variants.push(evaluateVariant('bootstrap ensemble', jobs.filter((j) => j.bootstrapSeed !== null).map((j) => models.get(j.id)!)));
  const output = { members: K, mode: o.mode, epochs, data: { name: o.data, train: trainLimit ?? 'all', test: testSet.count }, variants, memberAccuracy: results.map((r) => ({ id: r.id, testAccuracy: r.testAccuracy })) };
  if (outDir) writeFileAtomic(join(outDir, 'results.json'), JSON.stringify(output, null, 2) + '\n');
  if (o.json) {
    process.stdout.write(JSON.stringify(output) + '\n');
    return;
  }
  process.stdout.write(formatTable(variants) + '\n');
}

function summary(s: EnsembleScores, ds: Dataset): { accuracy: number; nll: number; ece: number } {
  let right = 0;
  let nll = 0;
  const correct: boolean[] = [];
  for (let i = 0; i < ds.count; i++) {
    const ok = s.predicted[i] === ds.labels[i];
    correct.push(ok);
    if (ok) right++;
    nll -= Math.log(Math.max(s.mean[i * 10 + ds.labels[i]!]!, 1e-300));
  }
  return { accuracy: right / ds.count, nll: nll / ds.count, ece: expectedCalibrationError(s.confidence, correct) };
}

function toModel(r: MemberResult): Mlp {
  const w = r.weights;
  return new Mlp({ inputs: 784, hidden: r.hidden, outputs: 10 }, tensor(w.W1, [784, r.hidden]), tensor(w.b1, [r.hidden]), tensor(w.W2, [r.hidden, 10]), tensor(w.b2, [10]));
}

function formatTable(variants: VariantResult[]): string {
  const lines = ['  model                      K   accuracy     NLL     ECE'];
  for (const v of variants) lines.push(`  ${v.name.padEnd(24)} ${String(v.members).padStart(3)}   ${(100 * v.accuracy).toFixed(2).padStart(7)}%  ${v.nll.toFixed(4)}  ${v.ece.toFixed(4)}`);
  const specs = variants[0]!.ood.map((x) => x.spec);
  for (const spec of specs) {
    lines.push('', `  OOD ${spec}: AUROC (FPR95)`, '  model                      entropy           msp               mutual information');
    for (const v of variants) {
      const x = v.ood.find((y) => y.spec === spec)!;
      const cell = (m: { auroc: number; fpr95: number } | null) => (m ? `${m.auroc.toFixed(4)} (${m.fpr95.toFixed(3)})` : '—').padEnd(18);
      lines.push(`  ${v.name.padEnd(24)}   ${cell(x.entropy)}${cell(x.msp)}${cell(x.mutualInformation)}`);
    }
  }
  return lines.join('\n');
}
