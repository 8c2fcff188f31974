import { record } from '../autograd.js';
import type { Tensor } from '../tensor.js';
import { expandRaw } from './expand.js';
import { normalizeAxis, reduceAxis, reshapeRaw } from './util.js';

/**
 * The sum over `axis` (all elements when omitted, giving a one-element tensor of shape []).
 * VJP: g broadcast back over the summed axis.
 */
export function sum(x: Tensor, axis?: number, { keepDims = false }: { keepDims?: boolean } = {}): Tensor {
  if (axis === undefined) {
    const flat = reshapeRaw(x, [x.size]);
    const out = reshapeRaw(reduceAxis(flat, 0), keepDims ? x.shape.map(() => 1) : []);
    return record(out, 'sum', [x], (g) => [expandRaw(reshapeRaw(g, x.shape.map(() => 1)), x.shape)]);
  }
  const a = normalizeAxis('sum', axis, x.rank);
  const kept = reduceAxis(x, a);
  const out = keepDims ? kept : reshapeRaw(kept, x.shape.filter((_, i) => i !== a));
  return record(out, 'sum', [x], (g) => [expandRaw(reshapeRaw(g, kept.shape), x.shape)]);
}
