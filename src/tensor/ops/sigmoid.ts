import { record } from '../autograd.js';
import type { Tensor } from '../tensor.js';
import { mul } from './mul.js';
import { sub } from './sub.js';
import { map } from './unary.js';

/** σ(x) = 1/(1 + e⁻ˣ). VJP: g·σ(x)(1 − σ(x)). */
export function sigmoid(x: Tensor): Tensor {
  const out = map('sigmoid', x);
  return record(out, 'sigmoid', [x], (g) => [mul(g, mul(out, sub(1, out)))]);
}
