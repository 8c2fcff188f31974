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

/**
 * A matrix's nonzeros in a backend's compressed form (from `Backend.sparse`): a snapshot, which
 * lives as long as a buffer allocated when it was made (to the end of that scope).
 */
export interface SparseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly nonzeros: number;
}

export interface SparseOptions {
  /** The caller will multiply by Sᵀ too (a backend may prepare it alongside the first product). */
  transposed?: boolean;
}

export interface AsyncOptions {
  /** The work may go on in another thread (see `fromBytes` and `prepareSparse`). */
  async?: boolean;
}

export interface AllocOptions {
  /** Outlives the innermost `scope` (parameters, their gradients, reused batch buffers). */
  persistent?: boolean;
  /** The contents may be anything: the caller writes every element before reading any. */
  uninitialized?: boolean;
}

export interface Backend {
  readonly name: string;
  /**
   * A zeroed buffer of `size` elements. Inside `scope` it lives until the scope ends (unless
   * persistent); elsewhere until the garbage collector takes it — the buffer itself: a view made
   * from it (subarray) does not keep the memory, so copy what must outlive the tensor.
   */
  alloc(size: number, dtype: DType, options?: AllocOptions): Storage;
  /**
   * Runs `fn`; buffers allocated inside (not persistent) are released when it returns, so a
   * training step reuses the same memory instead of waiting for the garbage collector. Nothing
   * made inside may be used after it ends: read what you need (loss.item(), scores) inside.
   * Scopes nest. Backends whose storage the garbage collector manages just call `fn`.
   */
  scope<T>(fn: () => T): T;
  /**
   * C ← α·op(A)·op(B) + β·C with op(A) m×k, op(B) k×n, C m×n, all row-major; op(X) = Xᵀ when
   * the trans flag is set (A is then stored k×m, B n×k). β = 0 ignores C's old contents.
   */
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Storage, b: Storage, beta: number, c: Storage): void;
  /**
   * Optional sparse-input path. `sparse(a, rows, cols)`: a's nonzeros, when a is sparse enough
   * for `sparseGemm` to beat `gemm` (else null). Ops ask it for operands that are read more than
   * once and not written in between: an input batch serves X·W₁ and then Xᵀ·dH from one
   * compression. Backends without it (the reference) use gemm.
   */
  sparse?(a: Storage, rows: number, cols: number, options?: SparseOptions): SparseMatrix | null;
  /**
   * Optional: compresses `a` now, ahead of the `sparse(a, rows, cols)` that follows (an input
   * batch, prepared while the step before runs), with `async` on another thread. The form stands
   * for a until the backend writes a again; the caller must not write a itself in between.
   */
  prepareSparse?(a: Storage, rows: number, cols: number, options?: AsyncOptions): void;
  /** C ← α·op(S)·B + β·C for S from `sparse`, op(S) = Sᵀ when transS, B k×n, C m×n. */
  sparseGemm?(s: SparseMatrix, transS: boolean, n: number, alpha: number, b: Storage, beta: number, c: Storage): void;
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
  /**
   * out[i] = bytes[i]·s (pixels stored as bytes, e.g. s = 1/255), each product rounded once.
   * `options.async`: the backend may convert on another thread while the caller goes on (then,
   * until `sync`, out is being written: the backend's kernels wait for it, code that reads it
   * directly must call `sync` first; and bytes from `allocBytes` are read then, so leave them
   * alone until then).
   */
  fromBytes(bytes: Uint8Array, s: number, out: Storage, options?: AsyncOptions): void;
  /**
   * Optional: a byte buffer that lives where the backend's kernels read it, so that `fromBytes`
   * takes it without a copy (a plain Uint8Array otherwise does). Freed by the garbage collector.
   */
  allocBytes?(size: number): Uint8Array;

  // Fused kernels: each replaces several passes over memory on the MLP's hot path.
  /** out[r, :] = max(0, x[r, :] + bias) for x rows×cols and bias of cols. */
  biasRelu(x: Storage, bias: Storage, rows: number, cols: number, out: Storage): void;
  /** out = g·[y > 0], the ReLU backward from the ReLU's output y. */
  reluBackward(g: Storage, y: Storage, out: Storage): void;
  /**
   * Row-wise softmax of z (rows×cols) into probs and the cross-entropy of each row into losses:
   * −ln(probs[y] + ε) for ε > 0 (the assignment's loss), else −log softmax(z)[y].
   */
  softmaxCrossEntropy(z: Storage, rows: number, cols: number, labels: Int32Array, epsilon: number, probs: Storage, losses: Storage): void;
  /** out = ∂(w·Σ_r losses[r])/∂z from the probabilities saved by the forward kernel. */
  softmaxCrossEntropyBackward(probs: Storage, rows: number, cols: number, labels: Int32Array, epsilon: number, w: number, out: Storage): void;
  /** The SGD step: param −= lr·grad, then grad = 0, in one pass. */
  sgd(lr: number, grad: Storage, param: Storage): void;
  /** Optional: waits for what an async `fromBytes` or `prepareSparse` started. */
  sync?(): void;
}
