import { ArgumentError } from '../../errors.js';
import { record } from '../autograd.js';
import type { Tensor } from '../tensor.js';
import { empty } from './util.js';

/** xᵀ of a 2-D tensor (a copy). VJP: gᵀ. */
export function transpose(x: Tensor): Tensor {
  if (x.rank !== 2) throw new ArgumentError('transpose', `shape [${x.shape.join(', ')}]`, 'needs a 2-D tensor');
  const [rows, cols] = x.shape as [number, number];
  const out = empty(x, [cols, rows]);
  x.backend.transpose(x.data, rows, cols, out.data);
  return record(out, 'transpose', [x], (g) => [transpose(g)]);
}
