import { record } from '../autograd.js';
import type { Tensor } from '../tensor.js';
import { broadcastBinary, toTensors, type Operand } from './binary.js';
import { unbroadcast } from './util.js';

/** a · b elementwise with broadcasting. VJP: (g·b, g·a). */
export function mul(x: Operand, y: Operand): Tensor {
  const [a, b] = toTensors(x, y);
  const out = broadcastBinary('mul', 'mul', a, b);
  return record(out, 'mul', [a, b], (g) => [a.requiresGrad ? unbroadcast(mul(g, b), a.shape) : null, b.requiresGrad ? unbroadcast(mul(g, a), b.shape) : null]);
}
