/**
 * `npm run bench`: the assignment's MLP, one epoch (60,000 images) and one test pass (10,000),
 * median of several epochs after a warm-up, for bayesprop (js; wasm on all cores and on one;
 * wasm in headless Chromium, on a plain page and with Web Worker threads on an isolated one),
 * TensorFlow.js (wasm, cpu), PyTorch and a hand-written numpy MLP, each in its own process (so
 * its peak RSS is its own); then GEMM GFLOP/s on the MLP's shapes
 * (random operands, and MNIST batches for the sparse-input path) against numpy's OpenBLAS and
 * its 2048³ rate (the fp32 peak measured here). A peer that is missing is reported as missing.
 * The head-to-head peers (bayesprop wasm, PyTorch, numpy) run in rounds, taking turns, and each
 * reports the median over all its rounds' epochs: this machine's speed drifts by ±25% from
 * minute to minute (shared host), and a drift should hit every peer alike, not whichever ran
 * in the slow minute.
 * Writes bench/results/<timestamp>.json and prints a markdown table.
 *   npm run bench -- --epochs 3 --rounds 3
 */
import '../src/node/relaxedSimd.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fillBatch } from '../src/data/dataset.js';
import { loadDataset } from '../src/node/datasets.js';
import { defaultThreads, startKernelThreads } from '../src/node/kernelThreads.js';
import type { Backend } from '../src/tensor/backend.js';
import { JsBackend } from '../src/tensor/backends/js.js';
import { createWasmBackend } from '../src/tensor/backends/wasm.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}
const epochs = option('epochs', 3);
const rounds = option('rounds', 3);

interface PeerResult {
  peer: string;
  epochSeconds?: number;
  epochs?: number[];
  testSeconds?: number;
  testAccuracy?: number;
  peakRssMB?: number;
  note?: string;
  missing?: string;
}

function runPeer(label: string, command: string, args: string[]): PeerResult {
  process.stderr.write(`bench: ${label}…\n`);
  try {
    const out = execFileSync(command, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 24 });
    const line = out.trim().split('\n').filter((l) => l.startsWith('{')).pop();
    if (!line) return { peer: label, missing: 'no result line' };
    return JSON.parse(line) as PeerResult;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    const why = (e.stderr ?? e.message).trim().split('\n').filter(Boolean).pop() ?? 'failed';
    return { peer: label, missing: why.slice(0, 160) };
  }
}

const python = '/usr/bin/python3';
const node = process.execPath;
type Spec = [label: string, command: string, args: string[]];
const epochArgs = ['--epochs', String(epochs)];
const oursSpec: Spec = ['bayesprop (wasm)', node, ['bench/peers/bayesprop-epoch.mjs', '--backend', 'wasm', ...epochArgs]];
const oursOneSpec: Spec = ['bayesprop (wasm, 1 thread)', node, ['bench/peers/bayesprop-epoch.mjs', '--backend', 'wasm', '--threads', '1', ...epochArgs]];
const torchSpec: Spec = ['PyTorch (2 threads)', python, ['bench/peers/python_epoch.py', '--peer', 'torch', ...epochArgs, '--threads', '2']];
const numpySpec: Spec = ['numpy (OpenBLAS)', python, ['bench/peers/python_epoch.py', '--peer', 'numpy', ...epochArgs]];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

/** One peer's rounds as one result: the median over every epoch of every round. */
function mergeRounds(results: PeerResult[]): PeerResult {
  const missing = results.find((r) => r.missing);
  if (missing) return missing;
  const all = results.flatMap((r) => r.epochs ?? [r.epochSeconds!]);
  const last = results[results.length - 1]!;
  return {
    ...last,
    epochSeconds: median(all),
    epochs: all,
    testSeconds: median(results.map((r) => r.testSeconds!)),
    peakRssMB: Math.max(...results.map((r) => r.peakRssMB ?? 0)) || undefined,
    note: `median of ${all.length} epochs in ${results.length} rounds`,
  };
}

// The head-to-head peers take turns, round after round.
const headToHead = [oursSpec, oursOneSpec, torchSpec, numpySpec];
const collected = headToHead.map(() => [] as PeerResult[]);
for (let r = 1; r <= rounds; r++) headToHead.forEach(([label, command, a], i) => collected[i]!.push(runPeer(`${label} (round ${r}/${rounds})`, command, a)));
const [oursResult, oursOneResult, torchResult, numpyResult] = collected.map(mergeRounds);

const peers: PeerResult[] = [
  runPeer('bayesprop (js)', node, ['bench/peers/bayesprop-epoch.mjs', '--backend', 'js', ...epochArgs]),
  oursResult!,
  oursOneResult!,
  runPeer('bayesprop (wasm, Chromium)', node, ['bench/peers/browser-epoch.mjs', ...epochArgs]),
  runPeer('bayesprop (wasm, Chromium, isolated)', node, ['bench/peers/browser-epoch.mjs', ...epochArgs, '--isolated', '1']),
  runPeer('TensorFlow.js (wasm)', node, ['bench/peers/tfjs-epoch.mjs', '--backend', 'wasm', ...epochArgs]),
  runPeer('TensorFlow.js (cpu)', node, ['bench/peers/tfjs-epoch.mjs', '--backend', 'cpu', '--epochs', '1', '--images', '6000']),
  torchResult!,
  numpyResult!,
];

// GEMM GFLOP/s in this process for our backends; numpy's in its own.
// A is random unless given (an MNIST batch for the sparse-input path: rates are then
// dense-equivalent, 2mnk flops per product).
function gflops(backend: Backend, gemm: (c: Float32Array, a: Float32Array, b: Float32Array) => void, m: number, n: number, k: number, reps: number, given?: Float32Array): number {
  // Operands in the backend's own memory, as a model's tensors are (staging plain arrays into
  // the wasm memory on every call would be timed too, and dominates the small shapes).
  const make = (size: number, fill: (i: number) => number) => {
    const x = backend.alloc(size, 'float32', { persistent: true }) as Float32Array;
    for (let i = 0; i < size; i++) x[i] = fill(i);
    return x;
  };
  const a = make(m * k, (i) => (given ? given[i]! : Math.random()));
  const b = make(k * n, () => Math.random());
  const c = make(m * n, () => 0);
  gemm(c, a, b);
  const t = performance.now();
  for (let r = 0; r < reps; r++) gemm(c, a, b);
  return (2 * m * n * k * reps) / ((performance.now() - t) / 1000) / 1e9;
}
const js = new JsBackend();
const wasm = createWasmBackend();
if (wasm) await startKernelThreads(wasm, defaultThreads());
const shapes: Array<[string, number, number, number, boolean]> = [
  ['128x784x256', 128, 256, 784, false],
  ['128x256x10', 128, 10, 256, false],
  ['784x128x256', 784, 256, 128, true],
];
const gemm: Record<string, Record<string, number | null>> = {};
for (const [name, m, n, k, transA] of shapes) {
  gemm[name] = {
    'bayesprop (js)': gflops(js, (c, a, b) => js.gemm(transA, false, m, n, k, 1, a, b, 0, c), m, n, k, 5),
    'bayesprop (wasm)': wasm ? gflops(wasm, (c, a, b) => wasm.gemm(transA, false, m, n, k, 1, a, b, 0, c), m, n, k, 50) : null,
  };
}
const mnistTrain = await loadDataset('mnist', 'train');
const batch = new Float32Array(128 * 784);
fillBatch(mnistTrain, null, 0, 128, batch, new Int32Array(128));
const mnistShapes: Array<[string, number, number, number, boolean]> = [
  ['128x784x256 (MNIST X·W₁)', 128, 256, 784, false],
  ['784x128x256 (MNIST Xᵀ·dH)', 784, 256, 128, true],
];
for (const [name, m, n, k, transA] of mnistShapes) {
  gemm[name] = {
    'bayesprop (js)': gflops(js, (c, a, b) => js.gemm(transA, false, m, n, k, 1, a, b, 0, c), m, n, k, 5, batch),
    'bayesprop (wasm)': wasm ? gflops(wasm, (c, a, b) => wasm.gemm(transA, false, m, n, k, 1, a, b, 0, c), m, n, k, 50, batch) : null,
  };
}
let numpyGemm: Record<string, number> | null = null;
try {
  numpyGemm = JSON.parse(execFileSync(python, ['bench/peers/python_gemm.py'], { cwd: root, encoding: 'utf8' }).trim()) as Record<string, number>;
  for (const [name] of shapes) gemm[name]!['numpy (OpenBLAS)'] = numpyGemm[name] ?? null;
  // numpy has no sparse path: an MNIST batch costs it what a dense operand does.
  for (const [name] of mnistShapes) gemm[name]!['numpy (OpenBLAS)'] = numpyGemm[name.split(' ')[0]!] ?? null;
} catch {
  /* numpy missing: reported as null */
}

const result = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  epochs,
  rounds,
  wasm: wasm ? { ...wasm.variant, threads: wasm.threads } : null,
  peers,
  gemm,
  peakGflops: numpyGemm?.peak2048 ?? null,
};
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
const file = join(root, 'bench', 'results', `${result.date.replace(/[:.]/g, '-')}.json`);
writeFileSync(file + '.tmp', JSON.stringify(result, null, 2) + '\n');
renameSync(file + '.tmp', file);

const fastestPython = Math.min(...peers.filter((p) => /PyTorch|numpy/.test(p.peer) && p.epochSeconds).map((p) => p.epochSeconds!));
// The peers' own labels say more (build, threads); they are found by position.
const [, oursPeer, oneThread, browser, browserThreads, tfWasm, tfCpu] = peers;
const ours = oursPeer?.epochSeconds;
const ratio = (x?: number, y?: number) => (x && y ? (x / y).toFixed(2) : 'n/a');
const bestTf = Math.min(...[tfWasm, tfCpu].filter((p) => p?.epochSeconds).map((p) => p!.epochSeconds!));
const lines = [
  `| peer | epoch (s) | test pass (s) | test acc. after ${epochs + 1} epochs | peak RSS (MB) | epoch vs bayesprop (wasm) |`,
  '|---|---|---|---|---|---|',
  ...peers.map((p) =>
    p.missing
      ? `| ${p.peer} | missing: ${p.missing} | | | | |`
      : `| ${p.peer} | ${p.epochSeconds!.toFixed(2)}${p.note ? ` (${p.note})` : ''} | ${p.testSeconds!.toFixed(3)} | ${(100 * p.testAccuracy!).toFixed(2)}% | ${p.peakRssMB ? Math.round(p.peakRssMB) : "n/a"} | ${ours ? `${(p.epochSeconds! / ours).toFixed(2)}×` : ''} |`,
  ),
  '',
  `bayesprop (wasm) epoch / fastest Python peer's: ${ours && Number.isFinite(fastestPython) ? (ours / fastestPython).toFixed(2) : 'n/a'} (target ≤ 1.0)`,
  `best TensorFlow.js epoch / bayesprop (wasm): ${Number.isFinite(bestTf) ? ratio(bestTf, ours) : 'n/a'} (target ≥ 3)`,
  `Chromium epoch / Node epoch: ${ratio(browser?.epochSeconds, ours)} against Node's default threads, ${ratio(browser?.epochSeconds, oneThread?.epochSeconds)} against one thread; isolated page with worker threads / Node's default threads: ${ratio(browserThreads?.epochSeconds, ours)} (target ≤ 1.5)`,
  '',
  `| GEMM GFLOP/s | ${Object.keys(gemm[shapes[0]![0]]!).join(' | ')} |`,
  `|---|${Object.keys(gemm[shapes[0]![0]]!).map(() => '---').join('|')}|`,
  ...[...shapes, ...mnistShapes].map(([name]) => `| ${name} | ${Object.values(gemm[name]!).map((v) => (v === null ? 'missing' : v.toFixed(1))).join(' | ')} |`),
  '',
  `fp32 peak measured here (numpy sgemm 2048³): ${numpyGemm ? numpyGemm.peak2048!.toFixed(1) : 'missing'} GFLOP/s`,
];
process.stdout.write(lines.join('\n') + `\n\nresults: ${file}\n`);
