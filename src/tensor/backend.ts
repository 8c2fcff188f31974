/**
 * The kernel interface: a backend owns its storage (typed arrays, which may be views into a
 * WebAssembly heap) and implements this short list of synchronous kernels. Every tensor op is
 * composed from them; no maths lives anywhere else. A new backend implements the list and passes
 * the same conformance tests (`backends/conformance.test.ts`) as the reference backend.
 */
export type DType = 'float32' | 'float64';
export type Storage = Float32Array | Float64Array;

/** Elementwise maps out[i] = f(x[i]). `step` is 1 for x > 0, else 0 (the derivative of relu). */
export type UnaryKernel = 'copy' | 'neg' | 'exp' | 'log' | 'relu' | 'step' | 'sigmoid' | 'tanh' | 'reciprocal' | 'square';
/** Elementwise out[i] = f(a[i], b[i]) with broadcasting; `eq` is 1 where a = b, else 0. */
export type BinaryKernel = 'add' | 'sub' | 'mul' | 'div' | 'eq';
export type ReduceKernel = 'sum' | 'max';

export interface Backend {
  readonly name: string;
  /** A zeroed buffer of `size` elements. */
  alloc(size: number, dtype: DType): Storage;
  /**
   * C ← α·op(A)·op(B) + β·C with op(A) m×k, op(B) k×n, C m×n, all row-major; op(X) = Xᵀ when
   * the trans flag is set (A is then stored k×m, B n×k). β = 0 ignores C's old contents.
   */
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Storage, b: Storage, beta: number, c: Storage): void;
  unary(op: UnaryKernel, x: Storage, out: Storage): void;
  /**
   * out = a ∘ b over `shape`, reading a and b through strides (0 on a broadcast axis).
   */
  binary(op: BinaryKernel, a: Storage, aStrides: readonly number[], b: Storage, bStrides: readonly number[], out: Storage, shape: readonly number[]): void;
  /** out = y·s for a scalar s (out may be y). */
  scale(x: Storage, s: number, out: Storage): void;
  /** y += α·x (the SGD update with α = −lr, and gradient accumulation with α = 1). */
  axpy(alpha: number, x: Storage, y: Storage): void;
  /** Reduces the middle axis of x seen as [outer, n, inner]: out has outer·inner elements. */
  reduce(op: ReduceKernel, x: Storage, outer: number, n: number, inner: number, out: Storage): void;
  /** out[r] = x[r, index[r]] for x of rows×cols. */
  gather(x: Storage, rows: number, cols: number, index: Int32Array, out: Storage): void;
  /** out[r, index[r]] += g[r] (out rows×cols). */
  scatterAdd(g: Storage, rows: number, cols: number, index: Int32Array, out: Storage): void;
  /** out = xᵀ for x of rows×cols. */
  transpose(x: Storage, rows: number, cols: number, out: Storage): void;
  /** out = min(max(x, lo), hi); mask (if given) = 1 where lo <= x <= hi, else 0. */
  clamp(x: Storage, lo: number, hi: number, out: Storage, mask?: Storage): void;
  fill(out: Storage, value: number): void;
}
