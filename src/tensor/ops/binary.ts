/** The broadcasting forward shared by add, sub, mul and div. */
import type { BinaryKernel } from '../backend.js';
import { Tensor } from '../tensor.js';
import { broadcastShapes, broadcastStrides, checkSameKind, empty } from './util.js';

export type Operand = Tensor | number;

/** A one-element tensor holding `value`, on the backend and dtype of `like`. */
export function scalarLike(like: Tensor, value: number): Tensor {
  const t = empty(like, []);
  t.data[0] = value;
  return t;
}

export function toTensors(a: Operand, b: Operand): [Tensor, Tensor] {
  if (a instanceof Tensor && b instanceof Tensor) return [a, b];
  if (a instanceof Tensor) return [a, scalarLike(a, b as number)];
  if (b instanceof Tensor) return [scalarLike(b, a as number), b];
  throw new Error('a binary op needs at least one tensor');
}

/** out = a ∘ b with NumPy broadcasting (no autograd). */
export function broadcastBinary(op: string, kernel: BinaryKernel, a: Tensor, b: Tensor): Tensor {
  checkSameKind(op, a, b);
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = empty(a, shape);
  a.backend.binary(kernel, a.data, broadcastStrides(a.shape, shape), b.data, broadcastStrides(b.shape, shape), out.data, shape);
  return out;
}
