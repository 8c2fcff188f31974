/**
 * Training and evaluation of the assignment's MLP: seeded shuffles, mini-batches converted to
 * float on the fly into reused buffers, the assignment's loss (or the stable log-softmax
 * cross-entropy), SGD by hand, per-epoch metrics and the test confusion matrix. Everything is
 * plain data, so the CLI, the report and the web app can show it.
 */
import { fillBatch, gatherBatch, imageSize, shuffledOrder, type Dataset } from '../data/dataset.js';
import { ArgumentError } from '../errors.js';
import { Random } from '../math/random.js';
import type { Mlp } from '../nn/mlp.js';
import { noGrad } from '../tensor/autograd.js';
import * as ops from '../tensor/ops/index.js';
import { Tensor } from '../tensor/tensor.js';

export type LossKind = 'assignment' | 'stable';

export interface TrainConfig {
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  /** 'assignment': mean −ln(O[y] + 1e−12) of the softmax output; 'stable': log-softmax cross-entropy. */
  loss: LossKind;
}

export interface EpochMetrics {
  epoch: number;
  /** Mean loss over the epoch's mini-batches (weighted by batch size), as the notebook plots it. */
  trainLoss: number;
  /** Fraction of training images classified right during the epoch's pass. */
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
  /** Wall-clock seconds of the training pass alone. */
  seconds: number;
  /** Wall-clock seconds of the test evaluation. */
  evalSeconds: number;
}

export interface Evaluation {
  loss: number;
  accuracy: number;
  /** counts[true][predicted]. */
  confusion: number[][];
  count: number;
}

export interface Progress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  runningLoss: number;
  imagesPerSecond: number;
}

/**
 * The loss of a batch, by the chosen definition, through the fused softmax + cross-entropy op
 * (equal to `assignmentLoss(softmax(z), y)` and `crossEntropyFromLogits(z, y)`: tested).
 * The scores are the probabilities (assignment) or the logits (stable), as before fusing.
 */
export function batchLoss(model: Mlp, x: Tensor, y: Int32Array, kind: LossKind): { loss: Tensor; scores: Tensor } {
  const logits = model.logits(x);
  const { loss, probabilities } = ops.softmaxCrossEntropy(logits, y, { epsilon: kind === 'assignment' ? 1e-12 : 0 });
  return { loss, scores: kind === 'assignment' ? probabilities : logits };
}

/** The index of the largest of data[offset .. offset + cols) (the first, on ties). */
export function argmaxRow(data: ArrayLike<number>, offset: number, cols: number): number {
  let best = 0;
  for (let c = 1; c < cols; c++) if (data[offset + c]! > data[offset + best]!) best = c;
  return best;
}

/** Batch buffers owned by the backend, reused across steps (one set per batch size seen). */
class BatchBuffers {
  private readonly cache = new Map<string, { x: Tensor; y: Int32Array }>();
  constructor(
    private readonly model: Mlp,
    private readonly pixels: number,
  ) {}

  get(size: number, role = 'batch'): { x: Tensor; y: Int32Array } {
    const key = `${role}:${size}`;
    let entry = this.cache.get(key);
    if (!entry) {
      const { backend, dtype } = this.model.W1;
      entry = { x: new Tensor(backend.alloc(size * this.pixels, dtype, { persistent: true }), [size, this.pixels], backend), y: new Int32Array(size) };
      this.cache.set(key, entry);
    }
    return entry;
  }
}

/** Loss, accuracy and confusion matrix of `model` on `ds` (no gradients). */
export function evaluate(model: Mlp, ds: Dataset, { batchSize = 1000, loss = 'assignment' as LossKind } = {}): Evaluation {
  checkInputs(model, ds);
  const classes = model.shape.outputs;
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  const buffers = new BatchBuffers(model, imageSize(ds));
  const backend = model.W1.backend;
  let total = 0;
  let correct = 0;
  noGrad(() => {
    for (let start = 0; start < ds.count; start += batchSize) {
      const size = Math.min(batchSize, ds.count - start);
      const { x, y } = buffers.get(size);
      fillBatch(ds, null, start, size, x.data, y, x.backend);
      backend.scope(() => {
        const { loss: l, scores } = batchLoss(model, x, y, loss);
        total += l.item() * size;
        for (let r = 0; r < size; r++) {
          const predicted = argmaxRow(scores.data, r * classes, classes);
          if (predicted === y[r]) correct++;
          if (y[r]! < classes) confusion[y[r]!]![predicted]!++;
        }
      });
    }
  });
  return { loss: total / ds.count, accuracy: correct / ds.count, confusion, count: ds.count };
}

function checkInputs(model: Mlp, ds: Dataset): void {
  if (imageSize(ds) !== model.shape.inputs) throw new ArgumentError('data', `${ds.rows}×${ds.cols} images`, `the model takes ${model.shape.inputs} inputs`);
  if (ds.count === 0) throw new ArgumentError('data', ds.name, 'has no images (check --classes and --limit)');
  for (let i = 0; i < ds.count; i++) {
    if (ds.labels[i]! >= model.shape.outputs) throw new ArgumentError('data', `label ${ds.labels[i]}`, `the model has ${model.shape.outputs} outputs`);
  }
}

export interface TrainResult {
  epochs: EpochMetrics[];
  /** The test confusion matrix after the last epoch. */
  confusion: number[][];
}

/**
 * Trains `model` in place with SGD: each epoch shuffles the training set (one generator seeded
 * with `seed` draws every epoch's order), steps through mini-batches, then evaluates on `test`.
 */
export function train(
  model: Mlp,
  trainSet: Dataset,
  testSet: Dataset,
  config: TrainConfig,
  {
    onProgress,
    onEpoch,
    now = () => performance.now(),
    perturb,
  }: {
    onProgress?: (p: Progress) => void;
    onEpoch?: (m: EpochMetrics) => void;
    now?: () => number;
    /**
     * Adversarial training (Goodfellow et al. 2015): when given, each step minimises
     * ½·L(x) + ½·L(perturb(x)) — the loss on the batch and on a perturbed copy made by the caller
     * (e.g. an FGSM attack against the current weights).
     */
    perturb?: (x: Float32Array | Float64Array, rows: number, labels: Int32Array) => Float32Array;
  } = {},
): TrainResult {
  checkInputs(model, trainSet);
  checkInputs(model, testSet);
  const { epochs, batchSize, lr } = config;
  if (!Number.isSafeInteger(epochs) || epochs < 1) throw new ArgumentError('epochs', epochs, 'must be a positive integer');
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new ArgumentError('batchSize', batchSize, 'must be a positive integer');
  if (!(lr > 0) || !Number.isFinite(lr)) throw new ArgumentError('lr', lr, 'must be a finite number > 0');
  const backend = model.W1.backend;
  const buffers = new BatchBuffers(model, imageSize(trainSet));
  const classes = model.shape.outputs;
  const batches = Math.ceil(trainSet.count / batchSize);
  const metrics: EpochMetrics[] = [];
  let last: Evaluation | null = null;
  const shuffles = new Random(config.seed);
  const pixels = imageSize(trainSet);
  // Batch b's bytes are gathered at the end of step b − 2. In step b − 1 they are converted into
  // batch b's buffers after the forward pass, and compressed for the sparse path at the end of
  // the step, both on a worker where there is one, while this thread does the rest of the step
  // (the backward pass, then gathering batch b + 1's bytes). So batches alternate between two
  // sets of buffers. (With `perturb`, which reads the batch, each batch is prepared just before
  // its step.)
  const stage = () => backend.allocBytes?.(batchSize * pixels) ?? new Uint8Array(batchSize * pixels);
  const staged = [stage(), stage()];
  const slot = (b: number) => buffers.get(Math.min(batchSize, trainSet.count - b * batchSize), b % 2 === 0 ? 'even' : 'odd');
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const order = shuffledOrder(trainSet.count, shuffles);
    const started = now();
    let lossSum = 0;
    let correct = 0;
    const gather = (b: number) => {
      if (b < batches) gatherBatch(trainSet, order, b * batchSize, slot(b).x.shape[0]!, staged[b % 2]!, slot(b).y);
    };
    const convert = (b: number, async: boolean) => {
      if (b < batches) backend.fromBytes(staged[b % 2]!.subarray(0, slot(b).x.size), 1 / 255, slot(b).x.data, { async });
    };
    const compress = (b: number, async: boolean) => {
      if (b < batches) backend.prepareSparse?.(slot(b).x.data, slot(b).x.shape[0]!, pixels, { async });
    };
    const prepareNow = (b: number) => {
      convert(b, false);
      compress(b, false);
    };
    gather(0);
    gather(1);
    if (!perturb) prepareNow(0);
    for (let b = 0; b < batches; b++) {
      const start = b * batchSize;
      const size = Math.min(batchSize, trainSet.count - start);
      const { x, y } = slot(b);
      if (perturb) prepareNow(b);
      const xa = perturb ? buffers.get(size, 'perturbed').x : null;
      // One scope a step: the step's intermediate buffers go back to the backend at its end.
      const value = backend.scope(() => {
        let { loss, scores } = batchLoss(model, x, y, config.loss);
        if (perturb) {
          xa!.data.set(perturb(x.data, size, y));
          loss = ops.mul(ops.add(loss, batchLoss(model, xa!, y, config.loss).loss), 0.5);
        } else convert(b + 1, true);
        // Plain SGD, fused into the backward pass (the same update as backward() then sgdStep).
        loss.backward({ sgd: { lr } });
        for (let r = 0; r < size; r++) if (argmaxRow(scores.data, r * classes, classes) === y[r]) correct++;
        return loss.item();
      });
      // Batch b + 1 is compressed (on a worker) while batch b + 2's bytes are gathered here, into
      // batch b's buffers, free again.
      if (!perturb) compress(b + 1, true);
      gather(b + 2);
      if (!Number.isFinite(value)) throw new Error(`training diverged: the loss is ${value} in epoch ${epoch}, batch ${b + 1} (try a smaller --lr)`);
      lossSum += value * size;
      if (onProgress) {
        const elapsed = (now() - started) / 1000;
        onProgress({ epoch, epochs, batch: b + 1, batches, runningLoss: lossSum / (start + size), imagesPerSecond: elapsed > 0 ? (start + size) / elapsed : 0 });
      }
    }
    const seconds = (now() - started) / 1000;
    const evalStarted = now();
    last = evaluate(model, testSet, { loss: config.loss });
    const m: EpochMetrics = {
      epoch,
      trainLoss: lossSum / trainSet.count,
      trainAccuracy: correct / trainSet.count,
      testLoss: last.loss,
      testAccuracy: last.accuracy,
      seconds,
      evalSeconds: (now() - evalStarted) / 1000,
    };
    metrics.push(m);
    onEpoch?.(m);
  }
  return { epochs: metrics, confusion: last!.confusion };
}

/** The logits (H W₂ + b₂) of every image of `ds`, rows × outputs, without gradients. */
export function predictLogits(model: Mlp, ds: Dataset, batchSize = 1000): Float32Array {
  if (imageSize(ds) !== model.shape.inputs) throw new ArgumentError('data', `${ds.rows}×${ds.cols} images`, `the model takes ${model.shape.inputs} inputs`);
  const classes = model.shape.outputs;
  const out = new Float32Array(ds.count * classes);
  const buffers = new BatchBuffers(model, imageSize(ds));
  noGrad(() => {
    for (let start = 0; start < ds.count; start += batchSize) {
      const size = Math.min(batchSize, ds.count - start);
      const { x, y } = buffers.get(size);
      fillBatch(ds, null, start, size, x.data, y, x.backend);
      model.W1.backend.scope(() => out.set(model.logits(x).data, start * classes));
    }
  });
  return out;
}
