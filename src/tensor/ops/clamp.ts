import { ArgumentError } from '../../errors.js';
import { record } from '../autograd.js';
import type { Tensor } from '../tensor.js';
import { broadcastBinary } from './binary.js';
import { empty } from './util.js';

/** min(max(x, lo), hi). VJP: g where lo <= x <= hi, else 0. */
export function clamp(x: Tensor, lo: number, hi: number): Tensor {
  if (!(lo <= hi)) throw new ArgumentError('clamp', `[${lo}, ${hi}]`, 'needs lo <= hi');
  const out = empty(x, x.shape);
  const mask = empty(x, x.shape);
  x.backend.clamp(x.data, lo, hi, out.data, mask.data);
  return record(out, 'clamp', [x], (g) => [broadcastBinary('clamp', 'mul', g, mask)]);
}
