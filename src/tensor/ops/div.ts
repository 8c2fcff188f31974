import { record } from '../autograd.js';
import type { Tensor } from '../tensor.js';
import { broadcastBinary, toTensors, type Operand } from './binary.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { unbroadcast } from './util.js';

/** a / b elementwise with broadcasting. VJP: (g/b, −g·(a/b)/b). */
export function div(x: Operand, y: Operand): Tensor {
  const [a, b] = toTensors(x, y);
  const out = broadcastBinary('div', 'div', a, b);
  return record(out, 'div', [a, b], (g) => [
    a.requiresGrad ? unbroadcast(div(g, b), a.shape) : null,
    b.requiresGrad ? unbroadcast(neg(mul(g, div(out, b))), b.shape) : null,
  ]);
}
