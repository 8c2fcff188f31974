import { ArgumentError } from '../../errors.js';
import { record } from '../autograd.js';
import type { Tensor } from '../tensor.js';
import { checkRowIndices, empty } from './util.js';

/**
 * x[r, index[r]] for each row r of a 2-D x: picks O[y] from the output probabilities.
 * VJP: g scattered back into a zero tensor of x's shape.
 */
export function gather(x: Tensor, index: Int32Array): Tensor {
  if (x.rank !== 2) throw new ArgumentError('gather', `shape [${x.shape.join(', ')}]`, 'needs a 2-D tensor');
  const [rows, cols] = x.shape as [number, number];
  checkRowIndices('gather', 'index', index, rows, cols);
  const out = empty(x, [rows]);
  x.backend.gather(x.data, rows, cols, index, out.data);
  return record(out, 'gather', [x], (g) => {
    const dx = empty(x, x.shape);
    x.backend.fill(dx.data, 0);
    x.backend.scatterAdd(g.data, rows, cols, index, dx.data);
    return [dx];
  });
}
