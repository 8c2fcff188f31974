/**
 * Ops built from the primitives; their gradients come from the primitives' VJPs.
 */
import { noGrad } from '../autograd.js';
import type { Tensor } from '../tensor.js';
import { add } from './add.js';
import { div } from './div.js';
import { exp } from './exp.js';
import { gather } from './gather.js';
import { log } from './log.js';
import { max } from './max.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { sub } from './sub.js';
import { sum } from './sum.js';

/** The mean over `axis` (or over everything). */
export function mean(x: Tensor, axis?: number, options: { keepDims?: boolean } = {}): Tensor {
  const n = axis === undefined ? x.size : x.shape[axis < 0 ? axis + x.rank : axis]!;
  return mul(sum(x, axis, options), 1 / n);
}

/** softmax along the last axis; the row maximum is subtracted first (a constant shift). */
export function softmax(x: Tensor): Tensor {
  const shift = noGrad(() => max(x, -1, { keepDims: true }));
  const e = exp(sub(x, shift));
  return div(e, sum(e, -1, { keepDims: true }));
}

/** log softmax along the last axis: x − max − ln Σ exp(x − max). */
export function logSoftmax(x: Tensor): Tensor {
  const shift = noGrad(() => max(x, -1, { keepDims: true }));
  const z = sub(x, shift);
  return sub(z, log(sum(exp(z), -1, { keepDims: true })));
}

/** The assignment's loss: mean over the batch of −ln(O[y] + 1e−12), O the softmax output. */
export function assignmentLoss(probabilities: Tensor, labels: Int32Array): Tensor {
  return mean(neg(log(add(gather(probabilities, labels), 1e-12))));
}

/** Cross-entropy from logits through log-softmax: mean of −log softmax(z)[y] (no 1e−12 needed). */
export function crossEntropyFromLogits(logits: Tensor, labels: Int32Array): Tensor {
  return mean(neg(gather(logSoftmax(logits), labels)));
}
