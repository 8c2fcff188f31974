import { record } from '../autograd.js';
import type { Tensor } from '../tensor.js';
import { broadcastBinary, toTensors, type Operand } from './binary.js';
import { neg } from './neg.js';
import { unbroadcast } from './util.js';

/** a − b with broadcasting. VJP: (g, −g). */
export function sub(x: Operand, y: Operand): Tensor {
  const [a, b] = toTensors(x, y);
  const out = broadcastBinary('sub', 'sub', a, b);
  return record(out, 'sub', [a, b], (g) => [a.requiresGrad ? unbroadcast(g, a.shape) : null, b.requiresGrad ? unbroadcast(neg(g), b.shape) : null]);
}
