/**
 * Worker threads for the WebAssembly backend's large kernels (Node only). Each worker
 * instantiates the same compiled module on the backend's shared memory and waits for work in a
 * small control block. For a kernel the main thread writes the arguments, bumps a sequence
 * number and then, like every worker, claims chunks of columns from a shared counter until none
 * are left; it finally waits for the workers to finish their last chunk. Claiming (rather than a
 * fixed half each) keeps both threads busy when a worker wakes late or runs slower.
 * Workers spin briefly after each job (a hand-off to a spinning worker costs ~1 µs, waking a
 * sleeping one ~65–180 µs here) and then sleep in Atomics.wait; `wake` rouses them ahead of a
 * kernel. They are unref'd: they never keep a process alive.
 * Example: `const stop = await startKernelThreads(createWasmBackend()!, 2);`
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { KernelSplitter, WasmBackend } from '../tensor/backends/wasm.js';

const KERNELS = ['gemm', 'spmm'] as const;
/** Columns per claimed chunk: whole register blocks of each kernel (8-wide tiles, 24-wide spmm blocks). */
const CHUNK = { gemm: 32, spmm: 24 } as const;
/** Bytes of control block per worker: i32 [seq, done, ready, stop, failed], then at +32 f64 [kernel, n, chunk, count, args…]. */
const SLOT = 256;
/** The shared chunk counter lives in the first 64 bytes; the workers' slots follow. */
const HEADER = 64;
/** How long a worker spins for the next job before it sleeps. */
const SPIN_MS = 1;

// The worker's whole program (evaluated as CommonJS: no files to resolve, in tests or in dist).
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, slot, spinMs } = workerData;
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const kernels = [k.gemm, k.spmm];
const counter = new Int32Array(control, 0, 1);
const i32 = new Int32Array(control, slot, 8);
const f64 = new Float64Array(control, slot + 32, 28);
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
  const kernel = kernels[f64[0]], n = f64[1], chunk = f64[2], count = f64[3];
  const args = new Array(count + 2);
  for (let i = 0; i < count; i++) args[i] = f64[4 + i];
  try {
    for (let c = Atomics.add(counter, 0, 1); c * chunk < n; c = Atomics.add(counter, 0, 1)) {
      args[count] = c * chunk;
      args[count + 1] = Math.min(n, (c + 1) * chunk);
      kernel(...args);
    }
  } catch (error) {
    Atomics.store(i32, 4, 1);
  }
  Atomics.store(i32, 1, seq);
}
`;

class ThreadSplitter implements KernelSplitter {
  private readonly control: SharedArrayBuffer;
  private readonly counter: Int32Array;
  private readonly workers: Worker[] = [];
  private readonly slots: Array<{ i32: Int32Array; f64: Float64Array }> = [];
  private seq = 0;

  constructor(
    private readonly backend: WasmBackend,
    readonly threads: number,
  ) {
    const helpers = threads - 1;
    this.control = new SharedArrayBuffer(HEADER + SLOT * helpers);
    this.counter = new Int32Array(this.control, 0, 1);
    for (let w = 0; w < helpers; w++) {
      const slot = HEADER + w * SLOT;
      this.slots.push({ i32: new Int32Array(this.control, slot, 8), f64: new Float64Array(this.control, slot + 32, 28) });
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
    const chunk = CHUNK[kernel];
    Atomics.store(this.counter, 0, 0);
    this.seq++;
    for (const s of this.slots) {
      s.f64[0] = KERNELS.indexOf(kernel);
      s.f64[1] = n;
      s.f64[2] = chunk;
      s.f64[3] = args.length;
      for (let i = 0; i < args.length; i++) s.f64[4 + i] = args[i]!;
      Atomics.store(s.i32, 0, this.seq);
      Atomics.notify(s.i32, 0);
    }
    const run = this.backend.kernels[kernel] as (...a: number[]) => void;
    for (let c = Atomics.add(this.counter, 0, 1); c * chunk < n; c = Atomics.add(this.counter, 0, 1)) run(...args, c * chunk, Math.min(n, (c + 1) * chunk));
    for (const s of this.slots) while (Atomics.load(s.i32, 1) !== this.seq);
    // A worker that failed has still marked its job done (so nothing hangs); its chunk is lost.
    if (this.slots.some((s) => Atomics.load(s.i32, 4) === 1)) throw new Error(`a kernel thread failed in ${kernel}`);
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
  // A backend has one set of workers: starting again replaces (and stops) the earlier set.
  await running.get(backend)?.stop();
  running.delete(backend);
  backend.setSplitter(null);
  if (threads <= 1 || !backend.variant.shared) return async () => {};
  const splitter = new ThreadSplitter(backend, threads);
  running.set(backend, splitter);
  const started = performance.now();
  while (!splitter.ready) {
    if (performance.now() - started > 10_000) throw new Error('the kernel threads did not start within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  backend.setSplitter(splitter);
  return async () => {
    if (running.get(backend) !== splitter) return;
    running.delete(backend);
    backend.setSplitter(null);
    await splitter.stop();
  };
}

const running = new WeakMap<WasmBackend, ThreadSplitter>();
