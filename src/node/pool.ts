/** Trains ensemble members in worker threads, at most `threads` at a time (Node only). */
import { Worker } from 'node:worker_threads';
import type { MemberJob, MemberResult } from './trainWorker.js';

export async function trainInWorkers(jobs: MemberJob[], threads: number, onDone?: (r: MemberResult, done: number) => void): Promise<MemberResult[]> {
  const results = new Array<MemberResult>(jobs.length);
  let next = 0;
  let done = 0;
  const url = new URL('./trainWorker.js', import.meta.url);
  const runner = async () => {
    const worker = new Worker(url);
    try {
      while (next < jobs.length) {
        const index = next++;
        results[index] = await new Promise<MemberResult>((resolve, reject) => {
          const onMessage = (m: { ok: boolean; result?: MemberResult; error?: string }) => {
            worker.off('error', onError);
            if (m.ok) resolve(m.result!);
            else reject(new Error(m.error));
          };
          const onError = (error: Error) => {
            worker.off('message', onMessage);
            reject(error);
          };
          worker.once('message', onMessage);
          worker.once('error', onError);
          worker.postMessage(jobs[index]);
        });
        done++;
        onDone?.(results[index]!, done);
      }
    } finally {
      await worker.terminate();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(threads, jobs.length)) }, runner));
  return results;
}
