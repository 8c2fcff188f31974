/**
 * Worker threads for the WebAssembly backend's large kernels (Node only). Each worker
 * instantiates the same compiled module on the backend's shared memory and waits for work in a
 * small control block: the main thread writes a kernel's arguments and a column range, bumps a
 * sequence number, runs its own share, then spins until every worker has echoed the number.
 * Workers spin briefly after each job (a hand-off to a spinning worker costs ~1 µs, waking a
 * sleeping one ~65 µs here) and then sleep in Atomics.wait. They are unref'd: they never keep a
 * process alive.
 * Example: `const stop = startKernelThreads(createWasmBackend()!, 2);`
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { KernelSplitter, WasmBackend } from '../tensor/backends/wasm.js';

const KERNELS = ['gemm', 'spmm'] as const;
/** Bytes of control block per worker: i32 [seq, done, ready], then f64 [kernel, count, args…]. */
const SLOT = 256;
/** How long a worker spins for the next job before it sleeps. */
const SPIN_MS = 1;

// The worker's whole program (evaluated as CommonJS: no files to resolve, in tests or in dist).
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, slot, spinMs } = workerData;
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const kernels = [k.gemm, k.spmm];
const i32 = new Int32Array(control, slot, 4);
const f64 = new Float64Array(control, slot + 16, 28);
Atomics.store(i32, 2, 1);
let seen = 0;
for (;;) {
  let seq = Atomics.load(i32, 0);
  if (seq === seen) {
    const until = performance.now() + spinMs;
    while ((seq = Atomics.load(i32, 0)) === seen && performance.now() < until);
    if (seq === seen) { Atomics.wait(i32, 0, seen); continue; }
  }
  seen = seq;
  if (Atomics.load(i32, 3) === 1) break;
  const count = f64[1];
  const args = new Array(count);
  for (let i = 0; i < count; i++) args[i] = f64[2 + i];
  kernels[f64[0]](...args);
  Atomics.store(i32, 1, seq);
}
`;

class ThreadSplitter implements KernelSplitter {
  private readonly control: SharedArrayBuffer;
  private readonly workers: Worker[] = [];
  private readonly slots: Array<{ i32: Int32Array; f64: Float64Array }> = [];
  private seq = 0;

  constructor(
    private readonly backend: WasmBackend,
    readonly threads: number,
  ) {
    const helpers = threads - 1;
    this.control = new SharedArrayBuffer(SLOT * Math.max(1, helpers));
    for (let w = 0; w < helpers; w++) {
      const slot = w * SLOT;
      this.slots.push({ i32: new Int32Array(this.control, slot, 4), f64: new Float64Array(this.control, slot + 16, 28) });
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module: backend.module, memory: backend.memory, control: this.control, slot, spinMs: SPIN_MS } });
      worker.unref();
      this.workers.push(worker);
    }
  }

  /** Whether every worker has its instance (until then kernels run on one thread). */
  get ready(): boolean {
    return this.slots.every((s) => Atomics.load(s.i32, 2) === 1);
  }

  run(kernel: 'gemm' | 'spmm', args: number[], n: number): boolean {
    if (!this.ready) return false;
    const parts = this.slots.length + 1;
    // Column ranges in multiples of 32 (whole register blocks of both kernels).
    const bounds = Array.from({ length: parts + 1 }, (_, t) => (t === parts ? n : Math.min(n, Math.round((n * t) / parts / 32) * 32)));
    this.seq++;
    const code = KERNELS.indexOf(kernel);
    this.slots.forEach((s, w) => {
      s.f64[0] = code;
      s.f64[1] = args.length + 2;
      for (let i = 0; i < args.length; i++) s.f64[2 + i] = args[i]!;
      s.f64[2 + args.length] = bounds[w + 1]!;
      s.f64[3 + args.length] = bounds[w + 2]!;
      Atomics.store(s.i32, 0, this.seq);
      Atomics.notify(s.i32, 0);
    });
    if (bounds[1]! > 0) (this.backend.kernels[kernel] as (...a: number[]) => void)(...args, 0, bounds[1]!);
    for (const s of this.slots) while (Atomics.load(s.i32, 1) !== this.seq);
    return true;
  }

  wake(): void {
    for (const s of this.slots) Atomics.notify(s.i32, 0);
  }

  async stop(): Promise<void> {
    for (const s of this.slots) {
      Atomics.store(s.i32, 3, 1);
      Atomics.store(s.i32, 0, ++this.seq);
      Atomics.notify(s.i32, 0);
    }
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** The number of threads to use by default: the cores this process may run on. */
export function defaultThreads(): number {
  return availableParallelism();
}

/**
 * Splits `backend`'s large kernels over `threads` threads (this one and threads − 1 workers);
 * threads ≤ 1, or a backend without shared memory, leaves it single-threaded. Resolves when the
 * workers are ready; returns a function that stops them.
 */
export async function startKernelThreads(backend: WasmBackend, threads = defaultThreads()): Promise<() => Promise<void>> {
  if (threads <= 1 || !backend.variant.shared) {
    backend.setSplitter(null);
    return async () => {};
  }
  const splitter = new ThreadSplitter(backend, threads);
  const started = performance.now();
  while (!splitter.ready) {
    if (performance.now() - started > 10_000) throw new Error('the kernel threads did not start within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  backend.setSplitter(splitter);
  return async () => {
    backend.setSplitter(null);
    await splitter.stop();
  };
}
