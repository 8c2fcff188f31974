/**
 * The WebAssembly backend: every kernel of the Backend interface in AssemblyScript SIMD
 * (assembly/kernels.ts), on tensors that live in the module's linear memory.
 *
 * - float32 buffers are views into the wasm memory (`alloc`), so a kernel call passes byte
 *   offsets and copies nothing. A typed array from elsewhere (or a float32 buffer that did not
 *   fit) is staged: copied in for the call, and copied back if written. float64 tensors use the
 *   reference kernels.
 * - Memory: exact-size free lists over a bump pointer. Buffers made inside `scope` go back to
 *   the free lists when the scope ends (a training step reuses the same blocks); the others when
 *   the garbage collector takes their view (FinalizationRegistry).
 * - The memory is shared where the host allows (Node; cross-origin-isolated pages): it grows
 *   without detaching existing views, and worker threads can run on it (see `setWorkers`).
 *   Elsewhere it is one fixed block reserved up front, since growing would detach every view.
 * - GEMM: a 4×8 register-tiled f32x4 kernel with relaxed-SIMD FMA where the runtime has it
 *   (detected by compiling; plain SIMD otherwise), Bᵀ by transposing into scratch, and a
 *   sparse path (compressed rows of A) when A is mostly zeros, as MNIST pixels are.
 * Example: `const backend = createWasmBackend(); if (backend) tensor([...], shape, { backend });`
 */
import type { AllocOptions, BinaryKernel, DType, AsyncOptions, ReduceKernel, SparseMatrix, SparseOptions, Storage, UnaryKernel } from '../backend.js';
import { JsBackend } from './js.js';
import { KERNELS_RELAXED, KERNELS_SHARED_RELAXED, KERNELS_SHARED_SIMD, KERNELS_SIMD } from './wasm-kernels.generated.js';

/** The exports of assembly/kernels.ts (pointers are byte offsets). */
export interface KernelExports {
  gemm(transA: number, m: number, n: number, k: number, alpha: number, a: number, b: number, beta: number, c: number, j0: number, j1: number): void;
  compress(a: number, rows: number, cols: number, ptr: number, idx: number, val: number, limit: number, colBlock: number): number;
  transposeCompressed(rows: number, blocks: number, cols: number, ptr: number, idx: number, val: number, tPtr: number, tIdx: number, tVal: number): void;
  bytesToFloat(bytes: number, size: number, s: number, out: number): void;
  spmm(rows: number, blocks: number, n: number, alpha: number, ptr: number, idx: number, val: number, b: number, beta: number, c: number, bRows: number, pack: number, j0: number, j1: number): void;
  unary(op: number, x: number, out: number, size: number): void;
  binary(op: number, a: number, b: number, out: number, params: number): void;
  scale(x: number, s: number, out: number, size: number): void;
  axpy(alpha: number, x: number, y: number, size: number): void;
  fill(out: number, value: number, size: number): void;
  reduce(op: number, x: number, outer: number, n: number, inner: number, out: number): void;
  gather(x: number, rows: number, cols: number, index: number, out: number): void;
  scatterAdd(g: number, rows: number, cols: number, index: number, out: number): void;
  transpose(x: number, rows: number, cols: number, out: number): void;
  clamp(x: number, lo: number, hi: number, out: number, mask: number, size: number): void;
  biasRelu(x: number, bias: number, rows: number, cols: number, out: number): void;
  reluBackward(g: number, y: number, out: number, size: number): void;
  softmaxXent(z: number, rows: number, cols: number, labels: number, eps: number, probs: number, losses: number): void;
  softmaxXentBackward(probs: number, rows: number, cols: number, labels: number, eps: number, w: number, out: number): void;
  sgd(lr: number, grad: number, param: number, size: number): void;
}

/** The kernels that take a column range [j0, j1) as their last two arguments. */
export type SplitKernel = 'gemm' | 'spmm';
/**
 * The kernels a worker can run whole while this thread goes on (`KernelSplitter.post`): the
 * transpose of a sparse input (which only products with that transpose wait for), and the
 * conversion and compression of an input batch (which only kernels reading that batch wait for).
 */
export type AsyncKernel = 'transposeCompressed' | 'bytesToFloat' | 'compress';

/**
 * Splits a large kernel across worker threads on the same shared memory (installed by a shell
 * that can start threads: src/node/wasmThreads.ts). `run` returns false when it declines (too
 * small, or busy), and the caller then runs the kernel whole on its own thread.
 */
export interface KernelSplitter {
  readonly threads: number;
  /** Does not wait for posted kernels: the caller syncs those whose output the kernel reads. */
  run(kernel: SplitKernel, args: number[], n: number, chunk: number): boolean;
  /** Starts a whole kernel on a worker and returns at once (false: not started). */
  post(kernel: AsyncKernel, args: number[]): boolean;
  /** Waits for what `post` started (up to the last `kernel` posted, when given). */
  sync(kernel?: AsyncKernel): void;
  /** Wakes sleeping workers ahead of a `run` (they spin while this thread prepares the work). */
  wake(): void;
}

const PAGE = 65536;
/** Allocations start above the module's own static data. */
const HEAP_BASE = PAGE;
const UNARY_CODES: Record<UnaryKernel, number> = { copy: 0, neg: 1, exp: 2, log: 3, relu: 4, step: 5, sigmoid: 6, tanh: 7, reciprocal: 8, square: 9 };
const BINARY_CODES: Record<BinaryKernel, number> = { add: 0, sub: 1, mul: 2, div: 3, eq: 4 };
/** A kernel splits across threads only above this many multiply-adds (a hand-off costs µs). */
const SPLIT_MIN_WORK = 1 << 19;
/**
 * Columns of C per claimed chunk of a split kernel: whole register blocks (8-wide GEMM tiles,
 * 24-wide spmm blocks) and whole cache lines (blocks are 64-byte aligned), so that two threads
 * never write the same line of C (24 columns, 96 bytes, shared a line at every other seam).
 */
const GEMM_CHUNK = 32;
const SPMM_CHUNK = 48;

type Word = Float32Array | Int32Array;
type Role = 'in' | 'out' | 'inout';

/** Blocks are whole cache lines (64-byte aligned), plus 64 bytes for the kernels' last loads. */
function blockSize(bytes: number): number {
  return ((bytes + 63) & ~63) + 64;
}

/** Block allocation over the linear memory: exact-size free lists above a bump pointer. */
class Heap {
  private top = HEAP_BASE;
  private readonly free = new Map<number, number[]>();
  private readonly buffers = new Set<ArrayBufferLike>();
  private readonly scopes: HeapScope[] = [];
  private readonly registry = new FinalizationRegistry<number[]>((block) => this.release(block[0]!, block[1]!));
  f32!: Float32Array;
  i32!: Int32Array;
  u8!: Uint8Array;
  /** Bytes handed out and not yet released (for tests and the benchmark). */
  inUse = 0;

  constructor(
    readonly memory: WebAssembly.Memory,
    readonly growable: boolean,
  ) {
    this.refresh();
  }

  private refresh(): void {
    this.buffers.add(this.memory.buffer);
    this.f32 = new Float32Array(this.memory.buffer);
    this.i32 = new Int32Array(this.memory.buffer);
    this.u8 = new Uint8Array(this.memory.buffer);
  }

  /** Whether `x` is a view into this memory (then its byteOffset is its address). */
  owns(x: ArrayBufferView): boolean {
    const buffer = x.buffer;
    return buffer === this.memory.buffer || this.buffers.has(buffer);
  }

  /**
   * A block of at least `bytes` (64-byte aligned), or −1 when the memory is full. Every block
   * has 64 bytes to spare: the kernels' last SIMD loads of a row may read up to 60 bytes past
   * it (lanes they then discard).
   */
  take(bytes: number, zero: boolean): number {
    const size = blockSize(bytes);
    const list = this.free.get(size);
    let offset: number;
    if (list && list.length > 0) {
      offset = list.pop()!;
      if (zero) this.f32.fill(0, offset >> 2, (offset + size) >> 2);
    } else {
      if (this.top + size > this.memory.buffer.byteLength) {
        if (!this.growable) return -1;
        try {
          this.memory.grow(Math.ceil((this.top + size - this.memory.buffer.byteLength) / PAGE));
        } catch {
          return -1;
        }
        this.refresh();
      }
      offset = this.top;
      this.top += size;
    }
    this.inUse += size;
    return offset;
  }

  release(offset: number, bytes: number): void {
    const size = blockSize(bytes);
    let list = this.free.get(size);
    if (!list) this.free.set(size, (list = []));
    list.push(offset);
    this.inUse -= size;
  }

  /** The innermost open scope (null outside every scope). */
  get scope(): HeapScope | null {
    return this.scopes[this.scopes.length - 1] ?? null;
  }

  /**
   * A view of `size` floats, released when `owner` ends (default: the innermost scope), or by
   * the garbage collector when persistent or made outside every scope.
   */
  alloc(size: number, persistent: boolean, zero: boolean, owner = this.scope): Float32Array | null {
    if (owner && !owner.open) throw new Error('a buffer was asked of a scope that has ended');
    const offset = this.take(size * 4, zero);
    if (offset < 0) return null;
    // The memory may have grown without this heap (a shared memory grown by another thread's
    // instance): its new buffer object is known before a view of it is handed out.
    const buffer = this.memory.buffer;
    if (!this.buffers.has(buffer)) this.refresh();
    const view = new Float32Array(buffer, offset, size);
    if (owner && !persistent) owner.blocks.push(offset, size * 4);
    else this.registry.register(view, [offset, size * 4]);
    return view;
  }

  runScope<T>(fn: () => T): T {
    const scope: HeapScope = { blocks: [], open: true };
    this.scopes.push(scope);
    try {
      return fn();
    } finally {
      this.scopes.pop();
      scope.open = false;
      for (let i = 0; i < scope.blocks.length; i += 2) this.release(scope.blocks[i]!, scope.blocks[i + 1]!);
    }
  }
}

/** The blocks a `scope` call hands back when it ends. */
interface HeapScope {
  blocks: number[];
  open: boolean;
}

/**
 * The column block for compressing a sparse left operand of `cols` columns (all of them when
 * narrow): spmm sums over one block of B's rows at a time, and 24 columns of ~270 rows (26 KB)
 * stay in a 32 KB L1 while every row of A uses them (784 columns in 3 blocks of ≤ 272: the
 * forward X·W₁ 9% faster than in one). A multiple of 16, the compress kernel's stride.
 */
function columnBlock(cols: number): number {
  const blocks = Math.round(cols / 272);
  return blocks <= 1 ? cols : 16 * Math.ceil(cols / blocks / 16);
}

/** At most this many nonzeros in `size` entries for the sparse path (denser: the dense GEMM wins). */
function sparseLimit(size: number): number {
  return Math.floor(0.35 * size) + 4;
}

/**
 * C ← α·op(S)·B + β·C straight from the compressed rows, in JavaScript: for operands that cannot
 * be put in the wasm memory (float64, or a full memory).
 */
function sparseGemmReference(heap: Heap, s: WasmSparseMatrix, transS: boolean, n: number, alpha: number, b: Storage, beta: number, c: Storage): void {
  const m = transS ? s.cols : s.rows;
  for (let i = 0; i < m * n; i++) c[i] = beta === 0 ? 0 : beta * c[i]!;
  const ptr = s.ptr >> 2;
  for (let q = 0; q < s.blocks * s.rows; q++) {
    const r = q % s.rows;
    for (let e = heap.i32[ptr + q]!; e < heap.i32[ptr + q + 1]!; e++) {
      const col = heap.i32[(s.idx >> 2) + e]!;
      const v = alpha * heap.f32[(s.val >> 2) + e]!;
      // S[r, col]·B[col, :] adds to C[r, :]; for Sᵀ, S[r, col]·B[r, :] adds to C[col, :].
      const [ci, bi] = transS ? [col, r] : [r, col];
      for (let j = 0; j < n; j++) c[ci * n + j] += v * b[bi * n + j]!;
    }
  }
}

/**
 * A matrix's nonzeros in compressed rows (the backend's `sparse`), in the wasm memory: ptr
 * (blocks·rows + 1 entries), then room for idx and val. Its transpose is made by a worker after
 * the first product when the caller asked for it, else on first use; either way in the same
 * scope, so both live as long as the buffers made with the original.
 */
class WasmSparseMatrix implements SparseMatrix {
  /** Where its transpose's compressed rows go (the block is held so that the collector keeps it). */
  transposed: { ptr: number; idx: number; val: number; block: Float32Array } | null = null;
  /** Whether they have been made. */
  transposeReady = false;
  /** Whether the caller said it will multiply by the transpose too. */
  wantsTranspose = false;
  /**
   * For the compressed form of an input batch made by `prepareSparse`: whether it still stands
   * for the batch's buffer, and whether a worker may still be making it.
   */
  batch: { valid: boolean; inMaking: boolean } | null = null;
  constructor(
    readonly rows: number,
    readonly cols: number,
    /** Column blocks (see `compress`): ptr has blocks·rows + 1 entries. */
    readonly blocks: number,
    /** −1 for a batch's form found too dense for the sparse path. */
    public nonzeros: number,
    /** The block: ptr at its start, idx and val after it. */
    readonly block: Float32Array,
    readonly idx: number,
    readonly val: number,
    readonly owner: HeapScope | null,
  ) {}

  get ptr(): number {
    return this.block.byteOffset;
  }
}

export class WasmBackend extends JsBackend {
  override readonly name: string = 'wasm';
  readonly heap: Heap;
  /** How often each GEMM path ran, and how many operands had to be staged (for tests). */
  readonly stats: WasmBackendStats = { sparseCalls: 0, compressions: 0, transposedAhead: 0, convertedAhead: 0, denseCalls: 0, staged: 0, splitCalls: 0 };
  private splitter: KernelSplitter | null = null;
  /** The sparse matrix whose transpose was last posted to a worker. */
  private posted: WasmSparseMatrix | null = null;
  /** Input batches' compressed forms made by `prepareSparse`, by the batch's buffer. */
  private readonly batchForms = new WeakMap<Float32Array, WasmSparseMatrix>();
  /** The buffer a worker may still be converting a batch into. */
  private converting: Storage | null = null;
  // Per-call staging: blocks to release and outputs to copy back when the kernel returns.
  private temps: number[] = [];
  private copyBack: Array<[Word, number]> = [];

  constructor(
    private readonly k: KernelExports,
    /** The compiled kernels (worker threads instantiate the same module on the same memory). */
    readonly module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    /** The build in use: relaxed-SIMD FMA or plain SIMD, shared memory or not. */
    readonly variant: { relaxed: boolean; shared: boolean },
  ) {
    super();
    this.heap = new Heap(memory, variant.shared);
  }

  /** This thread's instance of the kernels. */
  get kernels(): KernelExports {
    return this.k;
  }

  get memory(): WebAssembly.Memory {
    return this.heap.memory;
  }

  /** Worker threads for large kernels (null: this thread only). Needs the shared build. */
  setSplitter(splitter: KernelSplitter | null): void {
    if (splitter && !this.variant.shared) throw new Error('worker threads need the shared-memory build of the kernels');
    this.splitter = splitter;
  }

  get threads(): number {
    return this.splitter?.threads ?? 1;
  }

  override alloc(size: number, dtype: DType, options?: AllocOptions): Storage {
    if (dtype === 'float64' || size === 0) return super.alloc(size, dtype);
    return this.heap.alloc(size, options?.persistent ?? false, !options?.uninitialized) ?? new Float32Array(size);
  }

  override scope<T>(fn: () => T): T {
    return this.heap.runScope(() => {
      try {
        return fn();
      } finally {
        // A transpose a worker still makes goes into a block this scope hands back.
        this.splitter?.sync('transposeCompressed');
      }
    });
  }

  /** spmm's scratch for B's 24-column panels (bRows × n), or 0 (none: spmm reads B in place). */
  private panels(bRows: number, n: number): number {
    return Math.max(0, this.scratch(Math.ceil(n / 24) * bRows * 96));
  }

  /** A scratch block for one call (released by `done`), or −1. */
  private scratch(bytes: number): number {
    const offset = this.heap.take(bytes, false);
    if (offset >= 0) this.temps.push(offset, bytes);
    return offset;
  }

  /**
   * Addresses of the operands, staging those outside the memory (copied in unless 'out'; copied
   * back by `done` unless 'in'). Null when an operand is float64 or staging does not fit: the
   * caller then runs the reference kernel.
   */
  private enter(operands: Array<[Storage | Int32Array, Role]>): number[] | null {
    const addresses: number[] = [];
    for (const [x, role] of operands) {
      // A batch a worker still converts is finished before a kernel reads or writes it.
      if (role !== 'in' && x instanceof Float32Array) this.beforeWrite(x);
      else if (x === this.converting) this.settleConversion();
      if (!(x instanceof Float32Array || x instanceof Int32Array)) return this.abandon();
      if (this.heap.owns(x)) {
        addresses.push(x.byteOffset);
        continue;
      }
      const offset = this.scratch(x.length * 4);
      if (offset < 0) return this.abandon();
      this.stats.staged++;
      if (role !== 'out') (x instanceof Int32Array ? this.heap.i32 : this.heap.f32).set(x, offset >> 2);
      if (role !== 'in') this.copyBack.push([x, offset]);
      addresses.push(offset);
    }
    return addresses;
  }

  private abandon(): null {
    this.copyBack = [];
    this.releaseTemps();
    return null;
  }

  private releaseTemps(): void {
    for (let i = 0; i < this.temps.length; i += 2) this.heap.release(this.temps[i]!, this.temps[i + 1]!);
    this.temps = [];
  }

  /** Ends a call: staged outputs go back to their arrays and scratch is released. */
  private done(): void {
    for (const [x, offset] of this.copyBack) {
      const heap = x instanceof Int32Array ? this.heap.i32 : this.heap.f32;
      x.set(heap.subarray(offset >> 2, (offset >> 2) + x.length));
    }
    this.copyBack = [];
    this.releaseTemps();
  }

  /** Runs a kernel on the operands' addresses, or the reference kernel when they cannot be staged. */
  private call(operands: Array<[Storage | Int32Array, Role]>, kernel: (p: number[]) => void, reference: () => void): void {
    const p = this.enter(operands);
    if (!p) return reference();
    kernel(p);
    this.done();
  }

  /**
   * Runs a kernel on all threads when it is large enough, else here. The kernel's last two
   * arguments are a range of C's n columns, claimed by the threads `chunk` at a time.
   */
  private split(kernel: SplitKernel, args: number[], n: number, chunk: number, work: number): void {
    if (this.splitter && work >= SPLIT_MIN_WORK && n >= 2 * chunk && this.splitter.run(kernel, args, n, chunk)) {
      this.stats.splitCalls++;
      return;
    }
    (this.k[kernel] as (...a: number[]) => void)(...args, 0, n);
  }

  override gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Storage, b: Storage, beta: number, c: Storage): void {
    const p = this.enter([
      [a, 'in'],
      [b, 'in'],
      [c, beta === 0 ? 'out' : 'inout'],
    ]);
    if (!p) return super.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
    let [pa, pb, pc] = p as [number, number, number];
    if (m * n === 0) return this.done();
    // A kernel this large will be split: wake the workers now, while the operands are prepared.
    if (this.splitter && m * n * k >= 4 * SPLIT_MIN_WORK) this.splitter.wake();
    if (transB) {
      // op(B) = Bᵀ with B stored n×k: one transposition into scratch, then the plain kernel.
      const t = this.scratch(k * n * 4);
      if (t < 0) {
        this.abandon();
        return super.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
      }
      this.k.transpose(pb, n, k, t);
      pb = t;
    }
    if (!this.trySparse(transA, m, n, k, alpha, a as Float32Array, pa, pb, beta, pc)) {
      this.split('gemm', [transA ? 1 : 0, m, n, k, alpha, pa, pb, beta, pc], n, GEMM_CHUNK, m * n * k);
      this.stats.denseCalls++;
    }
    this.done();
  }

  /**
   * Whether `a` (size entries) looks sparse enough for the sparse path to pay: a look at 512
   * evenly spaced entries, so dense operands leave at once.
   */
  private looksSparse(a: Float32Array, size: number): boolean {
    if (size < 4096) return false;
    const stride = Math.floor(size / 512);
    let sampled = 0;
    for (let i = 0; i < size; i += stride) if (a[i] !== 0) sampled++;
    return sampled <= 0.3 * Math.ceil(size / stride);
  }

  /**
   * The sparse-input path for op(A)·B when A is mostly zeros (MNIST pixels: X·W₁ and Xᵀ·dH):
   * A's nonzeros in compressed rows of op(A), then each row of C sums scaled rows of B. Returns
   * false (having done nothing) when A is too dense for it to pay.
   */
  private trySparse(transA: boolean, m: number, n: number, k: number, alpha: number, a: Float32Array, pa: number, pb: number, beta: number, pc: number): boolean {
    if (n < 16 || !this.looksSparse(a, m * k)) return false;
    const limit = sparseLimit(m * k);
    // A is stored rows×cols (k×m when transposed): its rows are compressed, then transposed.
    const [rows, cols] = transA ? [k, m] : [m, k];
    const width = transA ? cols : columnBlock(cols);
    const blocks = Math.ceil(cols / width);
    const ptr = this.scratch((blocks * rows + 1) * 4);
    const idx = this.scratch((limit + cols) * 4);
    const val = this.scratch((limit + cols) * 4);
    if (ptr < 0 || idx < 0 || val < 0) return false;
    const nnz = this.k.compress(pa, rows, cols, ptr, idx, val, limit, width);
    this.stats.compressions++;
    if (nnz < 0) return false;
    let csr = [ptr, idx, val];
    if (transA) {
      csr = [this.scratch((m + 1) * 4), this.scratch(nnz * 4), this.scratch(nnz * 4)];
      if (csr.some((p) => p < 0)) return false;
      this.k.transposeCompressed(k, 1, m, ptr, idx, val, csr[0]!, csr[1]!, csr[2]!);
    }
    this.split('spmm', [m, blocks, n, alpha, csr[0]!, csr[1]!, csr[2]!, pb, beta, pc, k, this.panels(k, n)], n, SPMM_CHUNK, nnz * n);
    this.stats.sparseCalls++;
    return true;
  }

  /**
   * a's nonzeros in compressed rows, kept for several products (the input batch's X·W₁ and
   * Xᵀ·dH), or null when a is too dense for the sparse path or the memory is full.
   */
  sparse(a: Storage, rows: number, cols: number, options?: SparseOptions): SparseMatrix | null {
    // An input batch compressed ahead by prepareSparse.
    const form = a instanceof Float32Array ? this.batchForms.get(a) : undefined;
    if (form?.batch?.valid && form.rows === rows && form.cols === cols) {
      this.settleForm(form);
      if (form.nonzeros < 0) return null;
      form.wantsTranspose = options?.transposed ?? false;
      return form;
    }
    if (!(a instanceof Float32Array) || rows < 1 || cols < 1 || !this.looksSparse(a, rows * cols)) return null;
    const s = this.compressedBlock(rows, cols, this.heap.scope);
    if (!s) return null;
    const p = this.enter([[a, 'in']]);
    if (!p) return null;
    s.nonzeros = this.k.compress(...this.compressArgs(p[0]!, s));
    this.stats.compressions++;
    this.done();
    if (s.nonzeros < 0) return null;
    s.wantsTranspose = options?.transposed ?? false;
    return s;
  }

  /**
   * An empty compressed form for a rows × cols matrix (room for sparseLimit nonzeros), released
   * with `owner` (null: by the collector); null when the memory is full.
   */
  private compressedBlock(rows: number, cols: number, owner: HeapScope | null): WasmSparseMatrix | null {
    const limit = sparseLimit(rows * cols);
    const blocks = Math.ceil(cols / columnBlock(cols));
    const block = this.heap.alloc(blocks * rows + 1 + 2 * (limit + cols), owner === null, false, owner);
    if (!block) return null;
    const idx = block.byteOffset + (blocks * rows + 1) * 4;
    return new WasmSparseMatrix(rows, cols, blocks, -1, block, idx, idx + (limit + cols) * 4, owner);
  }

  /** The compress kernel's arguments that fill `s` from the matrix at address `a`. */
  private compressArgs(a: number, s: WasmSparseMatrix): [number, number, number, number, number, number, number, number] {
    return [a, s.rows, s.cols, s.ptr, s.idx, s.val, sparseLimit(s.rows * s.cols), columnBlock(s.cols)];
  }

  sparseGemm(s: SparseMatrix, transS: boolean, n: number, alpha: number, b: Storage, beta: number, c: Storage): void {
    const sm = s as WasmSparseMatrix;
    const m = transS ? sm.cols : sm.rows;
    const p = this.enter([
      [b, 'in'],
      [c, beta === 0 ? 'out' : 'inout'],
    ]);
    // A large product will be split: wake the workers now, while a transpose may be made.
    if (p && this.splitter && sm.nonzeros * n >= 4 * SPLIT_MIN_WORK) this.splitter.wake();
    const csr = p && m * n > 0 ? (transS ? this.transposed(sm) : sm) : null;
    if (!csr) {
      if (p) this.done();
      return sparseGemmReference(this.heap, sm, transS, n, alpha, b, beta, c);
    }
    const bRows = transS ? sm.rows : sm.cols;
    this.split('spmm', [m, transS ? 1 : sm.blocks, n, alpha, csr.ptr, csr.idx, csr.val, p![0]!, beta, p![1]!, bRows, this.panels(bRows, n)], n, SPMM_CHUNK, sm.nonzeros * n);
    // Sᵀ, wanted later, is made by a worker from now on, while this thread goes on with what
    // comes between the two products (the rest of a forward pass and the start of the backward).
    const target = this.splitter && !transS && sm.wantsTranspose && !sm.transposeReady ? this.transposeTarget(sm) : null;
    if (target && this.splitter!.post('transposeCompressed', [sm.rows, sm.blocks, sm.cols, sm.ptr, sm.idx, sm.val, target.ptr, target.idx, target.val])) {
      sm.transposeReady = true;
      // Held until the next post, so that the collector cannot hand back blocks a worker writes.
      this.posted = sm;
      this.stats.transposedAhead++;
    }
    this.stats.sparseCalls++;
    this.done();
  }

  /** The block for sᵀ's compressed rows, allocated once in s's scope; null when the memory is full. */
  private transposeTarget(s: WasmSparseMatrix): WasmSparseMatrix['transposed'] {
    if (!s.transposed) {
      // Sized by the shape, not the count, so that every batch reuses the same free block.
      const limit = sparseLimit(s.rows * s.cols);
      const block = this.heap.alloc(s.cols + 1 + 2 * limit, false, false, s.owner);
      if (!block) return null;
      const ptr = block.byteOffset;
      const idx = ptr + (s.cols + 1) * 4;
      s.transposed = { ptr, idx, val: idx + limit * 4, block };
    }
    return s.transposed;
  }

  /** The compressed rows of sᵀ, made on first use in s's scope; null when the memory is full. */
  private transposed(s: WasmSparseMatrix): { ptr: number; idx: number; val: number } | null {
    const t = this.transposeTarget(s);
    if (t && !s.transposeReady) {
      this.k.transposeCompressed(s.rows, s.blocks, s.cols, s.ptr, s.idx, s.val, t.ptr, t.idx, t.val);
      s.transposeReady = true;
    }
    // Made by a worker: wait for it (a no-op once done).
    if (this.posted === s) this.splitter?.sync('transposeCompressed');
    return t;
  }

  override unary(op: UnaryKernel, x: Storage, out: Storage): void {
    this.call(
      [[x, 'in'], [out, 'out']],
      (p) => this.k.unary(UNARY_CODES[op], p[0]!, p[1]!, x.length),
      () => super.unary(op, x, out),
    );
  }

  override binary(op: BinaryKernel, a: Storage, aStrides: readonly number[], b: Storage, bStrides: readonly number[], out: Storage, shape: readonly number[]): void {
    const plan = collapse(shape, aStrides, bStrides);
    const p = plan && out.length > 0 ? this.enter([
      [a, 'in'],
      [b, 'in'],
      [out, 'out'],
    ]) : null;
    if (!p) return super.binary(op, a, aStrides, b, bStrides, out, shape);
    const params = this.scratch(48);
    if (params < 0) {
      this.abandon();
      return super.binary(op, a, aStrides, b, bStrides, out, shape);
    }
    this.heap.i32.set(plan!, params >> 2);
    this.k.binary(BINARY_CODES[op], p[0]!, p[1]!, p[2]!, params);
    this.done();
  }

  override scale(x: Storage, s: number, out: Storage): void {
    this.call(
      [[x, 'in'], [out, x === out ? 'inout' : 'out']],
      (p) => this.k.scale(p[0]!, s, p[1]!, x.length),
      () => super.scale(x, s, out),
    );
  }

  override axpy(alpha: number, x: Storage, y: Storage): void {
    this.call(
      [[x, 'in'], [y, 'inout']],
      (p) => this.k.axpy(alpha, p[0]!, p[1]!, x.length),
      () => super.axpy(alpha, x, y),
    );
  }

  override reduce(op: ReduceKernel, x: Storage, outer: number, n: number, inner: number, out: Storage): void {
    this.call(
      [[x, 'in'], [out, 'out']],
      (p) => this.k.reduce(op === 'sum' ? 0 : 1, p[0]!, outer, n, inner, p[1]!),
      () => super.reduce(op, x, outer, n, inner, out),
    );
  }

  override gather(x: Storage, rows: number, cols: number, index: Int32Array, out: Storage): void {
    this.call(
      [[x, 'in'], [index, 'in'], [out, 'out']],
      (p) => this.k.gather(p[0]!, rows, cols, p[1]!, p[2]!),
      () => super.gather(x, rows, cols, index, out),
    );
  }

  override scatterAdd(g: Storage, rows: number, cols: number, index: Int32Array, out: Storage): void {
    this.call(
      [[g, 'in'], [index, 'in'], [out, 'inout']],
      (p) => this.k.scatterAdd(p[0]!, rows, cols, p[1]!, p[2]!),
      () => super.scatterAdd(g, rows, cols, index, out),
    );
  }

  override transpose(x: Storage, rows: number, cols: number, out: Storage): void {
    this.call(
      [[x, 'in'], [out, 'out']],
      (p) => this.k.transpose(p[0]!, rows, cols, p[1]!),
      () => super.transpose(x, rows, cols, out),
    );
  }

  override clamp(x: Storage, lo: number, hi: number, out: Storage, mask?: Storage): void {
    const p = this.enter(mask ? [[x, 'in'], [out, 'out'], [mask, 'out']] : [[x, 'in'], [out, 'out']]);
    if (!p) return super.clamp(x, lo, hi, out, mask);
    this.k.clamp(p[0]!, lo, hi, p[1]!, mask ? p[2]! : 0, x.length);
    this.done();
  }

  override fill(out: Storage, value: number): void {
    if (out instanceof Float32Array) this.beforeWrite(out);
    if (!(out instanceof Float32Array) || !this.heap.owns(out)) return super.fill(out, value);
    this.k.fill(out.byteOffset, value, out.length);
  }

  allocBytes(size: number): Uint8Array {
    const block = this.heap.alloc(Math.ceil(size / 4), true, false, null);
    return block ? new Uint8Array(block.buffer, block.byteOffset, size) : new Uint8Array(size);
  }

  override fromBytes(bytes: Uint8Array, s: number, out: Storage, options?: AsyncOptions): void {
    // Converted by a worker while this thread goes on, from bytes in the wasm memory (which the
    // caller leaves alone until then) into a buffer there.
    if (options?.async && this.splitter && out instanceof Float32Array && out.length === bytes.length && this.heap.owns(out) && this.heap.owns(bytes)) {
      this.beforeWrite(out);
      if (this.splitter.post('bytesToFloat', [bytes.byteOffset, bytes.length, s, out.byteOffset])) {
        this.converting = out;
        this.stats.convertedAhead++;
        return;
      }
    }
    const p = this.enter([[out, 'out']]);
    const resident = this.heap.owns(bytes);
    const src = !p ? -1 : resident ? bytes.byteOffset : this.scratch(bytes.length);
    if (src < 0) {
      if (p) this.abandon();
      return super.fromBytes(bytes, s, out);
    }
    if (!resident) this.heap.u8.set(bytes, src);
    this.k.bytesToFloat(src, bytes.length, s, p![0]!);
    this.done();
  }

  /**
   * Compresses `a` (rows × cols, an input batch) now, on a worker when `async` and one is free,
   * for the `sparse(a, …)` that follows: made once per buffer, then refilled. The form stands for
   * a until a kernel of this backend writes a; the caller must not write a itself in between.
   */
  prepareSparse(a: Storage, rows: number, cols: number, options?: AsyncOptions): void {
    if (!(a instanceof Float32Array) || !this.heap.owns(a) || rows < 1 || cols < 1 || rows * cols !== a.length) return;
    this.beforeRewrite(a);
    let form = this.batchForms.get(a);
    if (!form || form.rows !== rows || form.cols !== cols) {
      form = this.compressedBlock(rows, cols, null) ?? undefined;
      if (!form) return;
      form.batch = { valid: false, inMaking: false };
      this.batchForms.set(a, form);
    }
    const last = (form.ptr >> 2) + form.blocks * rows;
    // compress writes the count here when it finishes; −1 stays when it gives up (too dense).
    this.heap.i32[last] = -1;
    form.transposeReady = false;
    form.batch!.valid = true;
    form.batch!.inMaking = false;
    const args = this.compressArgs(a.byteOffset, form);
    this.stats.compressions++;
    // Queued behind a conversion into a that a worker may still run.
    if (options?.async && this.splitter?.post('compress', [...args])) form.batch!.inMaking = true;
    else {
      if (a === this.converting) this.settleConversion();
      this.k.compress(...args);
      form.nonzeros = this.heap.i32[last]!;
    }
  }

  /**
   * `x` is about to be written by a kernel: a conversion into it finishes first, a worker must be
   * done reading it or its form, and its form no longer stands for it.
   */
  private beforeWrite(x: Float32Array): void {
    if (x === this.converting) this.settleConversion();
    this.beforeRewrite(x);
    this.invalidateBatchForm(x);
  }

  /** `a`, or a batch form made from it, is about to be rewritten: a worker must be done reading it. */
  private beforeRewrite(a: Float32Array): void {
    const form = this.batchForms.get(a);
    if (!form) return;
    if (form.batch!.inMaking) this.settleForm(form);
    if (this.posted === form) this.splitter?.sync('transposeCompressed');
  }

  /** Waits for a conversion posted to a worker. */
  private settleConversion(): void {
    this.splitter?.sync('bytesToFloat');
    this.converting = null;
  }

  /** Waits until a batch's form is made, and reads its count of nonzeros (−1: too dense). */
  private settleForm(form: WasmSparseMatrix): void {
    if (!form.batch!.inMaking) return;
    this.splitter?.sync('compress');
    form.batch!.inMaking = false;
    form.nonzeros = this.heap.i32[(form.ptr >> 2) + form.blocks * form.rows]!;
  }

  /** `x` is about to be written: a batch form made from it no longer stands for it. */
  private invalidateBatchForm(x: Float32Array): void {
    const form = this.batchForms.get(x);
    if (form?.batch) form.batch.valid = false;
  }

  override biasRelu(x: Storage, bias: Storage, rows: number, cols: number, out: Storage): void {
    this.call(
      [[x, 'in'], [bias, 'in'], [out, 'out']],
      (p) => this.k.biasRelu(p[0]!, p[1]!, rows, cols, p[2]!),
      () => super.biasRelu(x, bias, rows, cols, out),
    );
  }

  override reluBackward(g: Storage, y: Storage, out: Storage): void {
    this.call(
      [[g, 'in'], [y, 'in'], [out, 'out']],
      (p) => this.k.reluBackward(p[0]!, p[1]!, p[2]!, g.length),
      () => super.reluBackward(g, y, out),
    );
  }

  override softmaxCrossEntropy(z: Storage, rows: number, cols: number, labels: Int32Array, epsilon: number, probs: Storage, losses: Storage): void {
    this.call(
      [[z, 'in'], [labels, 'in'], [probs, 'out'], [losses, 'out']],
      (p) => this.k.softmaxXent(p[0]!, rows, cols, p[1]!, epsilon, p[2]!, p[3]!),
      () => super.softmaxCrossEntropy(z, rows, cols, labels, epsilon, probs, losses),
    );
  }

  override softmaxCrossEntropyBackward(probs: Storage, rows: number, cols: number, labels: Int32Array, epsilon: number, w: number, out: Storage): void {
    this.call(
      [[probs, 'in'], [labels, 'in'], [out, 'out']],
      (p) => this.k.softmaxXentBackward(p[0]!, rows, cols, p[1]!, epsilon, w, p[2]!),
      () => super.softmaxCrossEntropyBackward(probs, rows, cols, labels, epsilon, w, out),
    );
  }

  /** Waits for what was posted to a worker: a transpose, a batch's conversion. */
  sync(): void {
    this.splitter?.sync();
    this.converting = null;
  }

  override sgd(lr: number, grad: Storage, param: Storage): void {
    this.call(
      [[grad, 'inout'], [param, 'inout']],
      (p) => this.k.sgd(lr, p[0]!, p[1]!, param.length),
      () => super.sgd(lr, grad, param),
    );
  }
}

/**
 * The binary kernel's plan: the shape with unit axes dropped and mergeable neighbours merged,
 * padded to rank 4, then both operands' strides ([shape4, aStrides4, bStrides4] as i32s); null
 * when it needs more than four axes or the last axis is neither contiguous nor broadcast.
 */
function collapse(shape: readonly number[], aStrides: readonly number[], bStrides: readonly number[]): Int32Array | null {
  const dims: number[] = [];
  const as: number[] = [];
  const bs: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && as[last] === aStrides[d]! * shape[d]! && bs[last] === bStrides[d]! * shape[d]!) {
      dims[last] *= shape[d]!;
      as[last] = aStrides[d]!;
      bs[last] = bStrides[d]!;
    } else {
      dims.push(shape[d]!);
      as.push(aStrides[d]!);
      bs.push(bStrides[d]!);
    }
  }
  if (dims.length > 4) return null;
  while (dims.length < 4) {
    dims.unshift(1);
    as.unshift(0);
    bs.unshift(0);
  }
  if (as[3]! > 1 || bs[3]! > 1) return null;
  return Int32Array.from([...dims, ...as, ...bs]);
}

export interface WasmBackendStats {
  sparseCalls: number;
  /** Sparse operands compressed (once per `sparse`, or inside a GEMM that takes the sparse path). */
  compressions: number;
  /** Transposes of sparse operands posted to a worker after the first product (`sparse`'s `transposed`). */
  transposedAhead: number;
  /** Input batches converted by a worker (`fromBytes` with `async`). */
  convertedAhead: number;
  denseCalls: number;
  /** Operands that were not in the wasm memory and had to be copied in. */
  staged: number;
  /** Kernels split across worker threads. */
  splitCalls: number;
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Memory for a backend: shared and growable where allowed, else a fixed block reserved now. */
function makeMemory(shared: boolean): WebAssembly.Memory | null {
  if (shared) {
    try {
      return new WebAssembly.Memory({ initial: 64, maximum: 65536, shared: true });
    } catch {
      return null;
    }
  }
  // Untouched pages cost no resident memory, so a large reservation is cheap where it succeeds.
  for (const pages of [16384, 4096, 1024]) {
    try {
      return new WebAssembly.Memory({ initial: pages });
    } catch {
      // try a smaller block
    }
  }
  return null;
}

const compiled = new Map<string, WebAssembly.Module | null>();

/** The compiled module of one build, or null where the runtime rejects it (no relaxed SIMD). */
export function kernelModule(relaxed: boolean, shared: boolean): WebAssembly.Module | null {
  const key = `${relaxed}:${shared}`;
  if (!compiled.has(key)) {
    const text = shared ? (relaxed ? KERNELS_SHARED_RELAXED : KERNELS_SHARED_SIMD) : relaxed ? KERNELS_RELAXED : KERNELS_SIMD;
    try {
      compiled.set(key, new WebAssembly.Module(decodeBase64(text)));
    } catch {
      compiled.set(key, null);
    }
  }
  return compiled.get(key)!;
}

export interface WasmBackendOptions {
  /** Use relaxed-SIMD FMA when the runtime supports it (default true). */
  relaxed?: boolean;
  /** Use a shared memory when the host allows it (default true; needed for threads). */
  shared?: boolean;
}

/** A new WebAssembly backend with its own memory, or null where WebAssembly SIMD is missing. */
export function newWasmBackend({ relaxed = true, shared = true }: WasmBackendOptions = {}): WasmBackend | null {
  const shares = shared ? [true, false] : [false];
  for (const s of shares) {
    for (const r of relaxed ? [true, false] : [false]) {
      const module = kernelModule(r, s);
      if (!module) continue;
      const memory = makeMemory(s);
      if (!memory) continue;
      try {
        const instance = new WebAssembly.Instance(module, { env: { memory } });
        return new WasmBackend(instance.exports as unknown as KernelExports, module, memory, { relaxed: r, shared: s });
      } catch {
        // next build
      }
    }
  }
  return null;
}

let cached: WasmBackend | null | undefined;

/** The process's WebAssembly backend (made once), or null where WebAssembly SIMD is missing. */
export function createWasmBackend(): WasmBackend | null {
  if (cached === undefined) cached = newWasmBackend();
  return cached;
}
