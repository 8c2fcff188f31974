// The WebAssembly backend in headless Chromium (playwright-core + Debian's chromium): the same
// dist/ modules and .wasm bytes as in Node, on a fixed non-shared memory in a plain page and on a
// shared memory in a cross-origin-isolated one (Chromium 156 also lets a plain page make a shared
// memory; only posting it to workers needs the isolation). In the page, kernels and a few SGD
// steps of the MLP on the wasm backend must match the reference backend run in the same page.
// Skipped only where /usr/bin/chromium is missing (.ci/run installs it).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic, type StaticServer } from '../../node/staticServer.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

interface PageResult {
  variant: { relaxed: boolean; shared: boolean };
  isolated: boolean;
  worst: Record<string, number>;
  losses: { wasm: number[]; js: number[] };
  /** With two Web Worker threads (isolated pages): kernels split, and equal to one thread bit for bit. */
  threads: { count: number; splitCalls: number; identical: boolean };
}

// Runs in the page (serialised by playwright: it may use only what it imports itself).
async function inPage(shared: boolean): Promise<PageResult> {
  // import() built at run time in the page: the test runner would otherwise rewrite it.
  const load = new Function('path', 'return import(path)') as (path: string) => Promise<any>;
  const { newWasmBackend } = await load('/dist/tensor/backends/wasm.js');
  const { JsBackend } = await load('/dist/tensor/backends/js.js');
  const { Random } = await load('/dist/math/random.js');
  const { initMlp, sgdStep } = await load('/dist/nn/mlp.js');
  const { batchLoss } = await load('/dist/train/train.js');
  const { tensor } = await load('/dist/tensor/tensor.js');
  const wasm = newWasmBackend({ shared });
  const js = new JsBackend();
  const rng = new Random(1);
  const worst: Record<string, number> = {};
  const compare = (name: string, a: ArrayLike<number>, b: ArrayLike<number>) => {
    let w = 0;
    for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
    worst[name] = w;
  };
  // One product op(A)·B on two backends, A (m×k) with a fraction `zeros` of zeros, B (k×n).
  type Gemm = { gemm(ta: boolean, tb: boolean, m: number, n: number, k: number, al: number, a: Float32Array, b: Float32Array, be: number, c: Float32Array): void };
  const onBoth = (p: Gemm, q: Gemm, m: number, n: number, k: number, transA: boolean, zeros: number) => {
    const a = Float32Array.from({ length: m * k }, () => (rng.uniform() < zeros ? 0 : rng.normal()));
    const b = Float32Array.from({ length: k * n }, () => rng.normal());
    const [x, y] = [new Float32Array(m * n), new Float32Array(m * n)];
    p.gemm(transA, false, m, n, k, 1, a, b, 0, x);
    q.gemm(transA, false, m, n, k, 1, a, b, 0, y);
    return [x, y] as const;
  };
  for (const [name, m, n, k, transA, zeros] of [
    ['dense gemm', 33, 45, 17, false, 0],
    ['sparse gemm Aᵀ·B', 784, 64, 96, true, 0.85],
    ['sparse gemm A·B', 96, 64, 784, false, 0.85],
  ] as const) {
    const [want, got] = onBoth(js, wasm, m, n, k, transA, zeros);
    compare(name, got, want);
  }
  // A few SGD steps of a small MLP on the same synthetic batch, on each backend.
  const steps = (backend: unknown) => {
    const r = new Random(2);
    const model = initMlp({ inputs: 64, hidden: 32, outputs: 10 }, r, { backend, scale: 0.1 });
    const x = tensor(Array.from({ length: 16 * 64 }, () => (r.uniform() < 0.7 ? 0 : r.uniform())), [16, 64], { backend });
    const y = Int32Array.from({ length: 16 }, (_, i) => i % 10);
    const losses: number[] = [];
    for (let s = 0; s < 5; s++) {
      (backend as { scope<T>(f: () => T): T }).scope(() => {
        const { loss } = batchLoss(model, x, y, 'assignment');
        loss.backward();
        sgdStep(model.parameters(), 0.5);
        losses.push(loss.item());
      });
    }
    return losses;
  };
  const losses = { wasm: steps(wasm), js: steps(js) };
  compare('training losses', losses.wasm, losses.js);
  // Two threads where the page allows them: a large sparse and a large dense product, split
  // across a Web Worker, must equal the single-threaded results exactly.
  const { startBrowserKernelThreads } = await load('/dist/tensor/backends/threads.js');
  const single = newWasmBackend({ shared });
  const split = newWasmBackend({ shared });
  const stop = await startBrowserKernelThreads(split, 2);
  let identical = true;
  for (const [m, n, k, transA, zeros] of [
    [128, 256, 784, false, 0.85],
    [784, 256, 128, true, 0.85],
    [256, 300, 200, false, 0],
  ] as const) {
    const [one, two] = onBoth(single, split, m, n, k, transA, zeros);
    for (let i = 0; i < one.length; i++) if (!Object.is(one[i], two[i])) identical = false;
  }
  const threads = { count: split.threads, splitCalls: split.stats.splitCalls, identical };
  await stop();
  return { variant: wasm.variant, isolated: globalThis.crossOriginIsolated === true, worst, losses, threads };
}

describe.skipIf(!existsSync(CHROMIUM))('the WebAssembly backend in headless Chromium', () => {
  let server: StaticServer;
  let isolatedServer: StaticServer;
  let browser: import('playwright-core').Browser;
  beforeAll(async () => {
    server = await serveStatic(root);
    isolatedServer = await serveStatic(root, { isolated: true });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await isolatedServer?.close();
  });

  it.each([
    ['a plain page: fixed non-shared memory', false],
    ['a cross-origin-isolated page: shared memory', true],
  ] as const)('%s; kernels and SGD steps match the reference backend', async (_, isolated) => {
    const page = await browser.newPage();
    try {
      await page.goto(`${(isolated ? isolatedServer : server).url}/`);
      const result = await page.evaluate(inPage, isolated);
      expect(result.isolated).toBe(isolated);
      expect(result.variant.shared).toBe(isolated);
      for (const [name, w] of Object.entries(result.worst)) expect(w, name).toBeLessThan(1e-5);
      expect(result.losses.wasm[4]!).toBeLessThan(result.losses.wasm[0]!);
      // Web Worker threads only where the page is isolated; one thread elsewhere.
      expect(result.threads.count).toBe(isolated ? 2 : 1);
      expect(result.threads.splitCalls).toBe(isolated ? 3 : 0);
      expect(result.threads.identical).toBe(true);
    } finally {
      await page.close();
    }
  }, 60_000);
});
