// One bayesprop training epoch (the assignment's recipe) on the chosen backend, timed.
import { Random } from '../../dist/math/random.js';
import { initMlp } from '../../dist/nn/mlp.js';
import { loadDataset } from '../../dist/node/datasets.js';
import { createWasmBackend } from '../../dist/tensor/backends/wasm.js';
import { referenceBackend } from '../../dist/tensor/tensor.js';
import { evaluate, train } from '../../dist/train/train.js';
import { args, report } from './common.mjs';

const a = args();
const backend = a.backend === 'wasm' ? createWasmBackend() : referenceBackend;
const epochs = Number(a.epochs ?? 3);
const trainSet = await loadDataset('mnist', 'train');
const testSet = await loadDataset('mnist', 'test');
const model = initMlp({ inputs: 784, hidden: 256, outputs: 10 }, new Random(0), { backend });
const tiny = { ...testSet, count: 1, images: testSet.images.subarray(0, 784), labels: testSet.labels.subarray(0, 1) };
const epochSeconds = [];
const testSeconds = [];
let accuracy = 0;
for (let e = 0; e <= epochs; e++) {
  const started = performance.now();
  train(model, trainSet, tiny, { epochs: 1, batchSize: 128, lr: 0.1, seed: e, loss: 'assignment' });
  const seconds = (performance.now() - started) / 1000;
  const t = performance.now();
  accuracy = evaluate(model, testSet).accuracy;
  if (e > 0) {
    epochSeconds.push(seconds);
    testSeconds.push((performance.now() - t) / 1000);
  }
}
report(`bayesprop (${backend.name})`, epochSeconds, testSeconds, accuracy);
