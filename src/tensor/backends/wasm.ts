/**
 * The WebAssembly backend: the reference backend with GEMM replaced by a SIMD kernel written in
 * AssemblyScript (assembly/kernels.ts: a 4×16 register-tiled f32x4 micro-kernel that skips zero
 * inputs, plus a vectorised dot-product kernel for Bᵀ). Operands are copied into the module's
 * linear memory for each call and the result copied back, so tensors stay ordinary typed arrays;
 * float64 tensors use the reference kernels. The same bytes load in Node and in the browser.
 * Example: `const backend = createWasmBackend(); if (backend) tensor([...], shape, { backend });`
 */
import type { Storage } from '../backend.js';
import { JsBackend } from './js.js';
import { KERNELS_WASM_BASE64 } from './wasm-kernels.generated.js';

interface KernelExports {
  memory: WebAssembly.Memory;
  sparseRows(nnz: number, n: number, alpha: number, outRows: number, inRows: number, values: number, b: number, c: number): void;
  gemm(transA: number, transB: number, m: number, n: number, k: number, alpha: number, a: number, b: number, beta: number, c: number): void;
}

const PAGE = 65536;
/** Scratch operands start here (the module's own static data, if any, stays below). */
const BASE = PAGE;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export class WasmBackend extends JsBackend {
  override readonly name: string = 'wasm';
  private readonly kernels: KernelExports;

  /** How often each GEMM path ran (for tests and benchmarks). */
  readonly stats: WasmBackendStats = { sparseCalls: 0, denseCalls: 0 };

  constructor(kernels: KernelExports) {
    super();
    this.kernels = kernels;
  }

  /** Enough linear memory for `end` bytes (growing invalidates views: callers make new ones). */
  private reserve(end: number): void {
    const memory = this.kernels.memory;
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
  }

  /**
   * The sparse-input path for A·B and Aᵀ·B when A is mostly zeros (MNIST pixels): A's nonzeros
   * are gathered in coordinate form and each adds a scaled row of B to a row of C. Returns false
   * (and does nothing) when A is too dense for it to pay.
   */
  private trySparse(transA: boolean, m: number, n: number, k: number, alpha: number, a: Float32Array, b: Float32Array, beta: number, c: Float32Array): boolean {
    const size = m * k;
    if (size < 4096) return false;
    // A quick look at 512 evenly spaced entries first: dense operands leave here at once.
    const stride = Math.floor(size / 512);
    let sampled = 0;
    for (let i = 0; i < size; i += stride) if (a[i] !== 0) sampled++;
    if (sampled > 0.3 * Math.ceil(size / stride)) return false;
    // One pass writes A's nonzeros straight into linear memory, giving up as soon as there are
    // too many for the sparse path to pay (so dense operands cost only a short scan).
    const limit = Math.floor(0.35 * size);
    const idxBytes = ((limit * 4 + 15) & ~15);
    const outOff = BASE;
    const inOff = outOff + idxBytes;
    const valOff = inOff + idxBytes;
    const bOff = valOff + idxBytes;
    const bBytes = k * n * 4;
    const cOff = bOff + ((bBytes + 15) & ~15);
    this.reserve(cOff + m * n * 4);
    const buffer = this.kernels.memory.buffer;
    const outRows = new Int32Array(buffer, outOff, limit);
    const inRows = new Int32Array(buffer, inOff, limit);
    const values = new Float32Array(buffer, valOff, limit);
    // A is stored rows × cols: m×k for A·B, k×m for Aᵀ·B.
    const rows = transA ? k : m;
    const cols = transA ? m : k;
    let e = 0;
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      for (let q = 0; q < cols; q++) {
        const v = a[base + q]!;
        if (v === 0) continue;
        if (e === limit) return false;
        outRows[e] = transA ? q : r;
        inRows[e] = transA ? r : q;
        values[e] = v;
        e++;
      }
    }
    const heap = new Float32Array(buffer);
    heap.set(b.subarray(0, k * n), bOff / 4);
    const cView = heap.subarray(cOff / 4, cOff / 4 + m * n);
    if (beta === 0) cView.fill(0);
    else {
      cView.set(c.subarray(0, m * n));
      if (beta !== 1) for (let i = 0; i < m * n; i++) cView[i]! *= beta;
    }
    this.kernels.sparseRows(e, n, alpha, outOff, inOff, valOff, bOff, cOff);
    c.set(cView);
    this.stats.sparseCalls++;
    return true;
  }

  override gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Storage, b: Storage, beta: number, c: Storage): void {
    if (!(a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array)) {
      super.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
      return;
    }
    if (!transB && this.trySparse(transA, m, n, k, alpha, a, b, beta, c)) return;
    const aBytes = m * k * 4;
    const bBytes = k * n * 4;
    const cBytes = m * n * 4;
    // 16-byte aligned offsets for the SIMD loads.
    const aOff = BASE;
    const bOff = aOff + ((aBytes + 15) & ~15);
    const cOff = bOff + ((bBytes + 15) & ~15);
    this.reserve(cOff + cBytes);
    const heap = new Float32Array(this.kernels.memory.buffer);
    heap.set(a.subarray(0, m * k), aOff / 4);
    heap.set(b.subarray(0, k * n), bOff / 4);
    if (beta !== 0) heap.set(c.subarray(0, m * n), cOff / 4);
    this.kernels.gemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, aOff, bOff, beta, cOff);
    c.set(heap.subarray(cOff / 4, cOff / 4 + m * n));
    this.stats.denseCalls++;
  }
}

export interface WasmBackendStats {
  sparseCalls: number;
  denseCalls: number;
}

let cached: WasmBackend | null | undefined;

/** The WebAssembly backend, or null where WebAssembly SIMD is not available. */
export function createWasmBackend(): WasmBackend | null {
  if (cached !== undefined) return cached;
  try {
    const module = new WebAssembly.Module(decodeBase64(KERNELS_WASM_BASE64));
    const instance = new WebAssembly.Instance(module, {});
    cached = new WasmBackend(instance.exports as unknown as KernelExports);
  } catch {
    cached = null;
  }
  return cached;
}
