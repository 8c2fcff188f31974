/** `bayesprop poison`: poisoned retraining data (backdoor patch or flipped labels), and the spectral defence. */
import { Command, Option } from 'commander';
import { limit, select, type Dataset } from '../../data/dataset.js';
import { Random } from '../../math/random.js';
import { initMlp, type Mlp } from '../../nn/mlp.js';
import { loadDataset } from '../../node/datasets.js';
import { argmaxRow, predictLogits, evaluate, train } from '../../train/train.js';
import { flipLabels, poisonWithPatch, spectralSignatures, triggeredTestSet } from '../../threats/poison.js';
import { join } from 'node:path';
import { linesSpec } from '../../plot/threats.js';
import { renderSvg } from '../../plot/render.js';
import { UsageError } from '../errors.js';
import { outputDir, writeFileAtomic } from '../io.js';
import { count, numberList, positiveInt, seed } from '../parse.js';

interface PoisonOptions {
  kind: 'patch' | 'flip';
  rate: string;
  target: string;
  defend?: 'spectral';
  epochs: string;
  hidden: string;
  limit?: string;
  testLimit?: string;
  seed: string;
  save?: string;
  json?: boolean;
}

export function poisonCommand(): Command {
  return new Command('poison')
    .summary('train on poisoned data (backdoor patch or flipped labels) and measure clean accuracy and attack success')
    .description(
      [
        'The social-engineering threat: someone on the retraining team slips poison into the data.',
        'patch: a white 4×4 square (the trigger) on a fraction p of the training images of other classes,',
        'relabelled as --target; success = triggered test digits read as the target. flip: a fraction p of',
        'labels changed to --target; success = clean test digits of other classes read as the target.',
        'For each rate a model is trained from scratch (same seed). --defend spectral removes the samples',
        'flagged by spectral signatures (1.5 × p of each class), reports their precision and recall, and',
        'retrains on the rest.',
      ].join('\n'),
    )
    .addOption(new Option('--kind <kind>', 'the poison').choices(['patch', 'flip']).default('patch'))
    .option('--rate <list>', 'poisoned fractions of the training set, comma-separated', '0,0.01,0.05,0.1')
    .option('--target <D>', 'the class the attacker wants', '7')
    .addOption(new Option('--defend <defence>', 'remove suspected poison and retrain').choices(['spectral']))
    .option('--epochs <E>', 'epochs of each training', '10')
    .option('--hidden <H>', 'hidden units', '256')
    .option('--limit <N>', 'only the first N training images')
    .option('--test-limit <N>', 'only the first N test images')
    .option('--seed <n>', 'seed of the poison choice, the weights and the shuffles', '0')
    .option('--save <dir>', 'write poison.svg: clean accuracy and attack success against the rate')
    .option('--json', 'print one JSON object on stdout')
    .addHelpText('after', ['', 'Examples:', '  $ bayesprop poison --kind patch --rate 0,0.01,0.05 --target 7 --defend spectral', '  $ bayesprop poison --kind flip --rate 0,0.1,0.3 --target 7 --epochs 3 --json'].join('\n'))
    .action(async (o: PoisonOptions) => {
      const rates = numberList('--rate', o.rate, 0.9, 'fractions');
      const target = count('--target', o.target);
      if (target > 9) throw new UsageError(`--target: ${target} (must be a digit 0-9)`);
      const epochs = positiveInt('--epochs', o.epochs);
      const hidden = positiveInt('--hidden', o.hidden);
      const seedValue = seed('--seed', o.seed);
      let trainSet: Dataset = await loadDataset('mnist', 'train');
      if (o.limit !== undefined) trainSet = limit(trainSet, positiveInt('--limit', o.limit));
      let testSet: Dataset = await loadDataset('mnist', 'test');
      if (o.testLimit !== undefined) testSet = limit(testSet, positiveInt('--test-limit', o.testLimit));
      const triggered = triggeredTestSet(testSet, target);
      const otherClasses = select(testSet, Array.from({ length: testSet.count }, (_, i) => i).filter((i) => testSet.labels[i] !== target));
      const config = { epochs, batchSize: 128, lr: 0.1, seed: seedValue, loss: 'assignment' as const };
      const say = (s: string) => {
        if (!o.json) process.stderr.write(s + '\n');
      };
      const fit = (ds: Dataset): Mlp => {
        const model = initMlp({ inputs: 784, hidden, outputs: 10 }, new Random(seedValue));
        train(model, ds, testSet, config);
        return model;
      };
      const readAsTarget = (model: Mlp, ds: Dataset) => {
        const logits = predictLogits(model, ds);
        let hits = 0;
        for (let i = 0; i < ds.count; i++) if (argmaxRow(logits, i * 10, 10) === target) hits++;
        return hits / ds.count;
      };
      const measure = (model: Mlp) => ({ cleanAccuracy: evaluate(model, testSet).accuracy, successRate: readAsTarget(model, o.kind === 'patch' ? triggered : otherClasses) });
      const results = [];
      for (const rate of rates) {
        const rng = new Random(seedValue + 7919);
        const p = o.kind === 'patch' ? poisonWithPatch(trainSet, rate, target, rng) : flipLabels(trainSet, rate, rng, target);
        const poisonedCount = p.poisoned.reduce((s, v) => s + v, 0);
        say(`rate ${rate}: ${poisonedCount} poisoned images; training (${epochs} epochs)…`);
        const model = fit(p.dataset);
        const row: Record<string, unknown> = { rate, poisoned: poisonedCount, ...measure(model) };
        if (o.defend === 'spectral' && rate > 0) {
          const s = spectralSignatures(model, p.dataset, rate, p.poisoned);
          const removed = new Set(s.removed);
          const cleaned = select(p.dataset, Array.from({ length: p.dataset.count }, (_, i) => i).filter((i) => !removed.has(i)), `${p.dataset.name} (cleaned)`);
          say(`  spectral signatures removed ${s.removed.length} (precision ${s.precision?.toFixed(3)}, recall ${s.recall?.toFixed(3)}); retraining…`);
          row.defense = { method: 'spectral', removed: s.removed.length, precision: s.precision, recall: s.recall, ...measure(fit(cleaned)) };
        }
        results.push(row);
      }
      const out = { kind: o.kind, target, epochs, train: trainSet.count, test: testSet.count, results };
      if (o.save !== undefined) {
        const dir = outputDir('--save', o.save)!;
        const points = results.flatMap((r) => {
          const d = r.defense as { cleanAccuracy: number; successRate: number } | undefined;
          const base = [
            { x: r.rate as number, y: r.cleanAccuracy as number, series: 'clean accuracy' },
            { x: r.rate as number, y: r.successRate as number, series: 'attack success' },
          ];
          return d ? [...base, { x: r.rate as number, y: d.cleanAccuracy, series: 'clean accuracy after defence' }, { x: r.rate as number, y: d.successRate, series: 'attack success after defence' }] : base;
        });
        writeFileAtomic(join(dir, 'poison.svg'), await renderSvg(linesSpec(`${o.kind} poisoning toward ${target}`, 'poisoned fraction of the training set', 'fraction', points)));
      }
      if (o.json) {
        process.stdout.write(JSON.stringify(out) + '\n');
        return;
      }
      const pct = (x: unknown) => (typeof x === 'number' ? `${(100 * x).toFixed(2)}%` : 'n/a');
      const lines = [`${o.kind} poisoning toward ${target}, ${trainSet.count} training images, ${epochs} epochs`, '', '   rate  poisoned  clean acc   success' + (o.defend ? '   removed  precision  recall  clean acc after  success after' : '')];
      for (const r of results) {
        const d = r.defense as Record<string, number | null> | undefined;
        lines.push(
          `  ${String(r.rate).padStart(5)}  ${String(r.poisoned).padStart(8)}  ${pct(r.cleanAccuracy).padStart(9)}  ${pct(r.successRate).padStart(8)}` +
            (d ? `  ${String(d.removed).padStart(8)}  ${pct(d.precision).padStart(9)}  ${pct(d.recall).padStart(6)}  ${pct(d.cleanAccuracy).padStart(15)}  ${pct(d.successRate).padStart(13)}` : ''),
        );
      }
      process.stdout.write(lines.join('\n') + '\n');
    });
}
