import { record } from '../autograd.js';
import type { Tensor } from '../tensor.js';
import { broadcastBinary } from './binary.js';
import { expandRaw } from './expand.js';
import { normalizeAxis, reduceAxis, reshapeRaw } from './util.js';

/**
 * The maximum over `axis`. VJP: g to the positions that attain the maximum, shared equally
 * among ties (the subgradient `torch.amax` uses).
 */
export function max(x: Tensor, axis: number, { keepDims = false }: { keepDims?: boolean } = {}): Tensor {
  const a = normalizeAxis('max', axis, x.rank);
  const kept = reduceAxis(x, a, 'max');
  const out = keepDims ? kept : reshapeRaw(kept, x.shape.filter((_, i) => i !== a));
  return record(out, 'max', [x], (g) => {
    const mask = broadcastBinary('max', 'eq', x, expandRaw(kept, x.shape));
    const ties = reduceAxis(mask, a);
    const share = broadcastBinary('max', 'div', reshapeRaw(g, kept.shape), ties);
    return [broadcastBinary('max', 'mul', mask, expandRaw(share, x.shape))];
  });
}
