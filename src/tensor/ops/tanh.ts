import { record } from '../autograd.js';
import type { Tensor } from '../tensor.js';
import { mul } from './mul.js';
import { sub } from './sub.js';
import { map } from './unary.js';

/** tanh x. VJP: g·(1 − tanh² x). */
export function tanh(x: Tensor): Tensor {
  const out = map('tanh', x);
  return record(out, 'tanh', [x], (g) => [mul(g, sub(1, map('square', out)))]);
}
