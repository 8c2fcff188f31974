/**
 * Robust accuracy and attack success against ε, and the zip-code scenario: 5-digit codes
 * composed of test digits, rerouted when any digit is misread.
 */
import { fillBatch, imageSize, type Dataset } from '../data/dataset.js';
import { Random } from '../math/random.js';
import type { Mlp } from '../nn/mlp.js';
import { noGrad } from '../tensor/autograd.js';
import { Tensor } from '../tensor/tensor.js';
import { argmaxRow } from '../train/train.js';
import { attack, type AttackMethod } from './attacks.js';

/** The logits of each row of a float batch (pixels in [0, 1]), rows × outputs. */
export function logitsOf(model: Mlp, x: Float32Array, rows: number): Float32Array {
  const { backend, dtype } = model.W1;
  return backend.scope(() => {
    const input = new Tensor(backend.alloc(x.length, dtype), [rows, model.shape.inputs], backend);
    input.data.set(x);
    return Float32Array.from(noGrad(() => model.logits(input)).data);
  });
}

/** The fraction of predictions equal to the labels. */
export function accuracyOf(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) right++;
  return right / labels.length;
}

/** The predicted class of each row of a float batch. */
export function predict(model: Mlp, x: Float32Array, rows: number): Int32Array {
  const logits = logitsOf(model, x, rows);
  const k = model.shape.outputs;
  return Int32Array.from({ length: rows }, (_, r) => argmaxRow(logits, r * k, k));
}

export interface AttackPoint {
  eps: number;
  cleanAccuracy: number;
  robustAccuracy: number;
  /** Untargeted: misread among the inputs read right when clean. Targeted: read as the target among inputs of other classes. */
  successRate: number;
}

export interface AttackRun {
  method: AttackMethod;
  target: number | null;
  count: number;
  results: AttackPoint[];
  /** For each ε, the adversarial images (count × pixels, floats in [0, 1]) and their predictions. */
  adversarial: Array<{ eps: number; images: Float32Array; predicted: Int32Array }>;
  clean: { images: Float32Array; labels: Int32Array; predicted: Int32Array };
}

export interface AttackCurveOptions {
  method: AttackMethod;
  epsList: readonly number[];
  target?: number;
  steps?: number;
  stepSize?: number;
  seed: number;
  batchSize?: number;
}

/** Attacks every image of `ds` at each ε. */
export function attackCurve(model: Mlp, ds: Dataset, o: AttackCurveOptions): AttackRun {
  const pixels = imageSize(ds);
  const images = new Float32Array(ds.count * pixels);
  const labels = new Int32Array(ds.count);
  fillBatch(ds, null, 0, ds.count, images, labels);
  const cleanPredicted = predict(model, images, ds.count);
  const rng = new Random(o.seed);
  const batch = o.batchSize ?? 500;
  const results: AttackPoint[] = [];
  const adversarial: AttackRun['adversarial'] = [];
  let cleanRight = 0;
  for (let i = 0; i < ds.count; i++) if (cleanPredicted[i] === labels[i]) cleanRight++;
  for (const eps of o.epsList) {
    const adv = new Float32Array(images.length);
    for (let start = 0; start < ds.count; start += batch) {
      const rows = Math.min(batch, ds.count - start);
      const x = images.subarray(start * pixels, (start + rows) * pixels);
      const y = labels.subarray(start, start + rows);
      adv.set(attack(model, x, rows, y, { method: o.method, eps, ...(o.target === undefined ? {} : { target: o.target }), ...(o.steps === undefined ? {} : { steps: o.steps }), ...(o.stepSize === undefined ? {} : { stepSize: o.stepSize }), rng }), start * pixels);
    }
    const predicted = predict(model, adv, ds.count);
    let right = 0;
    let success = 0;
    let eligible = 0;
    for (let i = 0; i < ds.count; i++) {
      if (predicted[i] === labels[i]) right++;
      if (o.target === undefined) {
        if (cleanPredicted[i] === labels[i]) {
          eligible++;
          if (predicted[i] !== labels[i]) success++;
        }
      } else if (labels[i] !== o.target) {
        eligible++;
        if (predicted[i] === o.target) success++;
      }
    }
    results.push({ eps, cleanAccuracy: cleanRight / ds.count, robustAccuracy: right / ds.count, successRate: eligible ? success / eligible : 0 });
    adversarial.push({ eps, images: adv, predicted });
  }
  return { method: o.method, target: o.target ?? null, count: ds.count, results, adversarial, clean: { images, labels, predicted: cleanPredicted } };
}

export interface ZipCodeResult {
  eps: number;
  /** Fraction of codes read wrong (at least one digit misread): those are rerouted. */
  rerouted: number;
}

/**
 * `count` 5-digit zip codes, each made of 5 images drawn (seeded) from the attacked set; a code is
 * rerouted when any of its digits is read wrong. Returns the rate per ε and the digits of code 0.
 */
export function zipCodes(run: AttackRun, count: number, seed: number): { results: ZipCodeResult[]; codes: Int32Array } {
  const rng = new Random(seed);
  const codes = new Int32Array(count * 5);
  for (let i = 0; i < codes.length; i++) codes[i] = rng.integer(run.count);
  const results = run.adversarial.map(({ eps, predicted }) => {
    let rerouted = 0;
    for (let c = 0; c < count; c++) {
      for (let d = 0; d < 5; d++) {
        const i = codes[c * 5 + d]!;
        if (predicted[i] !== run.clean.labels[i]) {
          rerouted++;
          break;
        }
      }
    }
    return { eps, rerouted: rerouted / count };
  });
  return { results, codes };
}
