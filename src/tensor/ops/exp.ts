import { record } from '../autograd.js';
import type { Tensor } from '../tensor.js';
import { mul } from './mul.js';
import { map } from './unary.js';

/** eˣ. VJP: g·eˣ (the output itself). */
export function exp(x: Tensor): Tensor {
  const out = map('exp', x);
  return record(out, 'exp', [x], (g) => [mul(g, out)]);
}
