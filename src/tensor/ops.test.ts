import { describe, expect, it } from 'vitest';
import { Random } from '../math/random.js';
import { backward, noGrad, ops, tensor, zeroGrad, zeros } from './index.js';
import { record } from './autograd.js';

describe('ops forward', () => {
  it('matmul agrees with a naive triple loop for every transpose combination', () => {
    const rng = new Random(1);
    const A = Array.from({ length: 12 }, () => rng.normal());
    const B = Array.from({ length: 20 }, () => rng.normal());
    const naive = (a: number[], b: number[], m: number, k: number, n: number, ta: boolean, tb: boolean) => {
      const out: number[] = [];
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += (ta ? a[p * m + i]! : a[i * k + p]!) * (tb ? b[j * k + p]! : b[p * n + j]!);
          out.push(s);
        }
      return out;
    };
    // A as 3×4 (or 4×3 for Aᵀ), B as 4×5 (or 5×4 for Bᵀ).
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const a = tensor(A, ta ? [4, 3] : [3, 4], { dtype: 'float64' });
      const b = tensor(B, tb ? [5, 4] : [4, 5], { dtype: 'float64' });
      const c = ops.matmul(a, b, { transA: ta, transB: tb });
      expect(c.shape).toEqual([3, 5]);
      naive(A, B, 3, 4, 5, ta, tb).forEach((v, i) => expect(c.data[i]).toBeCloseTo(v, 12));
    }
  });

  it('broadcasts like NumPy', () => {
    const a = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(ops.add(a, tensor([10, 20, 30])).toArray()).toEqual([11, 22, 33, 14, 25, 36]);
    expect(ops.mul(tensor([1, 2], [2, 1]), tensor([1, 10, 100], [1, 3])).toArray()).toEqual([1, 10, 100, 2, 20, 200]);
    expect(ops.sub(a, 1).toArray()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(() => ops.add(a, tensor([1, 2]))).toThrow('add: "shapes [2, 3] and [2]" (must broadcast (equal or 1 on each axis))');
  });

  it('reduces over an axis', () => {
    const a = tensor([1, 5, 3, 4, 2, 6], [2, 3]);
    expect(ops.sum(a, 0).toArray()).toEqual([5, 7, 9]);
    expect(ops.sum(a, 1).toArray()).toEqual([9, 12]);
    expect(ops.sum(a).item()).toBe(21);
    expect(ops.max(a, 1).toArray()).toEqual([5, 6]);
    expect(ops.mean(a, 0).toArray()).toEqual([2.5, 3.5, 4.5]);
    expect(ops.sum(a, -1, { keepDims: true }).shape).toEqual([2, 1]);
  });

  it('gathers O[y], clamps, and has softmax rows that sum to 1', () => {
    const o = tensor([0.1, 0.7, 0.2, 0.5, 0.25, 0.25], [2, 3]);
    expect(ops.gather(o, new Int32Array([1, 0])).toArray().map((v) => Number(v.toFixed(6)))).toEqual([0.7, 0.5]);
    expect(() => ops.gather(o, new Int32Array([3, 0]))).toThrow('gather: "index 3 in row 0" (must be in 0..2)');
    expect(ops.clamp(tensor([-2, 0.5, 3]), 0, 1).toArray()).toEqual([0, 0.5, 1]);
    const s = ops.softmax(tensor([1000, 1001, 1002, -5, 0, 5], [2, 3], { dtype: 'float64' }));
    expect(s.data[0]! + s.data[1]! + s.data[2]!).toBeCloseTo(1, 15);
    expect(s.data[2]).toBeCloseTo(Math.exp(2) / (1 + Math.exp(1) + Math.exp(2)), 15);
  });

  it('names the op and the shapes when matmul dimensions disagree', () => {
    expect(() => ops.matmul(zeros([2, 3]), zeros([4, 5]))).toThrow('matmul: "shapes [2, 3] and [4, 5]" (inner dimensions must agree (3 vs 4))');
    expect(() => ops.matmul(zeros([2, 3]), zeros([2, 3], { dtype: 'float64' }))).toThrow(/one dtype/);
  });
});

describe('autograd', () => {
  it('accumulates leaf gradients in place across backward calls, and zeroGrad clears them', () => {
    const w = tensor([1, 2, 3], [3], { requiresGrad: true });
    ops.sum(ops.mul(w, w)).backward();
    const buffer = w.grad!.data;
    expect(w.grad!.toArray()).toEqual([2, 4, 6]);
    ops.sum(ops.mul(w, w)).backward();
    expect(w.grad!.data).toBe(buffer); // the same buffer: no new gradient tensor
    expect(w.grad!.toArray()).toEqual([4, 8, 12]);
    zeroGrad([w]);
    expect(w.grad!.toArray()).toEqual([0, 0, 0]);
    expect(w.grad!.data).toBe(buffer);
  });

  it('records nothing under noGrad', () => {
    const w = tensor([1, 2], [2], { requiresGrad: true });
    const y = noGrad(() => ops.mul(w, 3));
    expect(y.requiresGrad).toBe(false);
    expect(y.node).toBeNull();
    expect(() => ops.sum(y).backward()).toThrow(/needs a tensor computed from tensors that require gradients/);
  });

  it('checks every gradient\'s shape and names the op', () => {
    const w = tensor([1, 2], [2], { requiresGrad: true });
    const bad = record(tensor([5]), 'broken', [w], () => [tensor([1, 1, 1])]);
    expect(() => backward(bad)).toThrow('backward of broken: gradient of input 0 has shape [3], expected [2]');
  });

  it('only starts from a one-element tensor', () => {
    const w = tensor([1, 2], [2], { requiresGrad: true });
    expect(() => ops.mul(w, 2).backward()).toThrow(/needs a tensor with one element/);
  });

  it('does not corrupt a gradient shared by two inputs (add passes it through)', () => {
    const a = tensor([1, 2], [2], { requiresGrad: true });
    const b = tensor([3, 4], [2], { requiresGrad: true });
    const s = ops.add(a, b);
    ops.sum(ops.add(ops.mul(s, 2), s)).backward(); // d/ds = 3 through two paths
    expect(a.grad!.toArray()).toEqual([3, 3]);
    expect(b.grad!.toArray()).toEqual([3, 3]);
  });
});
