import { record } from '../autograd.js';
import type { Tensor } from '../tensor.js';
import { div } from './div.js';
import { map } from './unary.js';

/** ln x. VJP: g/x. */
export function log(x: Tensor): Tensor {
  return record(map('log', x), 'log', [x], (g) => [div(g, x)]);
}
