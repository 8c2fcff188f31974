/**
 * A Tensor: a shape, a dtype and a buffer owned by a backend, plus what autograd needs (whether
 * it wants a gradient, its gradient, and the op that produced it). The maths lives in `ops/`;
 * this class only holds data. Example: `const t = tensor([1, 2, 3, 4], [2, 2]);`
 */
import { ArgumentError } from '../errors.js';
import type { Backend, DType, Storage } from './backend.js';
import { JsBackend } from './backends/js.js';

/** The plain TypeScript reference backend. */
export const referenceBackend: Backend = new JsBackend();

let currentDefault: Backend = referenceBackend;

/** The backend used when none is given (the reference backend unless a shell chose another). */
export function getDefaultBackend(): Backend {
  return currentDefault;
}

/** Chooses the backend of tensors made without one (the CLI sets it from --backend). */
export function setDefaultBackend(backend: Backend): void {
  currentDefault = backend;
}

/** The record of how a tensor was made, for the backward sweep. */
export interface GradNode {
  op: string;
  inputs: Tensor[];
  /**
   * The gradients of the inputs from the gradient of the output (null where not needed).
   * `into[j]`, where autograd gives it (when this op is a parameter's only use), is where input
   * j's gradient goes in the end: an op may add alpha times the gradient into `into[j].tensor` in
   * place and return that tensor, which saves making the gradient and adding it in another pass.
   * The tensor is the parameter's .grad (alpha 1), or, with SGD fused into the backward pass, the
   * parameter itself (alpha −lr; then no other input of the op wants a gradient).
   */
  vjp(grad: Tensor, into?: ReadonlyArray<GradTarget | null>): Array<Tensor | null>;
}

/** Where an op may add a multiple of an input's gradient in place (see GradNode.vjp). */
export interface GradTarget {
  tensor: Tensor;
  alpha: number;
}

export interface BackwardOptions {
  /**
   * Plain SGD fused into the backward pass: every leaf that wants a gradient is updated in place,
   * w ← w − lr·∂root/∂w, and its .grad is left as it was. The same update as `backward()` then
   * `sgdStep(params, lr)` (to float rounding), with a pass less over each parameter: a matmul that
   * is a weight's only use adds −lr·Xᵀ·G straight into the weight, and no gradient is stored.
   */
  sgd?: { lr: number };
}

export class Tensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly data: Storage;
  readonly backend: Backend;
  requiresGrad: boolean;
  grad: Tensor | null = null;
  node: GradNode | null = null;

  constructor(data: Storage, shape: readonly number[], backend: Backend, requiresGrad = false) {
    const size = sizeOf(shape);
    if (data.length !== size) throw new ArgumentError('data', `length ${data.length}`, `must have ${size} elements for shape [${shape.join(', ')}]`);
    this.shape = Object.freeze([...shape]);
    this.dtype = data instanceof Float64Array ? 'float64' : 'float32';
    this.data = data;
    this.backend = backend;
    this.requiresGrad = requiresGrad;
  }

  get size(): number {
    return this.data.length;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new ArgumentError('item', `shape [${this.shape.join(', ')}]`, 'needs a tensor with one element');
    return this.data[0]!;
  }

  /** The values as a plain array (a copy). */
  toArray(): number[] {
    return Array.from(this.data);
  }

  /** Runs reverse-mode autodiff from this (scalar) tensor; see `backward` in autograd.ts. */
  backward(options?: BackwardOptions): void {
    backwardHook!(this, options);
  }
}

let backwardHook: ((t: Tensor, options?: BackwardOptions) => void) | undefined;
/** Set by autograd.ts (kept apart so that tensor.ts does not import the op machinery). */
export function setBackwardHook(hook: (t: Tensor, options?: BackwardOptions) => void): void {
  backwardHook = hook;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new ArgumentError('shape', `[${shape.join(', ')}]`, 'must hold non-negative integers');
    n *= d;
  }
  return n;
}

export interface TensorOptions {
  dtype?: DType;
  backend?: Backend;
  requiresGrad?: boolean;
}

/** A tensor from values (copied) and a shape (default: 1-D). */
export function tensor(values: ArrayLike<number>, shape: readonly number[] = [values.length], options: TensorOptions = {}): Tensor {
  const backend = options.backend ?? getDefaultBackend();
  const data = backend.alloc(values.length, options.dtype ?? 'float32');
  data.set(values as ArrayLike<number>);
  return new Tensor(data, shape, backend, options.requiresGrad ?? false);
}

export function zeros(shape: readonly number[], options: TensorOptions = {}): Tensor {
  const backend = options.backend ?? getDefaultBackend();
  return new Tensor(backend.alloc(sizeOf(shape), options.dtype ?? 'float32'), shape, backend, options.requiresGrad ?? false);
}

export function full(shape: readonly number[], value: number, options: TensorOptions = {}): Tensor {
  const t = zeros(shape, options);
  t.backend.fill(t.data, value);
  return t;
}

/** A new tensor like `t` (same shape, dtype, backend), zeroed. */
export function zerosLike(t: Tensor): Tensor {
  return new Tensor(t.backend.alloc(t.size, t.dtype), t.shape, t.backend);
}
