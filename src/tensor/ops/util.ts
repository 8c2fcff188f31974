/** Shape helpers shared by the ops: broadcasting, strides, and the one `unbroadcast`. */
import { ArgumentError } from '../../errors.js';
import { Tensor, sizeOf } from '../tensor.js';

/** The NumPy broadcast of two shapes, or an error naming the op. */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new ArgumentError(op, `shapes [${a.join(', ')}] and [${b.join(', ')}]`, 'must broadcast (equal or 1 on each axis)');
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides for reading a tensor of `shape` as if it had `target` (0 on broadcast axes). */
export function broadcastStrides(shape: readonly number[], target: readonly number[]): number[] {
  const strides = new Array<number>(target.length).fill(0);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const t = target.length - shape.length + i;
    strides[t] = shape[i] === 1 ? 0 : stride;
    stride *= shape[i]!;
  }
  return strides;
}

/**
 * A new tensor of `shape` on the backend and dtype of `like`, its contents unspecified: for the
 * output of a kernel that writes every element.
 */
export function empty(like: Tensor, shape: readonly number[]): Tensor {
  return new Tensor(like.backend.alloc(sizeOf(shape), like.dtype, { uninitialized: true }), shape, like.backend);
}

export function checkSameKind(op: string, a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype) throw new ArgumentError(op, `${a.dtype} and ${b.dtype}`, 'needs tensors of one dtype');
  if (a.backend !== b.backend) throw new ArgumentError(op, `${a.backend.name} and ${b.backend.name}`, 'needs tensors on one backend');
}

/**
 * Sums `grad` (of a broadcast result) back down to `shape`: over the leading axes the broadcast
 * added and over every axis where `shape` has 1. Every binary op's VJP uses it.
 */
export function unbroadcast(grad: Tensor, shape: readonly number[]): Tensor {
  if (grad.shape.length === shape.length && grad.shape.every((d, i) => d === shape[i])) return grad;
  let g = grad;
  const lead = g.shape.length - shape.length;
  // Sum axes one at a time (each a [outer, n, inner] reduction), last axis first.
  for (let axis = g.shape.length - 1; axis >= 0; axis--) {
    const target = axis < lead ? 1 : shape[axis - lead]!;
    if (target === 1 && g.shape[axis] !== 1) g = reduceAxis(g, axis);
  }
  return reshapeRaw(g, shape);
}

/** Sum over one axis, keeping it as length 1 (no autograd: used inside VJPs). */
export function reduceAxis(t: Tensor, axis: number, op: 'sum' | 'max' = 'sum'): Tensor {
  const outer = t.shape.slice(0, axis).reduce((x, y) => x * y, 1);
  const n = t.shape[axis]!;
  const inner = t.shape.slice(axis + 1).reduce((x, y) => x * y, 1);
  const shape = [...t.shape];
  shape[axis] = 1;
  const out = empty(t, shape);
  t.backend.reduce(op, t.data, outer, n, inner, out.data);
  return out;
}

/** The same buffer under another shape of the same size (no copy, no autograd). */
export function reshapeRaw(t: Tensor, shape: readonly number[]): Tensor {
  return new Tensor(t.data, shape, t.backend);
}

/** Resolves a possibly negative axis. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) throw new ArgumentError(op, `axis ${axis}`, `must be an axis of a rank-${rank} tensor`);
  return a;
}

/** Checks one index per row of a rows×cols tensor, each in 0..cols−1 (`noun`: what they are). */
export function checkRowIndices(op: string, noun: 'index' | 'label', index: Int32Array, rows: number, cols: number): void {
  const plural = noun === 'index' ? 'indices' : 'labels';
  if (index.length !== rows) throw new ArgumentError(op, `${index.length} ${plural}`, `needs one per row (${rows})`);
  for (let r = 0; r < rows; r++) {
    const i = index[r]!;
    if (!(i >= 0 && i < cols)) throw new ArgumentError(op, `${noun} ${i} in row ${r}`, `must be in 0..${cols - 1}`);
  }
}
