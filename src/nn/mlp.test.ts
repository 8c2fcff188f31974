import { describe, expect, it } from 'vitest';
import fixture from './fixtures/torch-mlp.json' with { type: 'json' };
import { Random } from '../math/random.js';
import { ops, tensor } from '../tensor/index.js';
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

  it('rejects parameters of the wrong shape', () => {
    expect(() => new Mlp({ inputs: 2, hidden: 3, outputs: 2 }, tensor([1, 2], [1, 2]), tensor([0, 0, 0]), tensor([0, 0, 0, 0, 0, 0], [3, 2]), tensor([0, 0]))).toThrow(
      'W1: "shape [1, 2]" (must be [2, 3])',
    );
  });
});
