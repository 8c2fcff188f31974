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

  constructor(kernels: KernelExports) {
    super();
    this.kernels = kernels;
  }

  override gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Storage, b: Storage, beta: number, c: Storage): void {
    if (!(a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array)) {
      super.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
      return;
    }
    const aBytes = m * k * 4;
    const bBytes = k * n * 4;
    const cBytes = m * n * 4;
    // 16-byte aligned offsets for the SIMD loads.
    const aOff = BASE;
    const bOff = aOff + ((aBytes + 15) & ~15);
    const cOff = bOff + ((bBytes + 15) & ~15);
    const end = cOff + cBytes;
    const memory = this.kernels.memory;
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
    const heap = new Float32Array(memory.buffer);
    heap.set(a.subarray(0, m * k), aOff / 4);
    heap.set(b.subarray(0, k * n), bOff / 4);
    if (beta !== 0) heap.set(c.subarray(0, m * n), cOff / 4);
    this.kernels.gemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, aOff, bOff, beta, cOff);
    c.set(heap.subarray(cOff / 4, cOff / 4 + m * n));
  }
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
