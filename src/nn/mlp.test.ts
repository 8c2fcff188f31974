import { describe, expect, it } from 'vitest';
import fixture from './fixtures/torch-mlp.json' with { type: 'json' };
import { Random } from '../math/random.js';
import { newWasmBackend, ops, referenceBackend, tensor, type Backend } from '../tensor/index.js';
import { startKernelThreads } from '../node/kernelThreads.js';
import { initMlp, Mlp, sgdStep } from './index.js';

function fromFixture(): { model: Mlp; x: ReturnType<typeof tensor>; y: Int32Array } {
  const { inputs, hidden, outputs, batch } = fixture.shape;
  const model = new Mlp(
    { inputs, hidden, outputs },
    tensor(fixture.W1, [inputs, hidden]),
    tensor(fixture.b1, [hidden]),
    tensor(fixture.W2, [hidden, outputs]),
    tensor(fixture.b2, [outputs]),
  );
  return { model, x: tensor(fixture.x, [batch, inputs]), y: new Int32Array(fixture.y) };
}

const close = (got: ArrayLike<number>, want: number[], tol: number) => {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!)));
  expect(worst).toBeLessThan(tol);
};

describe('the MLP against PyTorch (same weights, same batch, float32)', () => {
  it.each([
    ['assignment', (m: Mlp, x: ReturnType<typeof tensor>, y: Int32Array) => ops.assignmentLoss(m.probabilities(x), y)],
    ['stable', (m: Mlp, x: ReturnType<typeof tensor>, y: Int32Array) => ops.crossEntropyFromLogits(m.logits(x), y)],
  ] as const)('%s loss: output, loss and all gradients agree to 1e-5', (kind, lossOf) => {
    const { model, x, y } = fromFixture();
    const ref = fixture[kind];
    close(model.probabilities(x).data, ref.O, 1e-5);
    const loss = lossOf(model, x, y);
    expect(Math.abs(loss.item() - ref.loss)).toBeLessThan(1e-5);
    loss.backward();
    close(model.W1.grad!.data, ref.grads.W1, 1e-5);
    close(model.b1.grad!.data, ref.grads.b1, 1e-5);
    close(model.W2.grad!.data, ref.grads.W2, 1e-5);
    close(model.b2.grad!.data, ref.grads.b2, 1e-5);
  });
});

describe('initMlp and sgdStep', () => {
  it('draws W ~ 0.01·N(0, 1) and sets b = 0, reproducibly', () => {
    const a = initMlp({ inputs: 784, hidden: 256, outputs: 10 }, new Random(3));
    const b = initMlp({ inputs: 784, hidden: 256, outputs: 10 }, new Random(3));
    expect(a.W1.data).toEqual(b.W1.data);
    const w = a.W1.toArray();
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    const sd = Math.sqrt(w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length);
    expect(Math.abs(mean)).toBeLessThan(1e-4);
    expect(sd).toBeGreaterThan(0.0099);
    expect(sd).toBeLessThan(0.0101);
    expect(a.b1.toArray().every((v) => v === 0)).toBe(true);
    expect(a.b2.toArray().every((v) => v === 0)).toBe(true);
  });

  it('updates w ← w − lr·∇w in place and zeroes the gradient', () => {
    const { model, x, y } = fromFixture();
    const before = model.W2.toArray();
    ops.assignmentLoss(model.probabilities(x), y).backward();
    const grad = model.W2.grad!.toArray();
    const buffers = model.parameters().map((p) => p.data);
    sgdStep(model.parameters(), 0.1);
    model.W2.toArray().forEach((v, i) => expect(v).toBeCloseTo(before[i]! - 0.1 * grad[i]!, 6));
    expect(model.W2.grad!.toArray().every((v) => v === 0)).toBe(true);
    expect(model.parameters().map((p) => p.data)).toEqual(buffers);
  });

  // A batch like MNIST's (mostly zeros, so the wasm backend takes its sparse path for X·W₁).
  function batch(backend: Backend, rows: number, seed: number) {
    const r = new Random(seed);
    const x = tensor(Array.from({ length: rows * 784 }, () => (r.uniform() < 0.8 ? 0 : r.uniform())), [rows, 784], { backend });
    const y = Int32Array.from({ length: rows }, () => r.integer(10));
    return { x, y };
  }

  describe.each([
    // The reference backend rounds the fused product once where sgdStep rounds the gradient first.
    ['the reference backend', async () => referenceBackend, 1e-7],
    ['wasm, one thread', async () => newWasmBackend({ shared: false })!, 0],
    [
      'wasm, two threads',
      async () => {
        const backend = newWasmBackend()!;
        await startKernelThreads(backend, 2);
        return backend;
      },
      0,
    ],
  ] as const)('backward({ sgd }) on %s', (_, make, tol) => {
    const step = (model: Mlp, x: ReturnType<typeof tensor>, y: Int32Array, fused: boolean, twice: boolean) =>
      model.W1.backend.scope(() => {
        let loss = ops.assignmentLoss(model.probabilities(x), y);
        // The batch twice: every parameter has two uses (no in-place update into the parameter).
        if (twice) loss = ops.add(loss, ops.assignmentLoss(model.probabilities(x), y));
        if (fused) loss.backward({ sgd: { lr: 0.1 } });
        else {
          loss.backward();
          sgdStep(model.parameters(), 0.1);
        }
      });

    it.each([false, true])('makes the update of backward() then sgdStep, step after step (batch used twice: %s)', async (twice) => {
      const backend = await make();
      const models = [0, 1].map(() => initMlp({ inputs: 784, hidden: 64, outputs: 10 }, new Random(5), { backend }));
      for (let s = 0; s < 4; s++) {
        const { x, y } = batch(backend, 32, s);
        step(models[0]!, x, y, false, twice);
        step(models[1]!, x, y, true, twice);
      }
      const [plain, fused] = models.map((m) => m.parameters().map((p) => p.toArray()));
      for (let i = 0; i < plain!.length; i++) {
        const worst = plain![i]!.reduce((w, v, j) => Math.max(w, Math.abs(v - fused![i]![j]!)), 0);
        expect(worst, `parameter ${i}`).toBeLessThanOrEqual(tol);
      }
      // The fused steps made no gradient buffers.
      expect(models[1]!.parameters().every((p) => p.grad === null)).toBe(true);
      expect(plain![0]).not.toEqual(models[0]!.parameters()[0]!.toArray().map(() => 0));
    });
  });

  it('backward({ sgd }) rejects a learning rate that is not a finite number', () => {
    const { model, x, y } = fromFixture();
    expect(() => ops.assignmentLoss(model.probabilities(x), y).backward({ sgd: { lr: Number.NaN } })).toThrow(/sgd.lr/);
  });

  it('rejects parameters of the wrong shape', () => {
    expect(() => new Mlp({ inputs: 2, hidden: 3, outputs: 2 }, tensor([1, 2], [1, 2]), tensor([0, 0, 0]), tensor([0, 0, 0, 0, 0, 0], [3, 2]), tensor([0, 0]))).toThrow(
      'W1: "shape [1, 2]" (must be [2, 3])',
    );
  });
});
