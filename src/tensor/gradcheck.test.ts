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
  { name: 'biasRelu (fused)', inputs: (r) => [rand(r, [3, 4]), rand(r, [4])], f: (a, b) => ops.biasRelu(a!, b!) },
  { name: 'softmaxCrossEntropy (fused, ε = 0)', inputs: (r) => [rand(r, [3, 4], -3, 3)], f: (a) => ops.softmaxCrossEntropy(a!, LABELS).loss },
  { name: 'softmaxCrossEntropy (fused, ε = 1e−12)', inputs: (r) => [rand(r, [3, 4], -3, 3)], f: (a) => ops.softmaxCrossEntropy(a!, LABELS, { epsilon: 1e-12 }).loss },
  { name: 'softmaxCrossEntropy (fused, ε = 0.1)', inputs: (r) => [rand(r, [3, 4], -3, 3)], f: (a) => ops.softmaxCrossEntropy(a!, LABELS, { epsilon: 0.1 }).loss },
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

describe('the fused ops equal the compositions they replace (float64)', () => {
  const PAIRS: Array<[string, (x: Tensor, b: Tensor) => Tensor, (x: Tensor, b: Tensor) => Tensor]> = [
    ['biasRelu = relu(x + b)', (x, b) => ops.biasRelu(x, b), (x, b) => ops.relu(ops.add(x, b))],
    ['softmaxCrossEntropy(ε = 1e−12) = assignmentLoss(softmax)', (x, b) => ops.softmaxCrossEntropy(ops.add(x, b), LABELS, { epsilon: 1e-12 }).loss, (x, b) => ops.assignmentLoss(ops.softmax(ops.add(x, b)), LABELS)],
    ['softmaxCrossEntropy(ε = 0) = crossEntropyFromLogits', (x, b) => ops.softmaxCrossEntropy(ops.add(x, b), LABELS).loss, (x, b) => ops.crossEntropyFromLogits(ops.add(x, b), LABELS)],
  ];
  it.each(PAIRS)('%s: values and gradients agree to 1e-12', (_, fused, plain) => {
    for (const seed of [1, 2, 3]) {
      const rng = new Random(seed);
      const inputs = () => {
        const r = new Random(seed);
        return [rand(r, [3, 4], -4, 4), rand(r, [4])];
      };
      const weights = tensor(Array.from({ length: 12 }, () => rng.uniform() - 0.5), [3, 4], { dtype: 'float64' });
      const run = (f: (x: Tensor, b: Tensor) => Tensor) => {
        const [x, b] = inputs() as [Tensor, Tensor];
        const out = f(x, b);
        const loss = out.size === 1 ? out : ops.sum(ops.mul(out, weights));
        loss.backward();
        return [...out.data, ...x.grad!.data, ...b.grad!.data];
      };
      const got = run(fused);
      const want = run(plain);
      got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-12 * Math.max(1, Math.abs(want[i]!))));
    }
  });

  it('softmaxCrossEntropy also returns the softmax, and rejects bad labels in one line', () => {
    const z = tensor([1, 2, 3, 0, 0, 0], [2, 3], { dtype: 'float64' });
    const { probabilities } = ops.softmaxCrossEntropy(z, Int32Array.from([2, 0]));
    const want = ops.softmax(z);
    probabilities.data.forEach((p, i) => expect(p).toBeCloseTo(want.data[i]!, 14));
    expect(() => ops.softmaxCrossEntropy(z, Int32Array.from([3, 0]))).toThrow(/label 3 in row 0/);
    expect(() => ops.softmaxCrossEntropy(z, Int32Array.from([1]))).toThrow(/one per row/);
  });
});
