/**
 * Kernel threads for the WebAssembly backend from Node's worker_threads (the splitter itself is
 * src/tensor/backends/threads.ts, shared with the browser). Workers are unref'd: they never keep
 * a process alive.
 * Example: `const stop = await startKernelThreads(createWasmBackend()!, 2);`
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { KERNEL_WORKER_SOURCE, startKernelThreadsWith } from '../tensor/backends/threads.js';
import type { WasmBackend } from '../tensor/backends/wasm.js';

/** The number of threads to use by default: the cores this process may run on. */
export function defaultThreads(): number {
  return availableParallelism();
}

/**
 * Splits `backend`'s large kernels over `threads` threads (this one and threads − 1 workers);
 * see `startKernelThreadsWith`. Evaluated as CommonJS source: no file to resolve, in tests or
 * in dist.
 */
export function startKernelThreads(backend: WasmBackend, threads = defaultThreads()): Promise<() => Promise<void>> {
  const source = `${KERNEL_WORKER_SOURCE}\nrun(require('node:worker_threads').workerData);`;
  return startKernelThreadsWith(backend, threads, (data) => {
    const worker = new Worker(source, { eval: true, workerData: data });
    worker.unref();
    return worker;
  });
}
