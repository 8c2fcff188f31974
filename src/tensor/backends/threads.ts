/**
 * Worker threads for the WebAssembly backend's large kernels, for any host with shared memory
 * and workers (Node's worker_threads: src/node/kernelThreads.ts; Web Workers in a
 * cross-origin-isolated page: `startBrowserKernelThreads` below). Each worker instantiates the
 * same compiled module on the backend's shared memory and waits for work in a small control
 * block. For a kernel the main thread writes the arguments, bumps a job number and then
 * claims chunks of columns from the front while the workers claim them from the back, until
 * none are left; it finally waits (spinning: a page's main thread may not block) for the
 * workers' last chunks. Claiming from both ends keeps each thread on the same columns from call
 * to call (their slice of B stays in that core's cache: claiming from one counter moved it
 * between cores and made split kernels 1.5–2× slower per chunk here), while the meeting point
 * still balances the work when a worker wakes late or runs slower. Workers spin briefly after
 * each job (a hand-off to a spinning worker costs ~1 µs, waking a sleeping one 65–180 µs here)
 * and then sleep in Atomics.wait; `wake` rouses them ahead of a kernel. The main thread may also
 * queue whole kernels on the first worker (`post`: the input batch's transpose, the next batch's
 * conversion and compression) and go on; a split kernel does not wait for them (its caller
 * waits, with `sync`, for those whose output it reads).
 */
import type { AsyncKernel, KernelSplitter, SplitKernel, WasmBackend } from './wasm.js';

const KERNELS: ReadonlyArray<SplitKernel | AsyncKernel> = ['gemm', 'spmm', 'transposeCompressed', 'bytesToFloat', 'compress'];
/**
 * Claims the next of `total` chunks of split kernel number `run` (mod 256) from the front (the
 * main thread) or the back (workers): one 32-bit word holds the kernel's number (top 8 bits) and
 * counts both ends (12 bits each: front low, back above it). Returns the chunk's index, or −1 when
 * none is left, or when the word has moved on to a later kernel (a worker that reaches a kernel
 * late, behind posted jobs, finds it done). Its source also runs in the workers
 * (KERNEL_WORKER_SOURCE).
 */
export function claimChunk(word: Int32Array, total: number, back: boolean, run: number): number {
  for (;;) {
    const old = Atomics.load(word, 0);
    if (old >>> 24 !== run) return -1;
    const front = old & 0xfff;
    const taken = (old >>> 12) & 0xfff;
    if (front + taken >= total) return -1;
    if (Atomics.compareExchange(word, 0, old, old + (back ? 0x1000 : 1)) === old) return back ? total - 1 - taken : front;
  }
}

/** At most this many chunks a kernel (each end's count must fit 12 bits). */
const MAX_CHUNKS = 0xfff;

/**
 * A worker's control block: i32 [published, done, ready, stop, failed, sleeping], then at +32 a
 * ring of QUEUE job records, each RECORD f64s [kernel, n, chunk, count, run, args…]. Jobs are
 * numbered from 1 in the order published; job j sits in record (j − 1) mod QUEUE, and `done` is
 * the number of the last one finished. chunk 0: a whole kernel, run once without a column range;
 * else chunks of split kernel number `run` (see claimChunk).
 */
const QUEUE = 4;
const RECORD = 24;
const SLOT = 32 + 8 * QUEUE * RECORD;
/**
 * The first 64 bytes hold the shared claim word and the count of the split kernel's chunks
 * finished (i32 0 and 1); the workers' slots follow.
 */
const HEADER = 64;
/** How long a worker spins for the next job before it sleeps. */
export const SPIN_MS = 1;

/** What a worker is given: the module, the memory, the control block and its slot in it. */
export interface KernelWorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  slot: number;
  spinMs: number;
}

/**
 * The worker's program, as source text: `run(data)` with a KernelWorkerData. Hosts wrap it
 * (Node: from workerData; a browser: from the first message) so that no file has to be found.
 */
export const KERNEL_WORKER_SOURCE = `
${claimChunk.toString()}
function run({ module, memory, control, slot, spinMs }) {
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const kernels = [${KERNELS.map((name) => `k.${name}`).join(', ')}];
  const counter = new Int32Array(control, 0, 2);
  const i32 = new Int32Array(control, slot, 8);
  const f64 = new Float64Array(control, slot + 32, ${QUEUE * RECORD});
  Atomics.store(i32, 2, 1);
  let seen = 0;
  for (;;) {
    let published = Atomics.load(i32, 0);
    if (published === seen) {
      const until = performance.now() + spinMs;
      while ((published = Atomics.load(i32, 0)) === seen && performance.now() < until);
      if (published === seen) {
        // Say so before sleeping (i32[5]), so that the main thread notifies only a sleeper: the
        // wait returns at once if a job came in between.
        Atomics.store(i32, 5, 1);
        Atomics.wait(i32, 0, seen);
        Atomics.store(i32, 5, 0);
        continue;
      }
    }
    if (Atomics.load(i32, 3) === 1) break;
    const job = seen + 1;
    const r = ((job - 1) % ${QUEUE}) * ${RECORD};
    const kernel = kernels[f64[r]], n = f64[r + 1], chunk = f64[r + 2], count = f64[r + 3], split = f64[r + 4];
    const args = new Array(count);
    for (let i = 0; i < count; i++) args[i] = f64[r + 5 + i];
    if (chunk === 0) {
      try {
        kernel(...args);
      } catch (error) {
        Atomics.store(i32, 4, 1);
      }
    } else {
      const total = Math.ceil(n / chunk);
      args.push(0, 0);
      for (let c = claimChunk(counter, total, true, split); c >= 0; c = claimChunk(counter, total, true, split)) {
        args[count] = c * chunk;
        args[count + 1] = Math.min(n, (c + 1) * chunk);
        try {
          kernel(...args);
        } catch (error) {
          Atomics.store(i32, 4, 1);
        }
        // Counted even when it failed, so that nothing waits forever.
        Atomics.add(counter, 1, 1);
      }
    }
    seen = job;
    Atomics.store(i32, 1, job);
  }
}
`;

/**
 * Wakes a worker that sleeps in Atomics.wait. A spinning one needs nothing: notify takes a
 * process-wide lock, and cost ~30 µs a step when called for every job.
 */
function rouse(i32: Int32Array): void {
  if (Atomics.load(i32, 5) === 1) Atomics.notify(i32, 0);
}

/** A started worker, as the host made it. */
export interface WorkerHandle {
  terminate(): unknown;
}

/** The main thread's side of a worker's control block. */
interface Slot {
  i32: Int32Array;
  f64: Float64Array;
  /** Jobs published to it so far. */
  published: number;
}

export class ThreadSplitter implements KernelSplitter {
  private readonly control: SharedArrayBuffer;
  private readonly counter: Int32Array;
  /** Split kernels run so far (their number mod 256 tags the claim word). */
  private runs = 0;
  private readonly workers: WorkerHandle[] = [];
  private readonly slots: Slot[] = [];
  /** Jobs posted to the first worker and not yet waited for, oldest first. */
  private posted: Array<{ job: number; kernel: AsyncKernel }> = [];

  constructor(
    private readonly backend: WasmBackend,
    readonly threads: number,
    spawn: (data: KernelWorkerData) => WorkerHandle,
  ) {
    const helpers = threads - 1;
    this.control = new SharedArrayBuffer(HEADER + SLOT * helpers);
    this.counter = new Int32Array(this.control, 0, 2);
    for (let w = 0; w < helpers; w++) {
      const slot = HEADER + w * SLOT;
      this.slots.push({ i32: new Int32Array(this.control, slot, 8), f64: new Float64Array(this.control, slot + 32, QUEUE * RECORD), published: 0 });
      this.workers.push(spawn({ module: backend.module, memory: backend.memory, control: this.control, slot, spinMs: SPIN_MS }));
    }
  }

  /** Whether every worker has its instance (until then kernels run on one thread). */
  get ready(): boolean {
    return this.slots.every((s) => Atomics.load(s.i32, 2) === 1);
  }

  /**
   * Runs a kernel in chunks on this thread and the workers. A worker busy with posted jobs joins
   * when it gets to it (or finds it done): this waits only for the chunks, so the caller must
   * have waited (`sync`) for any posted job whose output the kernel reads.
   */
  run(kernel: SplitKernel, args: number[], n: number, chunk: number): boolean {
    if (!this.ready) return false;
    // Whole multiples of the chunk asked for, few enough for the claim word.
    chunk *= Math.ceil(Math.ceil(n / chunk) / MAX_CHUNKS);
    const total = Math.ceil(n / chunk);
    const tag = ++this.runs & 0xff;
    Atomics.store(this.counter, 1, 0);
    Atomics.store(this.counter, 0, tag << 24);
    for (const s of this.slots) this.publish(s, kernel, args, n, chunk, tag);
    const run = this.backend.kernels[kernel] as (...a: number[]) => void;
    let mine = 0;
    for (let c = claimChunk(this.counter, total, false, tag); c >= 0; c = claimChunk(this.counter, total, false, tag)) {
      run(...args, c * chunk, Math.min(n, (c + 1) * chunk));
      mine++;
    }
    Atomics.add(this.counter, 1, mine);
    while (Atomics.load(this.counter, 1) < total);
    // A worker that failed has still counted its chunk (so nothing hangs); the chunk is lost.
    if (this.slots.some((s) => Atomics.load(s.i32, 4) === 1)) throw new Error(`a kernel thread failed in ${kernel}`);
    return true;
  }

  /**
   * Queues a whole kernel on the first worker, behind what it was posted before, and returns at
   * once; `sync` waits for it. False (nothing started) before the workers are ready.
   */
  post(kernel: AsyncKernel, args: number[]): boolean {
    if (!this.ready || this.slots.length === 0) return false;
    const s = this.slots[0]!;
    this.publish(s, kernel, args, 1, 0, 0);
    this.posted.push({ job: s.published, kernel });
    return true;
  }

  /** Writes the next job into a worker's ring (once it has room) and rouses the worker. */
  private publish(s: Slot, kernel: SplitKernel | AsyncKernel, args: number[], n: number, chunk: number, tag: number): void {
    if (args.length > RECORD - 5) throw new Error(`${kernel} has too many arguments for a job record`);
    while (s.published - Atomics.load(s.i32, 1) >= QUEUE);
    const r = (s.published % QUEUE) * RECORD;
    s.f64[r] = KERNELS.indexOf(kernel);
    s.f64[r + 1] = n;
    s.f64[r + 2] = chunk;
    s.f64[r + 3] = args.length;
    s.f64[r + 4] = tag;
    for (let i = 0; i < args.length; i++) s.f64[r + 5 + i] = args[i]!;
    Atomics.store(s.i32, 0, ++s.published);
    rouse(s.i32);
  }

  /** Waits for the posted kernels (those up to the last `kernel` posted, when given). */
  sync(kernel?: AsyncKernel): void {
    let last = this.posted.length - 1;
    if (kernel) while (last >= 0 && this.posted[last]!.kernel !== kernel) last--;
    if (last < 0) return;
    const s = this.slots[0]!;
    const job = this.posted[last]!.job;
    while (Atomics.load(s.i32, 1) < job);
    this.posted = this.posted.slice(last + 1);
    if (Atomics.load(s.i32, 4) === 1) throw new Error('a kernel thread failed in a posted kernel');
  }

  wake(): void {
    for (const s of this.slots) rouse(s.i32);
  }

  async stop(): Promise<void> {
    this.sync();
    for (const s of this.slots) {
      Atomics.store(s.i32, 3, 1);
      Atomics.store(s.i32, 0, ++s.published);
      Atomics.notify(s.i32, 0);
    }
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

const running = new WeakMap<WasmBackend, ThreadSplitter>();

/**
 * Splits `backend`'s large kernels over `threads` threads (this one and threads − 1 workers made
 * by `spawn`); threads ≤ 1, or a backend without shared memory, leaves it single-threaded. A
 * backend has one set of workers: starting again replaces (and stops) the earlier set. Resolves
 * when the workers are ready; returns a function that stops them.
 */
export async function startKernelThreadsWith(backend: WasmBackend, threads: number, spawn: (data: KernelWorkerData) => WorkerHandle): Promise<() => Promise<void>> {
  await running.get(backend)?.stop();
  running.delete(backend);
  backend.setSplitter(null);
  if (threads <= 1 || !backend.variant.shared) return async () => {};
  const splitter = new ThreadSplitter(backend, threads, spawn);
  running.set(backend, splitter);
  const started = performance.now();
  while (!splitter.ready) {
    if (performance.now() - started > 10_000) {
      await splitter.stop();
      throw new Error('the kernel threads did not start within 10 s');
    }
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

/**
 * Kernel threads from Web Workers, in a cross-origin-isolated page (elsewhere shared memory
 * cannot be posted to a worker and this leaves the backend on one thread). Default: the
 * browser's hardwareConcurrency.
 */
export async function startBrowserKernelThreads(backend: WasmBackend, threads = globalThis.navigator?.hardwareConcurrency ?? 1): Promise<() => Promise<void>> {
  if (!(globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated || typeof Worker === 'undefined') return startKernelThreadsWith(backend, 1, () => ({ terminate() {} }));
  const url = URL.createObjectURL(new Blob([`${KERNEL_WORKER_SOURCE}\nonmessage = (event) => run(event.data);`], { type: 'text/javascript' }));
  try {
    return await startKernelThreadsWith(backend, threads, (data) => {
      const worker = new Worker(url);
      worker.postMessage(data);
      return worker;
    });
  } finally {
    URL.revokeObjectURL(url);
  }
}
