/**
 * A worker thread that trains one ensemble member (Node only). It loads the data itself, draws a
 * bootstrap resample when asked, trains, and sends back the weights and the metrics.
 */
import './relaxedSimd.js';
import { parentPort } from 'node:worker_threads';
import { filterClasses, limit, select, type Dataset } from '../data/dataset.js';
import { Random } from '../math/random.js';
import { initMlp } from '../nn/mlp.js';
import { train } from '../train/train.js';
import { loadDataset, type DatasetName } from './datasets.js';
import { createWasmBackend } from '../tensor/backends/wasm.js';
import { referenceBackend, setDefaultBackend } from '../tensor/tensor.js';

export interface MemberJob {
  id: string;
  data: DatasetName;
  dataDir?: string;
  classes: number[] | null;
  limit?: number;
  testLimit?: number;
  hidden: number;
  epochs: number;
  batchSize: number;
  lr: number;
  /** Seed of the initial weights and the shuffles. */
  seed: number;
  /** Seed of the bootstrap resample, or null to train on the data as it is. */
  bootstrapSeed: number | null;
  /** 'wasm' or 'js' (default js). */
  backend?: string;
}

export interface MemberResult {
  id: string;
  weights: { W1: Float32Array; b1: Float32Array; W2: Float32Array; b2: Float32Array };
  hidden: number;
  testAccuracy: number;
  seconds: number;
}

/** n draws with replacement from 0..n−1. */
export function bootstrapIndices(n: number, rng: Random): number[] {
  return Array.from({ length: n }, () => rng.integer(n));
}

async function run(job: MemberJob): Promise<MemberResult> {
  const started = performance.now();
  setDefaultBackend(job.backend === 'wasm' ? (createWasmBackend() ?? referenceBackend) : referenceBackend);
  const prepare = async (split: 'train' | 'test', n?: number): Promise<Dataset> => {
    let ds = await loadDataset(job.data, split, job.dataDir);
    if (job.classes) ds = filterClasses(ds, job.classes);
    return n === undefined ? ds : limit(ds, n);
  };
  let trainSet = await prepare('train', job.limit);
  const testSet = await prepare('test', job.testLimit);
  if (job.bootstrapSeed !== null) trainSet = select(trainSet, bootstrapIndices(trainSet.count, new Random(job.bootstrapSeed)), `${trainSet.name} (bootstrap ${job.bootstrapSeed})`);
  const model = initMlp({ inputs: trainSet.rows * trainSet.cols, hidden: job.hidden, outputs: 10 }, new Random(job.seed));
  const result = train(model, trainSet, testSet, { epochs: job.epochs, batchSize: job.batchSize, lr: job.lr, seed: job.seed, loss: 'assignment' });
  return {
    id: job.id,
    // Copies: the tensors' buffers are views into the backend's memory, which cannot be transferred.
    weights: { W1: Float32Array.from(model.W1.data), b1: Float32Array.from(model.b1.data), W2: Float32Array.from(model.W2.data), b2: Float32Array.from(model.b2.data) },
    hidden: job.hidden,
    testAccuracy: result.epochs[result.epochs.length - 1]!.testAccuracy,
    seconds: (performance.now() - started) / 1000,
  };
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (job: MemberJob) => {
    run(job).then(
      (r) => port.postMessage({ ok: true, result: r }, [r.weights.W1.buffer, r.weights.b1.buffer, r.weights.W2.buffer, r.weights.b2.buffer] as ArrayBuffer[]),
      (error: Error) => port.postMessage({ ok: false, error: error.message }),
    );
  });
}
