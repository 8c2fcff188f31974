import { record } from '../autograd.js';
import type { Tensor } from '../tensor.js';
import { broadcastBinary, toTensors, type Operand } from './binary.js';
import { unbroadcast } from './util.js';

/** a + b with broadcasting. VJP: (g, g), each summed back to its operand's shape. */
export function add(x: Operand, y: Operand): Tensor {
  const [a, b] = toTensors(x, y);
  const out = broadcastBinary('add', 'add', a, b);
  return record(out, 'add', [a, b], (g) => [a.requiresGrad ? unbroadcast(g, a.shape) : null, b.requiresGrad ? unbroadcast(g, b.shape) : null]);
}
