import { ArgumentError } from '../../errors.js';
import { record } from '../autograd.js';
import { sizeOf, type Tensor } from '../tensor.js';
import { reshapeRaw } from './util.js';

/** The same values under another shape of the same size (shares the buffer). VJP: reshape back. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  if (sizeOf(shape) !== x.size) throw new ArgumentError('reshape', `[${x.shape.join(', ')}] to [${shape.join(', ')}]`, 'needs the same number of elements');
  return record(reshapeRaw(x, shape), 'reshape', [x], (g) => [reshape(g, x.shape)]);
}
