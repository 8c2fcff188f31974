/**
 * The assignment's classifier (ASSIGNMENT §3): H = ReLU(X W₁ + b₁), O = softmax(H W₂ + b₂), with
 * W ~ 0.01·N(0, 1) and b = 0, built from tensor ops only (no layer library), and plain SGD
 * written by hand: w ← w − lr·∇w, then zero the gradient.
 * Example:
 *   const model = initMlp({ inputs: 784, hidden: 256, outputs: 10 }, new Random(0));
 *   const loss = ops.assignmentLoss(model.probabilities(x), labels);
 *   loss.backward(); sgdStep(model.parameters(), 0.1);
 */
import { ArgumentError } from '../errors.js';
import type { Random } from '../math/random.js';
import { noGrad } from '../tensor/autograd.js';
import type { Backend, DType } from '../tensor/backend.js';
import * as ops from '../tensor/ops/index.js';
import { Tensor, getDefaultBackend } from '../tensor/tensor.js';

export interface MlpShape {
  inputs: number;
  hidden: number;
  outputs: number;
}

export class Mlp {
  constructor(
    readonly shape: MlpShape,
    readonly W1: Tensor,
    readonly b1: Tensor,
    readonly W2: Tensor,
    readonly b2: Tensor,
  ) {
    const expect = (name: string, t: Tensor, dims: number[]) => {
      if (t.shape.length !== dims.length || t.shape.some((d, i) => d !== dims[i])) {
        throw new ArgumentError(name, `shape [${t.shape.join(', ')}]`, `must be [${dims.join(', ')}]`);
      }
    };
    expect('W1', W1, [shape.inputs, shape.hidden]);
    expect('b1', b1, [shape.hidden]);
    expect('W2', W2, [shape.hidden, shape.outputs]);
    expect('b2', b2, [shape.outputs]);
    for (const p of this.parameters()) p.requiresGrad = true;
  }

  parameters(): Tensor[] {
    return [this.W1, this.b1, this.W2, this.b2];
  }

  /** The named parameters, in a fixed order (for checkpoints). */
  namedParameters(): Array<[string, Tensor]> {
    return [
      ['W1', this.W1],
      ['b1', this.b1],
      ['W2', this.W2],
      ['b2', this.b2],
    ];
  }

  /** H = ReLU(X W₁ + b₁) (the bias and the ReLU in one fused op). */
  hiddenLayer(x: Tensor): Tensor {
    return ops.biasRelu(ops.matmul(x, this.W1), this.b1);
  }

  /** H W₂ + b₂: the inputs of the softmax. */
  logits(x: Tensor): Tensor {
    return ops.add(ops.matmul(this.hiddenLayer(x), this.W2), this.b2);
  }

  /** O = softmax(H W₂ + b₂). */
  probabilities(x: Tensor): Tensor {
    return ops.softmax(this.logits(x));
  }
}

export interface InitOptions {
  dtype?: DType;
  backend?: Backend;
  /** The standard deviation of the weights (the assignment's 0.01). */
  scale?: number;
}

/** A fresh model: W ~ scale·N(0, 1) drawn from `rng` (W₁ then W₂, row by row), b = 0. */
export function initMlp(shape: MlpShape, rng: Random, { dtype = 'float32', backend = getDefaultBackend(), scale = 0.01 }: InitOptions = {}): Mlp {
  for (const [k, v] of Object.entries(shape)) if (!Number.isSafeInteger(v) || v < 1) throw new ArgumentError(k, v, 'must be a positive integer');
  const normal = (rows: number, cols: number) => {
    const data = backend.alloc(rows * cols, dtype, { persistent: true });
    for (let i = 0; i < data.length; i++) data[i] = scale * rng.normal();
    return new Tensor(data, [rows, cols], backend);
  };
  const W1 = normal(shape.inputs, shape.hidden);
  const W2 = normal(shape.hidden, shape.outputs);
  const b1 = new Tensor(backend.alloc(shape.hidden, dtype, { persistent: true }), [shape.hidden], backend);
  const b2 = new Tensor(backend.alloc(shape.outputs, dtype, { persistent: true }), [shape.outputs], backend);
  return new Mlp(shape, W1, b1, W2, b2);
}

/**
 * Plain SGD by hand: w ← w − lr·∇w for every parameter, then its gradient is set to 0 (one
 * pass over both, the backend's `sgd` kernel). The training loop fuses the same update into the
 * backward pass instead (`loss.backward({ sgd: { lr } })`), which saves a pass over each weight.
 */
export function sgdStep(params: Iterable<Tensor>, lr: number): void {
  noGrad(() => {
    for (const p of params) if (p.grad) p.backend.sgd(lr, p.grad.data, p.data);
  });
}
