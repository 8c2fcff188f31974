import { ArgumentError } from '../../errors.js';
import { record } from '../autograd.js';
import type { Tensor } from '../tensor.js';
import { empty } from './util.js';

/**
 * x[r, index[r]] for each row r of a 2-D x: picks O[y] from the output probabilities.
 * VJP: g scattered back into a zero tensor of x's shape.
 */
export function gather(x: Tensor, index: Int32Array): Tensor {
  if (x.rank !== 2) throw new ArgumentError('gather', `shape [${x.shape.join(', ')}]`, 'needs a 2-D tensor');
  const [rows, cols] = x.shape as [number, number];
  if (index.length !== rows) throw new ArgumentError('gather', `${index.length} indices`, `needs one per row (${rows})`);
  for (let r = 0; r < rows; r++) {
    const i = index[r]!;
    if (!(i >= 0 && i < cols)) throw new ArgumentError('gather', `index ${i} in row ${r}`, `must be in 0..${cols - 1}`);
  }
  const out = empty(x, [rows]);
  x.backend.gather(x.data, rows, cols, index, out.data);
  return record(out, 'gather', [x], (g) => {
    const dx = empty(x, x.shape);
    x.backend.fill(dx.data, 0);
    x.backend.scatterAdd(g.data, rows, cols, index, dx.data);
    return [dx];
  });
}
