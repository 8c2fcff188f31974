/** Broadcasting a tensor up to a larger shape (no autograd: used by the reductions' VJPs). */
import type { Tensor } from '../tensor.js';
import { broadcastShapes, broadcastStrides, empty } from './util.js';

export function expandRaw(t: Tensor, shape: readonly number[]): Tensor {
  broadcastShapes('expand', t.shape, shape);
  const out = empty(t, shape);
  const zero = t.backend.alloc(1, t.dtype);
  t.backend.binary('add', t.data, broadcastStrides(t.shape, shape), zero, shape.map(() => 0), out.data, shape);
  return out;
}
