// One bayesprop training epoch (the assignment's recipe) on the chosen backend, timed.
// --backend js|wasm, --threads N (wasm kernel threads; default: the cores available),
// --relaxed 0 (plain SIMD instead of relaxed-SIMD FMA).
import '../../dist/node/relaxedSimd.js';
import { defaultThreads, startKernelThreads } from '../../dist/node/kernelThreads.js';
import { Random } from '../../dist/math/random.js';
import { initMlp } from '../../dist/nn/mlp.js';
import { loadDataset } from '../../dist/node/datasets.js';
import { newWasmBackend } from '../../dist/tensor/backends/wasm.js';
import { referenceBackend } from '../../dist/tensor/tensor.js';
import { evaluate, train } from '../../dist/train/train.js';
import { timeEpochs } from '../epochs.mjs';
import { args, report } from './common.mjs';

const a = args();
const backend = a.backend === 'wasm' ? newWasmBackend({ relaxed: a.relaxed !== '0' }) : referenceBackend;
const threads = Number(a.threads ?? defaultThreads());
if (a.backend === 'wasm') await startKernelThreads(backend, threads);
const epochs = Number(a.epochs ?? 3);
const trainSet = await loadDataset('mnist', 'train');
const testSet = await loadDataset('mnist', 'test');
const model = initMlp({ inputs: 784, hidden: 256, outputs: 10 }, new Random(0), { backend });
const { epochSeconds, testSeconds, accuracy } = timeEpochs({ train, evaluate }, model, trainSet, testSet, epochs);
const label = a.backend === 'wasm' ? `bayesprop (wasm, ${backend.variant.relaxed ? 'relaxed SIMD' : 'SIMD'}, ${backend.threads} thread${backend.threads > 1 ? 's' : ''})` : 'bayesprop (js)';
report(label, epochSeconds, testSeconds, accuracy);
