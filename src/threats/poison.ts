/**
 * Social engineering: poisoned retraining data, and a defence.
 * - BadNets-style backdoor (Gu et al. 2017): a small white square (the trigger) in the bottom-right
 *   corner of a fraction p of the training images of other classes, relabelled as the target.
 *   Attack success = the fraction of triggered test images of other classes read as the target.
 * - Label flipping: a fraction p of the labels changed (to the target, or to a random other class).
 * - Spectral signatures (Tran, Li & Madry 2018): per class, the hidden representations are
 *   centred and projected on their top singular vector (power iteration); the samples with the
 *   largest squared projections (1.5 × the expected poison rate of each class) are removed.
 */
import { imageSize, select, type Dataset } from '../data/dataset.js';
import { fillBatch } from '../data/dataset.js';
import { ArgumentError } from '../errors.js';
import type { Random } from '../math/random.js';
import type { Mlp } from '../nn/mlp.js';
import { noGrad } from '../tensor/autograd.js';
import { Tensor } from '../tensor/tensor.js';

export const TRIGGER_SIZE = 4;

/** A copy of the image with the trigger: a white TRIGGER_SIZE² square one pixel from the bottom-right corner. */
function stampTrigger(images: Uint8Array, offset: number, rows: number, cols: number): void {
  for (let r = rows - 1 - TRIGGER_SIZE; r < rows - 1; r++) for (let c = cols - 1 - TRIGGER_SIZE; c < cols - 1; c++) images[offset + r * cols + c] = 255;
}

export interface Poisoned {
  dataset: Dataset;
  /** poisoned[i] is 1 where image i was changed. */
  poisoned: Uint8Array;
}

function checkRate(rate: number): void {
  if (!(rate >= 0 && rate <= 1)) throw new ArgumentError('rate', rate, 'must be a fraction in [0, 1]');
}

function checkTarget(target: number): void {
  if (!(Number.isInteger(target) && target >= 0 && target <= 9)) throw new ArgumentError('target', target, 'must be a digit 0-9');
}

/** Triggers and relabels round(rate · n) images of classes other than `target`. */
export function poisonWithPatch(ds: Dataset, rate: number, target: number, rng: Random): Poisoned {
  checkRate(rate);
  checkTarget(target);
  const candidates: number[] = [];
  for (let i = 0; i < ds.count; i++) if (ds.labels[i] !== target) candidates.push(i);
  const chosen = rng.shuffle(candidates).slice(0, Math.min(candidates.length, Math.round(rate * ds.count)));
  const images = Uint8Array.from(ds.images);
  const labels = Uint8Array.from(ds.labels);
  const poisoned = new Uint8Array(ds.count);
  const size = imageSize(ds);
  for (const i of chosen) {
    stampTrigger(images, i * size, ds.rows, ds.cols);
    labels[i] = target;
    poisoned[i] = 1;
  }
  return { dataset: { ...ds, name: `${ds.name} (patch-poisoned ${rate})`, images, labels }, poisoned };
}

/** Changes round(rate · n) labels: to `target` when given, else to a random other class. */
export function flipLabels(ds: Dataset, rate: number, rng: Random, target?: number): Poisoned {
  checkRate(rate);
  if (target !== undefined) checkTarget(target);
  const candidates: number[] = [];
  for (let i = 0; i < ds.count; i++) if (target === undefined || ds.labels[i] !== target) candidates.push(i);
  const chosen = rng.shuffle(candidates).slice(0, Math.min(candidates.length, Math.round(rate * ds.count)));
  const labels = Uint8Array.from(ds.labels);
  const poisoned = new Uint8Array(ds.count);
  for (const i of chosen) {
    labels[i] = target ?? (ds.labels[i]! + 1 + rng.integer(9)) % 10;
    poisoned[i] = 1;
  }
  return { dataset: { ...ds, name: `${ds.name} (labels flipped ${rate})`, labels }, poisoned };
}

/** The test images of classes other than `target`, with the trigger stamped on (true labels kept). */
export function triggeredTestSet(ds: Dataset, target: number): Dataset {
  const keep: number[] = [];
  for (let i = 0; i < ds.count; i++) if (ds.labels[i] !== target) keep.push(i);
  const out = select(ds, keep, `${ds.name} (triggered)`);
  const size = imageSize(ds);
  for (let i = 0; i < out.count; i++) stampTrigger(out.images, i * size, ds.rows, ds.cols);
  return out;
}

/** The hidden representations ReLU(X W₁ + b₁) of every image, count × hidden. */
export function hiddenRepresentations(model: Mlp, ds: Dataset, batchSize = 1000): Float32Array {
  const H = model.shape.hidden;
  const out = new Float32Array(ds.count * H);
  const size = imageSize(ds);
  const { backend, dtype } = model.W1;
  noGrad(() => {
    for (let start = 0; start < ds.count; start += batchSize) {
      const rows = Math.min(batchSize, ds.count - start);
      backend.scope(() => {
        const x = new Tensor(backend.alloc(rows * size, dtype), [rows, size], backend);
        fillBatch(ds, null, start, rows, x.data, new Int32Array(rows), x.backend);
        out.set(model.hiddenLayer(x).data, start * H);
      });
    }
  });
  return out;
}

export interface SpectralResult {
  /** Indices (into the data set) flagged as poison and removed. */
  removed: number[];
  /** Of the removed, the fraction really poisoned (null when none removed). */
  precision: number | null;
  /** Of the poisoned, the fraction removed (null when none poisoned). */
  recall: number | null;
}

/**
 * Spectral signatures: per class, removes the ⌈1.5 · rate · n_c⌉ samples whose centred hidden
 * representations project most on the class's top singular vector.
 */
export function spectralSignatures(model: Mlp, ds: Dataset, rate: number, poisoned?: Uint8Array, { iterations = 100 } = {}): SpectralResult {
  const H = model.shape.hidden;
  const reps = hiddenRepresentations(model, ds);
  const removed: number[] = [];
  for (let c = 0; c < 10; c++) {
    const members: number[] = [];
    for (let i = 0; i < ds.count; i++) if (ds.labels[i] === c) members.push(i);
    const budget = Math.ceil(1.5 * rate * members.length);
    if (members.length < 2 || budget === 0) continue;
    const mean = new Float64Array(H);
    for (const i of members) for (let h = 0; h < H; h++) mean[h]! += reps[i * H + h]! / members.length;
    // Power iteration on Σ = XcᵀXc without forming it: v ← Xcᵀ(Xc v), normalised.
    let v = Float64Array.from({ length: H }, (_, h) => 1 + 0.01 * Math.sin(h + 1));
    const proj = new Float64Array(members.length);
    for (let it = 0; it < iterations; it++) {
      members.forEach((i, k) => {
        let s = 0;
        for (let h = 0; h < H; h++) s += (reps[i * H + h]! - mean[h]!) * v[h]!;
        proj[k] = s;
      });
      const next = new Float64Array(H);
      members.forEach((i, k) => {
        for (let h = 0; h < H; h++) next[h]! += (reps[i * H + h]! - mean[h]!) * proj[k]!;
      });
      const norm = Math.hypot(...next);
      if (norm === 0) break;
      v = next.map((x) => x / norm);
    }
    members.forEach((i, k) => {
      let s = 0;
      for (let h = 0; h < H; h++) s += (reps[i * H + h]! - mean[h]!) * v[h]!;
      proj[k] = s * s;
    });
    const order = members.map((i, k) => ({ i, score: proj[k]! })).sort((a, b) => b.score - a.score);
    for (const { i } of order.slice(0, budget)) removed.push(i);
  }
  let precision: number | null = null;
  let recall: number | null = null;
  if (poisoned) {
    const hits = removed.filter((i) => poisoned[i]).length;
    const total = poisoned.reduce((s, v) => s + v, 0);
    precision = removed.length ? hits / removed.length : null;
    recall = total ? hits / total : null;
  }
  return { removed: removed.sort((a, b) => a - b), precision, recall };
}
