/** The forward shared by the elementwise maps (no autograd). */
import type { UnaryKernel } from '../backend.js';
import type { Tensor } from '../tensor.js';
import { empty } from './util.js';

export function map(kernel: UnaryKernel, x: Tensor): Tensor {
  const out = empty(x, x.shape);
  x.backend.unary(kernel, x.data, out.data);
  return out;
}
