import { record } from '../autograd.js';
import type { Tensor } from '../tensor.js';
import { map } from './unary.js';

/** −x. VJP: −g. */
export function neg(x: Tensor): Tensor {
  return record(map('neg', x), 'neg', [x], (g) => [neg(g)]);
}
