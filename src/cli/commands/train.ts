/** `bayesprop train` and `bayesprop eval`: the assignment's MLP on MNIST / Fashion-MNIST. */
import { Command, Option } from 'commander';
import { SingleBar } from 'cli-progress';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { classCounts, filterClasses, limit, type Dataset } from '../../data/dataset.js';
import { Random } from '../../math/random.js';
import { initMlp, type Mlp } from '../../nn/mlp.js';
import { loadDataset, type DatasetName } from '../../node/datasets.js';
import { confusionSpec, curvesSpec } from '../../plot/training.js';
import { renderSvg } from '../../plot/render.js';
import { encodeModel } from '../../train/checkpoint.js';
import { evaluate, train, type EpochMetrics, type LossKind, type TrainConfig } from '../../train/train.js';
import { UsageError } from '../errors.js';
import { outputDir, readModelFile, writeFileAtomic } from '../io.js';
import { makeManifest, MANIFEST_NAME } from '../../node/provenance.js';
import { positiveInt, positiveNumber, seed } from '../parse.js';

interface DataOptions {
  data: DatasetName;
  dataDir?: string;
  classes?: string;
  limit?: string;
  testLimit?: string;
}

interface TrainOptions extends DataOptions {
  hidden: string;
  lr: string;
  batchSize: string;
  epochs: string;
  seed: string;
  initFrom?: string;
  loss: LossKind;
  out?: string;
  json?: boolean;
  quiet?: boolean;
}

interface EvalOptions extends DataOptions {
  model: string;
  split: 'train' | 'test';
  loss: LossKind;
  json?: boolean;
}

function dataOptions(command: Command): Command {
  return command
    .addOption(new Option('--data <name>', 'the data set').choices(['mnist', 'fashion-mnist']).default('mnist'))
    .option('--data-dir <dir>', 'read the four IDX files (raw or .gz) from this folder instead')
    .option('--classes <list>', 'only these classes, e.g. 1,6 (labels keep their values)')
    .option('--limit <N>', 'only the first N training images (after --classes)')
    .option('--test-limit <N>', 'only the first N test images (after --classes)');
}

function parseClasses(raw: string | undefined): number[] | undefined {
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map((s) => s.trim());
  const classes = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
  if (parts.length === 0 || classes.some((c) => !(c >= 0 && c <= 9))) throw new UsageError(`--classes: ${JSON.stringify(raw)} (must be digits 0-9 separated by commas, e.g. 1,6)`);
  return [...new Set(classes)];
}

function positiveCount(flag: string, raw: string | undefined): number | undefined {
  return raw === undefined ? undefined : positiveInt(flag, raw);
}

async function loadData(o: DataOptions, split: 'train' | 'test', classes: number[] | undefined, n: number | undefined): Promise<Dataset> {
  if (o.dataDir !== undefined) {
    let isDir = false;
    try {
      isDir = statSync(o.dataDir).isDirectory();
    } catch {
      /* reported below */
    }
    if (!isDir) throw new UsageError(`--data-dir: ${JSON.stringify(o.dataDir)} (is not a folder)`);
  }
  let ds = await loadDataset(o.data, split, o.dataDir);
  if (classes) ds = filterClasses(ds, classes);
  if (n !== undefined) ds = limit(ds, n);
  if (ds.count === 0) throw new UsageError(`--classes: ${classes?.join(',')} (no ${split} images of these classes)`);
  return ds;
}

export function trainCommand(): Command {
  const command = new Command('train')
    .summary("train the assignment's MLP (784 → 256 ReLU → 10 softmax, SGD) and write metrics, model and plots")
    .description(
      [
        "The assignment's notebook, from scratch: H = ReLU(X W1 + b1), O = softmax(H W2 + b2), W ~ 0.01·N(0,1), b = 0,",
        'loss = mean of −ln(O[y] + 1e−12), plain SGD (w ← w − lr·∇w, then zero the gradients), shuffled mini-batches.',
        'Pixels are scaled to [0, 1]. Train metrics are the means over each epoch\'s mini-batches; test metrics',
        'come from a pass over the test set after each epoch.',
      ].join('\n'),
    )
    .option('--hidden <H>', 'hidden units', '256')
    .option('--lr <rate>', 'learning rate', '0.1')
    .option('--batch-size <B>', 'mini-batch size', '128')
    .option('--epochs <E>', 'passes over the training set', '10')
    .option('--seed <n>', 'seed of the initial weights and the shuffles', '0')
    .option('--init-from <model.safetensors>', 'continue training a saved model (its architecture is kept)')
    .addOption(new Option('--loss <kind>', "'assignment': mean −ln(O[y] + 1e−12); 'stable': log-softmax cross-entropy").choices(['assignment', 'stable']).default('assignment'))
    .option('--out <dir>', 'write metrics.json, model.safetensors, curves.svg and confusion.svg here (created if missing)')
    .option('--json', 'print the final metrics object on stdout')
    .option('--quiet', 'no progress bar');
  return dataOptions(command)
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ bayesprop train --out runs/mnist                       # the notebook: 10 epochs on all 60,000 images',
        '  $ bayesprop train --limit 5000 --epochs 2 --out runs/quick',
        '  $ bayesprop train --init-from runs/mnist/model.safetensors --classes 1,6 --epochs 10 --out runs/ood',
      ].join('\n'),
    )
    .action(async (options: TrainOptions) => {
      await runTrain(options);
    });
}

async function runTrain(o: TrainOptions): Promise<void> {
  const hidden = positiveCount('--hidden', o.hidden)!;
  const lr = positiveNumber('--lr', o.lr);
  const batchSize = positiveCount('--batch-size', o.batchSize)!;
  const epochs = positiveCount('--epochs', o.epochs)!;
  const seedValue = seed('--seed', o.seed);
  const classes = parseClasses(o.classes);
  const trainLimit = positiveCount('--limit', o.limit);
  const testLimit = positiveCount('--test-limit', o.testLimit);
  const outDir = outputDir('--out', o.out);
  let model: Mlp;
  let initFrom: Record<string, unknown> | null = null;
  if (o.initFrom !== undefined) {
    const loaded = readModelFile('--init-from', o.initFrom);
    model = loaded.model;
    if (o.hidden !== '256' && hidden !== model.shape.hidden) throw new UsageError(`--hidden: ${hidden} (the model in --init-from has ${model.shape.hidden})`);
    initFrom = { path: o.initFrom, metadata: loaded.metadata };
  }
  const trainSet = await loadData(o, 'train', classes, trainLimit);
  const testSet = await loadData(o, 'test', classes, testLimit);
  model ??= initMlp({ inputs: trainSet.rows * trainSet.cols, hidden, outputs: 10 }, new Random(seedValue));
  const config: TrainConfig = { epochs, batchSize, lr, seed: seedValue, loss: o.loss };
  const bar = !o.quiet && process.stderr.isTTY ? new SingleBar({ format: 'epoch {epoch}/{epochs} |{bar}| {value}/{total} batches | loss {loss} | {speed} img/s', hideCursor: true, clearOnComplete: true, stream: process.stderr }) : null;
  const log = (line: string) => {
    if (!o.json) process.stdout.write(line + '\n');
  };
  log(`training on ${trainSet.name} (${trainSet.count} images), testing on ${testSet.name} (${testSet.count}); ${epochs} epochs, batch ${batchSize}, lr ${lr}, seed ${seedValue}`);
  log('  epoch  train loss  train acc  test loss  test acc  seconds');
  let started = false;
  const result = train(model, trainSet, testSet, config, {
    onProgress: (p) => {
      if (!bar) return;
      const payload = { epoch: p.epoch, epochs: p.epochs, loss: p.runningLoss.toFixed(4), speed: Math.round(p.imagesPerSecond) };
      if (!started || p.batch === 1) {
        if (started) bar.stop();
        bar.start(p.batches, p.batch, payload);
        started = true;
      } else bar.update(p.batch, payload);
    },
    onEpoch: (m: EpochMetrics) => {
      if (bar && started) {
        bar.stop();
        started = false;
      }
      log(
        `  ${String(m.epoch).padStart(5)}  ${m.trainLoss.toFixed(4).padStart(10)}  ${(100 * m.trainAccuracy).toFixed(2).padStart(8)}%  ${m.testLoss.toFixed(4).padStart(9)}  ${(100 * m.testAccuracy).toFixed(2).padStart(7)}%  ${m.seconds.toFixed(1).padStart(7)}`,
      );
    },
  });
  const metrics = {
    config: { ...config, hidden: model.shape.hidden, inputs: model.shape.inputs, outputs: model.shape.outputs, initFrom: initFrom ? initFrom.path : null },
    seed: seedValue,
    data: {
      name: o.data,
      classes: classes ?? null,
      train: trainSet.count,
      test: testSet.count,
      trainClassCounts: classCounts(trainSet),
      testClassCounts: classCounts(testSet),
    },
    epochs: result.epochs,
    confusion: result.confusion,
  };
  if (outDir !== undefined) {
    const curves = await renderSvg(curvesSpec(result.epochs, `Training curves: ${trainSet.name}`));
    const confusion = await renderSvg(confusionSpec(result.confusion));
    const checkpoint = encodeModel(model, { config: metrics.config, seed: seedValue, data: metrics.data, metrics: result.epochs[result.epochs.length - 1] });
    writeFileAtomic(join(outDir, 'model.safetensors'), checkpoint);
    const manifest = makeManifest('model.safetensors', checkpoint, { ...metrics.config, data: o.data, classes: classes ?? null, limit: trainLimit ?? null }, trainSet);
    writeFileAtomic(join(outDir, MANIFEST_NAME), JSON.stringify(manifest, null, 2) + '\n');
    writeFileAtomic(join(outDir, 'curves.svg'), curves);
    writeFileAtomic(join(outDir, 'confusion.svg'), confusion);
    writeFileAtomic(join(outDir, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
    log(`wrote ${join(outDir, 'metrics.json')}, model.safetensors, manifest.json, curves.svg, confusion.svg`);
  }
  if (o.json) process.stdout.write(JSON.stringify(metrics) + '\n');
}

export function evalCommand(): Command {
  const command = new Command('eval')
    .summary('accuracy, mean loss and confusion matrix of a saved model')
    .requiredOption('--model <model.safetensors>', 'the model to evaluate')
    .addOption(new Option('--split <split>', 'which part of the data set').choices(['train', 'test']).default('test'))
    .addOption(new Option('--loss <kind>', 'loss to report').choices(['assignment', 'stable']).default('assignment'))
    .option('--json', 'print one JSON object on stdout');
  return dataOptions(command)
    .addHelpText('after', ['', 'Examples:', '  $ bayesprop eval --model runs/mnist/model.safetensors', '  $ bayesprop eval --model runs/mnist/model.safetensors --classes 3 --json'].join('\n'))
    .action(async (options: EvalOptions) => {
      await runEval(options);
    });
}

async function runEval(o: EvalOptions): Promise<void> {
  const classes = parseClasses(o.classes);
  const n = positiveCount(o.split === 'train' ? '--limit' : '--test-limit', o.split === 'train' ? o.limit : o.testLimit);
  const { model } = readModelFile('--model', o.model);
  const ds = await loadData(o, o.split, classes, n);
  const e = evaluate(model, ds, { loss: o.loss });
  const result = { model: o.model, data: { name: o.data, split: o.split, classes: classes ?? null, count: ds.count }, accuracy: e.accuracy, loss: e.loss, confusion: e.confusion };
  if (o.json) {
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }
  const lines = [`${ds.name}: ${ds.count} images`, `  accuracy   ${(100 * e.accuracy).toFixed(2)}%`, `  mean loss  ${e.loss.toFixed(4)}`, '', '  confusion (rows: true class, columns: predicted)'];
  lines.push('        ' + e.confusion.map((_, i) => String(i).padStart(6)).join(''));
  e.confusion.forEach((row, t) => {
    if (row.some((v) => v > 0)) lines.push(`  ${String(t).padStart(4)}  ` + row.map((v) => String(v).padStart(6)).join(''));
  });
  process.stdout.write(lines.join('\n') + '\n');
}
