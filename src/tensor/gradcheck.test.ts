import { describe, expect, it } from 'vitest';
import { Random } from '../math/random.js';
import { ops, tensor, type Tensor } from './index.js';

/** Random float64 tensor of a shape, values in [lo, hi]. */
function rand(rng: Random, shape: number[], lo = -1, hi = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform()), shape, { dtype: 'float64', requiresGrad: true });
}

interface Case {
  name: string;
  inputs: (rng: Random) => Tensor[];
  f: (...xs: Tensor[]) => Tensor;
}

const LABELS = new Int32Array([2, 0, 1]);

// One row per primitive (and a few composites), each with shapes that exercise broadcasting.
const CASES: Case[] = [
  { name: 'matmul', inputs: (r) => [rand(r, [3, 4]), rand(r, [4, 2])], f: (a, b) => ops.matmul(a!, b!) },
  { name: 'matmul Aᵀ', inputs: (r) => [rand(r, [4, 3]), rand(r, [4, 2])], f: (a, b) => ops.matmul(a!, b!, { transA: true }) },
  { name: 'matmul Bᵀ', inputs: (r) => [rand(r, [3, 4]), rand(r, [2, 4])], f: (a, b) => ops.matmul(a!, b!, { transB: true }) },
  { name: 'matmul AᵀBᵀ', inputs: (r) => [rand(r, [4, 3]), rand(r, [2, 4])], f: (a, b) => ops.matmul(a!, b!, { transA: true, transB: true }) },
  { name: 'add (bias broadcast)', inputs: (r) => [rand(r, [3, 4]), rand(r, [4])], f: (a, b) => ops.add(a!, b!) },
  { name: 'add (column broadcast)', inputs: (r) => [rand(r, [3, 1]), rand(r, [1, 4])], f: (a, b) => ops.add(a!, b!) },
  { name: 'sub', inputs: (r) => [rand(r, [2, 3]), rand(r, [2, 3])], f: (a, b) => ops.sub(a!, b!) },
  { name: 'sub (scalar broadcast)', inputs: (r) => [rand(r, [2, 3]), rand(r, [])], f: (a, b) => ops.sub(a!, b!) },
  { name: 'mul', inputs: (r) => [rand(r, [2, 3]), rand(r, [3])], f: (a, b) => ops.mul(a!, b!) },
  { name: 'div', inputs: (r) => [rand(r, [2, 3]), rand(r, [2, 1], 0.5, 2)], f: (a, b) => ops.div(a!, b!) },
  { name: 'neg', inputs: (r) => [rand(r, [5])], f: (a) => ops.neg(a!) },
  { name: 'exp', inputs: (r) => [rand(r, [5])], f: (a) => ops.exp(a!) },
  { name: 'log', inputs: (r) => [rand(r, [5], 0.2, 3)], f: (a) => ops.log(a!) },
  { name: 'relu', inputs: (r) => [rand(r, [6])], f: (a) => ops.relu(a!) },
  { name: 'sigmoid', inputs: (r) => [rand(r, [6], -4, 4)], f: (a) => ops.sigmoid(a!) },
  { name: 'tanh', inputs: (r) => [rand(r, [6], -2, 2)], f: (a) => ops.tanh(a!) },
  { name: 'sum (all)', inputs: (r) => [rand(r, [2, 3])], f: (a) => ops.sum(a!) },
  { name: 'sum (axis 0)', inputs: (r) => [rand(r, [2, 3, 2])], f: (a) => ops.sum(a!, 0) },
  { name: 'sum (axis -1, keepDims)', inputs: (r) => [rand(r, [3, 4])], f: (a) => ops.sum(a!, -1, { keepDims: true }) },
  { name: 'mean (axis 1)', inputs: (r) => [rand(r, [3, 4])], f: (a) => ops.mean(a!, 1) },
  { name: 'max (axis 1)', inputs: (r) => [rand(r, [3, 5])], f: (a) => ops.max(a!, 1) },
  { name: 'max (axis 0)', inputs: (r) => [rand(r, [4, 2])], f: (a) => ops.max(a!, 0) },
  { name: 'reshape', inputs: (r) => [rand(r, [2, 6])], f: (a) => ops.reshape(a!, [3, 4]) },
  { name: 'transpose', inputs: (r) => [rand(r, [2, 5])], f: (a) => ops.transpose(a!) },
  { name: 'gather', inputs: (r) => [rand(r, [3, 4])], f: (a) => ops.gather(a!, LABELS) },
  { name: 'clamp', inputs: (r) => [rand(r, [8], -2, 2)], f: (a) => ops.clamp(a!, -0.5, 0.7) },
  { name: 'softmax', inputs: (r) => [rand(r, [3, 4], -3, 3)], f: (a) => ops.softmax(a!) },
  { name: 'logSoftmax', inputs: (r) => [rand(r, [3, 4], -3, 3)], f: (a) => ops.logSoftmax(a!) },
  { name: 'assignmentLoss ∘ softmax', inputs: (r) => [rand(r, [3, 4], -3, 3)], f: (a) => ops.assignmentLoss(ops.softmax(a!), LABELS) },
  { name: 'crossEntropyFromLogits', inputs: (r) => [rand(r, [3, 4], -3, 3)], f: (a) => ops.crossEntropyFromLogits(a!, LABELS) },
  { name: 'a used twice (a·a + a)', inputs: (r) => [rand(r, [4])], f: (a) => ops.add(ops.mul(a!, a!), a!) },
];

describe('gradients of every op match central finite differences (float64)', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const rng = new Random(7);
    const inputs = c.inputs(rng);
    const probe = c.f(...inputs);
    // A random linear functional of the output makes every output element matter.
    const weights = tensor(Array.from({ length: probe.size }, () => rng.uniform() - 0.5), probe.shape, { dtype: 'float64' });
    const loss = (xs: Tensor[]) => ops.sum(ops.mul(c.f(...xs), weights));
    loss(inputs).backward();
    for (const [k, x] of inputs.entries()) {
      expect(x.grad, `input ${k} has a gradient`).not.toBeNull();
      for (let i = 0; i < x.size; i++) {
        const h = 1e-6;
        const saved = x.data[i]!;
        x.data[i] = saved + h;
        const up = loss(inputs).item();
        x.data[i] = saved - h;
        const down = loss(inputs).item();
        x.data[i] = saved;
        const fd = (up - down) / (2 * h);
        expect(Math.abs(x.grad!.data[i]! - fd), `${c.name}: d/dinput${k}[${i}]`).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)));
      }
    }
  });
});
