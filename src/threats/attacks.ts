/**
 * Evasion attacks on the envelope (input attacks) with gradients from our own autograd:
 * - FGSM (Goodfellow et al. 2015): x' = clip(x + ε·sign ∇ₓ L(x, y)), one step;
 * - PGD (Madry et al. 2018): from a random start in the L∞ ball, K steps of size α along
 *   sign ∇ₓ L, each projected back onto the ball and onto valid pixels [0, 1].
 * Untargeted attacks raise the loss of the true label; targeted ones lower the loss of a chosen
 * target label (x' = x − ε·sign ∇ₓ L(x, target)). L is the cross-entropy of the logits.
 */
import { ArgumentError } from '../errors.js';
import type { Random } from '../math/random.js';
import type { Mlp } from '../nn/mlp.js';
import { backward } from '../tensor/autograd.js';
import * as ops from '../tensor/ops/index.js';
import { Tensor } from '../tensor/tensor.js';

export type AttackMethod = 'fgsm' | 'pgd';

export interface AttackOptions {
  method: AttackMethod;
  /** L∞ radius in pixel units of [0, 1]. */
  eps: number;
  /** Make every input read as this class (targeted); untargeted when undefined. */
  target?: number;
  /** PGD: number of steps (default 10). */
  steps?: number;
  /** PGD: step size (default 2.5·ε/steps). */
  stepSize?: number;
  /** PGD: start from a uniform random point of the ball (default true). */
  randomStart?: boolean;
  /** Needed for PGD's random start. */
  rng?: Random;
}

/**
 * ∇ₓ of the cross-entropy of `labels` at the batch x (rows × inputs). The model's parameters are
 * left without gradients (their requiresGrad is switched off while the attack differentiates).
 */
export function inputGradient(model: Mlp, x: Float32Array, rows: number, labels: Int32Array): { grad: Float32Array; logits: Float32Array } {
  const params = model.parameters();
  const saved = params.map((p) => p.requiresGrad);
  for (const p of params) p.requiresGrad = false;
  try {
    const { backend } = model.W1;
    // Everything made here is released at the end; the results leave as copies.
    return backend.scope(() => {
      const input = new Tensor(backend.alloc(x.length, model.W1.dtype), [rows, model.shape.inputs], backend, true);
      input.data.set(x);
      const logits = model.logits(input);
      // The mean over the batch scales every row's gradient by 1/rows; signs do not care.
      backward(ops.crossEntropyFromLogits(logits, labels));
      return { grad: Float32Array.from(input.grad!.data), logits: Float32Array.from(logits.data) };
    });
  } finally {
    params.forEach((p, i) => (p.requiresGrad = saved[i]!));
  }
}

/** Adversarial versions of the batch x with true labels `labels`. */
export function attack(model: Mlp, x: Float32Array, rows: number, labels: Int32Array, options: AttackOptions): Float32Array {
  const { eps, target } = options;
  if (!(eps >= 0) || !Number.isFinite(eps)) throw new ArgumentError('eps', eps, 'must be a finite number >= 0');
  if (target !== undefined && !(Number.isInteger(target) && target >= 0 && target < model.shape.outputs)) {
    throw new ArgumentError('target', target, `must be a class 0..${model.shape.outputs - 1}`);
  }
  const goal = target === undefined ? labels : new Int32Array(rows).fill(target);
  const direction = target === undefined ? 1 : -1; // ascend the true loss, or descend the target's
  const clipBall = (v: number, x0: number) => Math.min(1, Math.max(0, Math.min(x0 + eps, Math.max(x0 - eps, v))));
  if (eps === 0) return Float32Array.from(x);
  if (options.method === 'fgsm') {
    const { grad } = inputGradient(model, x, rows, goal);
    return Float32Array.from(x, (v, i) => clipBall(v + direction * eps * Math.sign(grad[i]!), v));
  }
  const steps = options.steps ?? 10;
  const alpha = options.stepSize ?? (2.5 * eps) / steps;
  if (!Number.isInteger(steps) || steps < 1) throw new ArgumentError('steps', steps, 'must be a positive integer');
  let adv = Float32Array.from(x);
  if (options.randomStart ?? true) {
    if (!options.rng) throw new ArgumentError('rng', undefined, 'PGD with a random start needs a seeded generator');
    const rng = options.rng;
    adv = Float32Array.from(x, (v) => clipBall(v + eps * (2 * rng.uniform() - 1), v));
  }
  for (let k = 0; k < steps; k++) {
    const { grad } = inputGradient(model, adv, rows, goal);
    for (let i = 0; i < adv.length; i++) adv[i] = clipBall(adv[i]! + direction * alpha * Math.sign(grad[i]!), x[i]!);
  }
  return adv;
}
