/** `bayesprop attack` and `bayesprop corrupt`: input and scanner attacks on the zip-code reader. */
import { Command, Option } from 'commander';
import { join } from 'node:path';
import { imageSize, limit, type Dataset } from '../../data/dataset.js';
import { loadDataset } from '../../node/datasets.js';
import { imageGridSvg, type Tile } from '../../plot/images.js';
import { attackCurveSpec, linesSpec } from '../../plot/threats.js';
import { renderSvg } from '../../plot/render.js';
import { attackCurve, zipCodes, type AttackRun } from '../../threats/evaluate.js';
import { corrupt, CORRUPTIONS, type Corruption } from '../../threats/corruptions.js';
import { evaluate } from '../../train/train.js';
import { UsageError } from '../errors.js';
import { outputDir, readModelFile, writeFileAtomic } from '../io.js';
import { count, numberList, positiveInt, seed } from '../parse.js';

interface AttackOptions {
  model: string;
  method: 'fgsm' | 'pgd';
  eps: string;
  target?: string;
  steps: string;
  stepSize?: string;
  limit: string;
  zip: string;
  seed: string;
  save?: string;
  json?: boolean;
}

export function attackCommand(): Command {
  return new Command('attack')
    .summary('adversarial examples (FGSM, PGD): robust accuracy, attack success and rerouted zip codes against ε')
    .description(
      [
        'The envelope attack: an adversary changes the digits before scanning within an L∞ budget ε',
        '(pixels in [0, 1]). FGSM takes one signed-gradient step; PGD takes --steps steps of --step-size',
        'from a random start, projected back onto the ε-ball. With --target D every digit is pushed to read',
        'as D. Zip codes of 5 test digits are rerouted when any digit is misread.',
      ].join('\n'),
    )
    .requiredOption('--model <model.safetensors>', 'the model to attack')
    .addOption(new Option('--method <method>', 'attack').choices(['fgsm', 'pgd']).default('fgsm'))
    .option('--eps <list>', 'the budgets ε, comma-separated', '0,0.05,0.1,0.15,0.2,0.3')
    .option('--target <D>', 'targeted attack: make every digit read as D')
    .option('--steps <K>', 'PGD steps', '10')
    .option('--step-size <α>', 'PGD step size (default 2.5·ε/K)')
    .option('--limit <N>', 'attack the first N test images', '1000')
    .option('--zip <N>', 'zip codes to compose from the attacked digits', '1000')
    .option('--seed <n>', 'seed of PGD starts and zip codes', '0')
    .option('--save <dir>', 'write the curves, example grids and one zip code before/after')
    .option('--json', 'print one JSON object on stdout')
    .addHelpText('after', ['', 'Examples:', '  $ bayesprop attack --model runs/mnist/model.safetensors --eps 0,0.05,0.1,0.2', '  $ bayesprop attack --model runs/mnist/model.safetensors --method pgd --target 7 --save runs/attack --json'].join('\n'))
    .action(async (o: AttackOptions) => {
      const epsList = numberList('--eps', o.eps, 1);
      let target: number | undefined;
      if (o.target !== undefined) {
        target = count('--target', o.target);
        if (target > 9) throw new UsageError(`--target: ${target} (must be a digit 0-9)`);
      }
      const steps = positiveInt('--steps', o.steps);
      const stepSize = o.stepSize === undefined ? undefined : numberList('--step-size', o.stepSize, 1)[0];
      const n = positiveInt('--limit', o.limit);
      const zipCount = positiveInt('--zip', o.zip);
      const seedValue = seed('--seed', o.seed);
      const save = outputDir('--save', o.save);
      const { model } = readModelFile('--model', o.model);
      const ds = limit(await loadDataset('mnist', 'test'), n);
      const run = attackCurve(model, ds, { method: o.method, epsList, seed: seedValue, steps, ...(target === undefined ? {} : { target }), ...(stepSize === undefined ? {} : { stepSize }) });
      const zip = zipCodes(run, zipCount, seedValue);
      if (save) await saveAttackFigures(save, run, zip, ds);
      const out = { method: o.method, target: target ?? null, count: run.count, results: run.results, zipCodes: zip.results };
      if (o.json) {
        process.stdout.write(JSON.stringify(out) + '\n');
        return;
      }
      const lines = [`${o.method.toUpperCase()}${target === undefined ? ' (untargeted)' : ` (target ${target})`} on ${run.count} MNIST test digits; ${zipCount} zip codes`, '', '      ε   clean acc   robust acc   success   zip codes rerouted'];
      run.results.forEach((r, i) => lines.push(`  ${r.eps.toFixed(3).padStart(5)}   ${(100 * r.cleanAccuracy).toFixed(2).padStart(8)}%   ${(100 * r.robustAccuracy).toFixed(2).padStart(9)}%   ${(100 * r.successRate).toFixed(2).padStart(6)}%   ${(100 * zip.results[i]!.rerouted).toFixed(2).padStart(8)}%`));
      if (save) lines.push('', `wrote figures to ${save}`);
      process.stdout.write(lines.join('\n') + '\n');
    });
}

const toBytes = (x: Float32Array) => Uint8Array.from(x, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));

async function saveAttackFigures(dir: string, run: AttackRun, zip: ReturnType<typeof zipCodes>, ds: Dataset): Promise<void> {
  const pixels = imageSize(ds);
  writeFileAtomic(join(dir, 'attack-curves.svg'), await renderSvg(attackCurveSpec(run.method, run.results, zip.results)));
  // Examples at the largest ε: original, perturbation (scaled to the full grey range), adversarial.
  const last = run.adversarial[run.adversarial.length - 1]!;
  const tiles: Tile[] = [];
  for (let i = 0; i < Math.min(8, run.count); i++) {
    const x = run.clean.images.subarray(i * pixels, (i + 1) * pixels);
    const a = last.images.subarray(i * pixels, (i + 1) * pixels);
    const scale = last.eps > 0 ? 127 / last.eps : 0;
    tiles.push({ pixels: toBytes(x), caption: `label ${run.clean.labels[i]} · read ${run.clean.predicted[i]}` });
    tiles.push({ pixels: Uint8Array.from(a, (v, p) => Math.round(128 + scale * (v - x[p]!))), caption: `perturbation ×${(1 / Math.max(last.eps, 1e-9)).toFixed(0)}` });
    tiles.push({ pixels: toBytes(a), caption: `adversarial · read ${last.predicted[i]}` });
  }
  writeFileAtomic(join(dir, 'attack-examples.svg'), imageGridSvg(tiles, { rows: ds.rows, cols: ds.cols, columns: 6, title: `${run.method.toUpperCase()} at ε = ${last.eps}: original, perturbation, adversarial` }));
  // Zip code 0 before and after.
  const code = Array.from(zip.codes.subarray(0, 5));
  const before = code.map((i) => ({ pixels: toBytes(run.clean.images.subarray(i * pixels, (i + 1) * pixels)), caption: `read ${run.clean.predicted[i]}` }));
  const after = code.map((i) => ({ pixels: toBytes(last.images.subarray(i * pixels, (i + 1) * pixels)), caption: `read ${last.predicted[i]}` }));
  const truth = code.map((i) => run.clean.labels[i]).join('');
  const read = code.map((i) => last.predicted[i]).join('');
  writeFileAtomic(join(dir, 'zip-code.svg'), imageGridSvg([...before, ...after], { rows: ds.rows, cols: ds.cols, columns: 5, title: `zip code ${truth}: clean (top), ε = ${last.eps} (bottom) reads ${read}` }));
}

interface CorruptOptions {
  model: string;
  kind: string;
  severity: string;
  limit?: string;
  seed: string;
  save?: string;
  json?: boolean;
}

export function corruptCommand(): Command {
  return new Command('corrupt')
    .summary('scanner attacks and faults: accuracy against the severity of a corruption')
    .description(
      [
        'The hardware threat: a tampered or failing scanner. Kinds (severity meaning): noise (σ, pixel scale),',
        'blur (σ in pixels), brightness (added), contrast (fraction of contrast lost), dead-rows (fraction of',
        'rows read as black), stuck-columns (fraction of columns read as white), pattern (amplitude of a fixed',
        '±1 pattern added to every scan). --kind all runs every kind.',
      ].join('\n'),
    )
    .requiredOption('--model <model.safetensors>', 'the model to test')
    .option('--kind <kind>', `${CORRUPTIONS.join(', ')} or all`, 'all')
    .option('--severity <list>', 'severities, comma-separated', '0,0.1,0.2,0.3,0.5')
    .option('--limit <N>', 'only the first N test images')
    .option('--seed <n>', 'seed of the noise and of the dead rows, stuck columns and pattern', '0')
    .option('--save <dir>', 'write the accuracy curves')
    .option('--json', 'print one JSON object on stdout')
    .addHelpText('after', ['', 'Examples:', '  $ bayesprop corrupt --model runs/mnist/model.safetensors', '  $ bayesprop corrupt --model runs/mnist/model.safetensors --kind dead-rows --severity 0,0.1,0.25,0.5 --json'].join('\n'))
    .action(async (o: CorruptOptions) => {
      const kinds: Corruption[] = o.kind === 'all' ? [...CORRUPTIONS] : [o.kind as Corruption];
      if (!kinds.every((k) => (CORRUPTIONS as readonly string[]).includes(k))) throw new UsageError(`--kind: ${JSON.stringify(o.kind)} (must be one of ${CORRUPTIONS.join(', ')} or all)`);
      const severities = numberList('--severity', o.severity, 100);
      const seedValue = seed('--seed', o.seed);
      const save = outputDir('--save', o.save);
      const { model } = readModelFile('--model', o.model);
      let ds = await loadDataset('mnist', 'test');
      if (o.limit !== undefined) ds = limit(ds, positiveInt('--limit', o.limit));
      const results = kinds.map((kind) => ({
        kind,
        results: severities.map((severity) => ({ severity, accuracy: evaluate(model, corrupt(ds, kind, severity, seedValue)).accuracy })),
      }));
      if (save) {
        const points = results.flatMap((r) => r.results.map((x) => ({ x: x.severity, y: x.accuracy, series: r.kind })));
        writeFileAtomic(join(save, 'corruptions.svg'), await renderSvg(linesSpec('Accuracy against scanner corruption', 'severity', 'test accuracy', points)));
      }
      if (o.json) {
        process.stdout.write(JSON.stringify({ count: ds.count, kinds: results }) + '\n');
        return;
      }
      const lines = [`accuracy on ${ds.count} MNIST test digits against the severity of each corruption`, '', `  ${'kind'.padEnd(14)}${severities.map((s) => String(s).padStart(9)).join('')}`];
      for (const r of results) lines.push(`  ${r.kind.padEnd(14)}${r.results.map((x) => `${(100 * x.accuracy).toFixed(1)}%`.padStart(9)).join('')}`);
      process.stdout.write(lines.join('\n') + '\n');
    });
}

interface ZipOptions {
  model: string;
  method: 'fgsm' | 'pgd';
  eps: string;
  count: string;
  limit: string;
  seed: string;
  save?: string;
  json?: boolean;
}

export function zipcodesCommand(): Command {
  return new Command('zipcodes')
    .summary('the zip-code scenario: 5-digit codes of test digits, the share rerouted at each ε')
    .description('Composes --count zip codes of 5 MNIST test digits each (seeded), attacks the digits, and reports the share of codes read wrong (rerouted) at each ε. --save draws one code before and after.')
    .requiredOption('--model <model.safetensors>', 'the model that reads the codes')
    .addOption(new Option('--method <method>', 'attack').choices(['fgsm', 'pgd']).default('fgsm'))
    .option('--eps <list>', 'the budgets ε, comma-separated', '0,0.05,0.1,0.2')
    .option('--count <N>', 'zip codes', '1000')
    .option('--limit <N>', 'test digits to draw the codes from', '2000')
    .option('--seed <n>', 'seed', '0')
    .option('--save <dir>', 'write zip-code.svg (one code clean and attacked) and the curves')
    .option('--json', 'print one JSON object on stdout')
    .addHelpText('after', ['', 'Example:', '  $ bayesprop zipcodes --model runs/mnist/model.safetensors --eps 0,0.05,0.1'].join('\n'))
    .action(async (o: ZipOptions) => {
      const epsList = numberList('--eps', o.eps, 1);
      const n = positiveInt('--count', o.count);
      const seedValue = seed('--seed', o.seed);
      const save = outputDir('--save', o.save);
      const { model } = readModelFile('--model', o.model);
      const ds = limit(await loadDataset('mnist', 'test'), positiveInt('--limit', o.limit));
      const run = attackCurve(model, ds, { method: o.method, epsList, seed: seedValue });
      const zip = zipCodes(run, n, seedValue);
      if (save) await saveAttackFigures(save, run, zip, ds);
      const out = { method: o.method, count: n, results: zip.results };
      if (o.json) {
        process.stdout.write(JSON.stringify(out) + '\n');
        return;
      }
      const lines = [`${n} zip codes of 5 digits, ${o.method.toUpperCase()}`, '', '      ε   rerouted'];
      for (const r of zip.results) lines.push(`  ${r.eps.toFixed(3).padStart(5)}   ${(100 * r.rerouted).toFixed(2).padStart(7)}%`);
      process.stdout.write(lines.join('\n') + '\n');
    });
}
