/** `bayesprop ood`: are the model's uncertainties useful to tell out-of-distribution inputs apart? */
import { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { filterClasses, imageSize, limit, type Dataset } from '../../data/dataset.js';
import { Random } from '../../math/random.js';
import { initMlp, type Mlp } from '../../nn/mlp.js';
import { loadDataset } from '../../node/datasets.js';
import { loadOodSet } from '../../node/oodSets.js';
import { imageGridSvg } from '../../plot/images.js';
import { reliabilitySpec, rocSpec, scoreHistogramSpec } from '../../plot/ood.js';
import { renderSvg } from '../../plot/render.js';
import { evaluate, train } from '../../train/train.js';
import { analyzeOod, rocCurves, SCORE_NAMES, topIndices, type OodDetails, type OodReport } from '../../uncertainty/analyze.js';
import { parseOodSpec, type OodSpec } from '../../uncertainty/spec.js';
import { UsageError } from '../errors.js';
import { outputDir, readModelFile, writeFileAtomic } from '../io.js';
import { positiveInt, seed } from '../parse.js';

interface OodOptions {
  model?: string;
  in: string;
  out: string[];
  assignment?: boolean;
  epochs: string;
  limit?: string;
  seed: string;
  bins: string;
  save?: string;
  json?: boolean;
}

export function oodCommand(): Command {
  return new Command('ood')
    .summary('out-of-distribution detection: AUROC, AUPR and FPR95 of each uncertainty score, calibration, image grids')
    .description(
      [
        'Scores every input of the in-distribution test set and of each OOD set by max-softmax probability,',
        'predictive entropy, energy and margin, and measures how well each score tells the two apart:',
        'AUROC, AUPR (in- and out-distribution as positive) and the FPR at 95% TPR. Also the',
        'in-distribution accuracy and expected calibration error, and the accuracy on OOD sets whose',
        'labels mean the model\'s classes (mnist:3, rotations, noise, blur, inversion).',
        '',
        'OOD specs: mnist:CLASSES (e.g. mnist:3), fashion-mnist, rotate:DEG, noise:SIGMA, invert, blur:PX,',
        'uniform, idx:DIR (the test split of an IDX folder).',
        '',
        '--assignment runs the notebook\'s experiment in its two readings: (a) a model trained only on 1s',
        'and 6s; (b) the 10-class model trained 10 epochs, then 10 more on 1s and 6s only; each tested on',
        '1s/6s and on 3s (several minutes on the js backend).',
      ].join('\n'),
    )
    .option('--model <model.safetensors>', 'the model to test (for --assignment: an already trained 10-class model for reading (b))')
    .option('--in <spec>', 'in-distribution test set: mnist, mnist:CLASSES or fashion-mnist', 'mnist')
    .option('--out <spec>', 'an OOD set (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--assignment', "run the assignment's 1s-and-6s experiment end to end")
    .option('--epochs <E>', 'with --assignment: epochs of each training phase', '10')
    .option('--limit <N>', 'at most N images per test set (and, with --assignment, per training set)')
    .option('--seed <n>', 'seed of noise sets and of --assignment training', '0')
    .option('--bins <B>', 'bins of the expected calibration error', '15')
    .option('--save <dir>', 'write histograms, ROC curves, a reliability diagram and image grids here')
    .option('--json', 'print one JSON object on stdout')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ bayesprop ood --model runs/mnist/model.safetensors --out fashion-mnist --out rotate:90 --out uniform',
        '  $ bayesprop ood --model runs/mnist/model.safetensors --out fashion-mnist --save runs/ood --json',
        '  $ bayesprop ood --assignment --model runs/mnist/model.safetensors --save runs/assignment',
      ].join('\n'),
    )
    .action(async (options: OodOptions) => {
      if (options.assignment) await runAssignment(options);
      else await runOod(options);
    });
}

function spec(flag: string, text: string): OodSpec {
  try {
    return parseOodSpec(text);
  } catch (error) {
    throw new UsageError(`${flag}: ${(error as Error).message.replace(/^spec: /, '')}`);
  }
}

async function loadIn(text: string, max: number | undefined): Promise<Dataset> {
  const s = spec('--in', text);
  if (s.kind !== 'dataset') throw new UsageError(`--in: ${JSON.stringify(text)} (must be mnist, mnist:CLASSES, fashion-mnist or fashion-mnist:CLASSES)`);
  let ds = await loadDataset(s.name, 'test');
  if (s.classes) ds = filterClasses(ds, s.classes);
  return max === undefined ? ds : limit(ds, max);
}

const slug = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'set';

/** Histograms, ROC curves, reliability diagram and image grids for a report. */
async function saveFigures(dir: string, report: OodReport, details: OodDetails, inSet: Dataset, outSets: Dataset[]): Promise<string[]> {
  const files: Array<[string, string]> = [];
  const tile = (ds: Dataset, i: number, entropy: number, predicted: number) => ({
    pixels: ds.images.subarray(i * imageSize(ds), (i + 1) * imageSize(ds)),
    caption: `pred ${predicted} · H ${entropy.toFixed(2)}`,
  });
  const grid = (ds: Dataset, scores: OodDetails['inScores'], indices: number[], title: string) =>
    imageGridSvg(
      indices.map((i) => tile(ds, i, scores.entropy[i]!, scores.predicted[i]!)),
      { rows: ds.rows, cols: ds.cols, title },
    );
  files.push(['reliability-in.svg', await renderSvg(reliabilitySpec(report.reliability, `Reliability on ${inSet.name} (ECE ${report.ece.toFixed(4)})`))]);
  files.push(['uncertain-in.svg', grid(inSet, details.inScores, topIndices(details.inScores.entropy, 24), `Most uncertain in-distribution inputs (${inSet.name})`)]);
  for (const [k, o] of report.out.entries()) {
    const s = details.outScores[k]!;
    const name = slug(o.spec);
    const titles: Record<(typeof SCORE_NAMES)[number], string> = { msp: '1 − max softmax probability', entropy: 'predictive entropy', energy: 'energy (−logsumexp of logits)', margin: '−margin (top-2 gap)' };
    for (const score of SCORE_NAMES) {
      files.push([`hist-${score}-${name}.svg`, await renderSvg(scoreHistogramSpec(titles[score], [{ label: `in: ${inSet.name}`, scores: details.inScores[score] }, { label: `out: ${o.spec}`, scores: s[score] }]))]);
    }
    const curves = rocCurves(details, k).map((c) => ({ label: `${c.score} (AUROC ${o.scores[c.score].auroc.toFixed(3)})`, points: c.points }));
    files.push([`roc-${name}.svg`, await renderSvg(rocSpec(curves, `ROC: ${o.spec} against ${inSet.name}`))]);
    files.push([`uncertain-${name}.svg`, grid(outSets[k]!, s, topIndices(s.entropy, 24), `Most uncertain OOD inputs (${o.spec})`)]);
    files.push([`confident-${name}.svg`, grid(outSets[k]!, s, topIndices(s.entropy, 24, false), `Most confident OOD inputs (${o.spec}): confidently wrong`)]);
  }
  for (const [name, content] of files) writeFileAtomic(join(dir, name), content);
  return files.map(([n]) => n);
}

async function runOod(o: OodOptions): Promise<void> {
  if (o.model === undefined) throw new UsageError('--model: missing (required unless --assignment)');
  if (o.out.length === 0) throw new UsageError('--out: missing (give at least one OOD set, e.g. --out fashion-mnist)');
  const specs = o.out.map((t) => spec('--out', t));
  const max = o.limit === undefined ? undefined : positiveInt('--limit', o.limit);
  const seedValue = seed('--seed', o.seed);
  const bins = positiveInt('--bins', o.bins);
  const save = outputDir('--save', o.save);
  const model = readModelFile('--model', o.model).model;
  const inSet = await loadIn(o.in, max);
  const outs = [];
  for (const s of specs) outs.push(await loadOodSet(s, inSet, seedValue, max));
  const { report, details } = analyzeOod(model, inSet, outs, { bins });
  const files = save ? await saveFigures(save, report, details, inSet, outs.map((x) => x.dataset)) : [];
  const json = {
    inAccuracy: report.inAccuracy,
    meanEntropyIn: report.meanEntropyIn,
    ece: report.ece,
    temperatureScaling: report.temperatureScaling,
    in: report.in,
    out: report.out,
    reliability: report.reliability,
  };
  if (o.json) {
    process.stdout.write(JSON.stringify(json) + '\n');
    return;
  }
  process.stdout.write(formatReport(report) + (save ? `\nwrote ${files.length} files to ${save}\n` : ''));
}

const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(2)}%`);

function formatReport(r: OodReport): string {
  const lines = [
    `in-distribution: ${r.in.name} (${r.in.count} images): accuracy ${pct(r.inAccuracy)}, mean entropy ${r.meanEntropyIn.toFixed(4)}, ECE ${r.ece.toFixed(4)}`,
  ];
  const t = r.temperatureScaling;
  if (t) lines.push(`temperature scaling: T = ${t.temperature.toFixed(3)} fitted on ${t.fittedOn} test images; ECE of the other ${t.evaluatedOn}: ${t.eceBefore.toFixed(4)} before, ${t.eceAfter.toFixed(4)} after`);
  lines.push('', '  OOD set              n      accuracy  mean H   score    AUROC   AUPR-in  AUPR-out  FPR95');
  for (const o of r.out) {
    SCORE_NAMES.forEach((name, i) => {
      const m = o.scores[name];
      const head = i === 0 ? `  ${o.spec.padEnd(18)} ${String(o.count).padStart(6)}  ${pct(o.accuracy).padStart(8)}  ${o.meanEntropy.toFixed(3).padStart(6)}` : ' '.repeat(2 + 18 + 1 + 6 + 2 + 8 + 2 + 6);
      lines.push(`${head}   ${name.padEnd(7)}  ${m.auroc.toFixed(4)}  ${m.aupr_in.toFixed(4)}   ${m.aupr_out.toFixed(4)}   ${m.fpr95.toFixed(4)}`);
    });
  }
  lines.push('', 'Scores are oriented "higher = more likely OOD" (msp is 1 − max probability, margin is negated).');
  return lines.join('\n') + '\n';
}

interface ReadingResult {
  reading: string;
  description: string;
  accuracyOnesSixes: number;
  accuracyThrees: number;
  /** Accuracy on the whole 10-class test set (reading b). */
  accuracyFullTest: number | null;
  /** What the 3s are predicted as: counts per class. */
  threesPredictedAs: number[];
  meanEntropyOnesSixes: number;
  meanEntropyThrees: number;
  entropyAuroc: number;
  scores: OodReport['out'][number]['scores'];
  reading_text: string;
}

async function runAssignment(o: OodOptions): Promise<void> {
  const epochs = positiveInt('--epochs', o.epochs);
  const max = o.limit === undefined ? undefined : positiveInt('--limit', o.limit);
  const seedValue = seed('--seed', o.seed);
  const save = outputDir('--save', o.save);
  const pretrained = o.model === undefined ? undefined : readModelFile('--model', o.model).model;
  if (pretrained && pretrained.shape.outputs !== 10) throw new UsageError(`--model: ${JSON.stringify(o.model)} (reading (b) needs a 10-class model)`);
  const cap = (ds: Dataset) => (max === undefined ? ds : limit(ds, max));
  const trainAll = cap(await loadDataset('mnist', 'train'));
  const testAll = await loadDataset('mnist', 'test');
  const train16 = cap(filterClasses(await loadDataset('mnist', 'train'), [1, 6]));
  const test16 = cap(filterClasses(testAll, [1, 6]));
  const test3 = cap(filterClasses(testAll, [3]));
  const config = { epochs, batchSize: 128, lr: 0.1, seed: seedValue, loss: 'assignment' as const };
  const say = (s: string) => {
    if (!o.json) process.stderr.write(s + '\n');
  };
  const readings: ReadingResult[] = [];
  const analyse = async (model: Mlp, reading: string, description: string, fullTest: number | null) => {
    const { report, details } = analyzeOod(model, test16, [{ spec: 'mnist:3', dataset: test3, labelsMeaningful: true }]);
    const three = report.out[0]!;
    const result: ReadingResult = {
      reading,
      description,
      accuracyOnesSixes: report.inAccuracy,
      accuracyThrees: three.accuracy!,
      accuracyFullTest: fullTest,
      threesPredictedAs: three.predictedAs,
      meanEntropyOnesSixes: report.meanEntropyIn,
      meanEntropyThrees: three.meanEntropy,
      entropyAuroc: three.scores.entropy.auroc,
      scores: three.scores,
      reading_text: '',
    };
    result.reading_text = plainReading(result);
    readings.push(result);
    if (save) {
      const sub = join(save, reading);
      mkdirSync(sub, { recursive: true });
      await saveFigures(sub, report, details, test16, [test3]);
    }
  };
  // (a) Trained on 1s and 6s only.
  say(`(a) training on 1s and 6s only (${train16.count} images, ${epochs} epochs)…`);
  const a = initMlp({ inputs: 784, hidden: 256, outputs: 10 }, new Random(seedValue));
  train(a, train16, test16, config);
  await analyse(a, 'a', 'trained only on 1s and 6s', null);
  // (b) The 10-class model, then more epochs on 1s and 6s.
  let b: Mlp;
  if (pretrained) b = pretrained;
  else {
    say(`(b) training the 10-class model (${trainAll.count} images, ${epochs} epochs)…`);
    b = initMlp({ inputs: 784, hidden: 256, outputs: 10 }, new Random(seedValue));
    train(b, trainAll, testAll, config);
  }
  const before = evaluate(b, testAll).accuracy;
  say(`(b) 10-class model: ${pct(before)} on the full test set; ${epochs} more epochs on 1s and 6s…`);
  train(b, train16, test16, config);
  const after = evaluate(b, testAll).accuracy;
  await analyse(b, 'b', `10-class model (${pct(before)} on the full test set), then ${epochs} epochs on 1s and 6s only`, after);
  const result = { epochs, seed: seedValue, readings };
  if (o.json) {
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }
  const lines: string[] = [];
  for (const r of readings) {
    lines.push(`(${r.reading}) ${r.description}`);
    lines.push(`    accuracy on test 1s/6s ${pct(r.accuracyOnesSixes)}, on test 3s ${pct(r.accuracyThrees)}${r.accuracyFullTest === null ? '' : `, on the full test set ${pct(r.accuracyFullTest)}`}`);
    lines.push(`    3s predicted as: ${r.threesPredictedAs.map((c, k) => (c > 0 ? `${k}: ${c}` : '')).filter(Boolean).join(', ')}`);
    lines.push(`    mean entropy: 1s/6s ${r.meanEntropyOnesSixes.toFixed(4)}, 3s ${r.meanEntropyThrees.toFixed(4)} (nats; max ln 10 = 2.3026)`);
    lines.push(`    AUROC of 3s against 1s/6s: entropy ${r.scores.entropy.auroc.toFixed(4)}, msp ${r.scores.msp.auroc.toFixed(4)}, energy ${r.scores.energy.auroc.toFixed(4)}; FPR95 (entropy) ${r.scores.entropy.fpr95.toFixed(4)}`);
    lines.push(`    ${r.reading_text}`, '');
  }
  if (save) lines.push(`figures in ${save}/a and ${save}/b`);
  process.stdout.write(lines.join('\n') + '\n');
}

/** A short plain-language reading of one experiment's numbers. */
function plainReading(r: ReadingResult): string {
  const top = r.threesPredictedAs.map((c, k) => ({ c, k })).sort((x, y) => y.c - x.c).slice(0, 2);
  const total = r.threesPredictedAs.reduce((s, c) => s + c, 0);
  const parts = [
    `The model gets ${pct(r.accuracyOnesSixes)} of the 1s and 6s right and ${pct(r.accuracyThrees)} of the 3s;`,
    `most 3s are called ${top.map((t) => `${t.k} (${Math.round((100 * t.c) / total)}%)`).join(' or ')}.`,
  ];
  const ratio = r.meanEntropyThrees / Math.max(r.meanEntropyOnesSixes, 1e-12);
  parts.push(`The 3s carry ${ratio.toFixed(1)}× the mean entropy of the 1s and 6s,`);
  const auc = r.entropyAuroc;
  const verdict = auc >= 0.95 ? 'separates them almost perfectly' : auc >= 0.85 ? 'separates them well' : auc >= 0.7 ? 'separates them only partly' : 'hardly separates them';
  parts.push(`and entropy ${verdict} (AUROC ${auc.toFixed(3)}; at 95% of 1s/6s accepted, ${pct(r.scores.entropy.fpr95)} of 3s slip through).`);
  if (r.accuracyFullTest !== null) parts.push(`After the extra epochs the full test accuracy is ${pct(r.accuracyFullTest)}: forgetting of the other digits is ${r.accuracyFullTest > 0.5 ? 'partial' : 'severe'}.`);
  return parts.join(' ');
}
