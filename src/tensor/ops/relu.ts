import { record } from '../autograd.js';
import type { Tensor } from '../tensor.js';
import { mul } from './mul.js';
import { map } from './unary.js';

/** max(0, x). VJP: g·[x > 0] (0 at x = 0, as PyTorch). */
export function relu(x: Tensor): Tensor {
  return record(map('relu', x), 'relu', [x], (g) => [mul(g, map('step', x))]);
}
