import { describe, expect, it } from 'vitest';
import { limit } from '../data/dataset.js';
import { Random } from '../math/random.js';
import { initMlp } from '../nn/mlp.js';
import { loadDataset } from '../node/datasets.js';
import type { WasmBackend } from '../tensor/backends/wasm.js';
import { decodeModel, encodeModel, evaluate, train } from './index.js';

const trainSet = limit(await loadDataset('mnist', 'train'), 1500);
const testSet = limit(await loadDataset('mnist', 'test'), 500);
const config = { epochs: 2, batchSize: 64, lr: 0.1, seed: 3, loss: 'assignment' as const };
const withoutTimes = (epochs: Array<Record<string, number>>) => epochs.map(({ seconds, evalSeconds, ...rest }) => rest);

describe('train', () => {
  it('is reproducible: same seed, bit-identical metrics and weights', () => {
    const run = () => {
      const model = initMlp({ inputs: 784, hidden: 32, outputs: 10 }, new Random(3));
      const result = train(model, trainSet, testSet, config);
      return { result, weights: Array.from(model.W1.data) };
    };
    const a = run();
    const b = run();
    expect(withoutTimes(a.result.epochs as never)).toEqual(withoutTimes(b.result.epochs as never));
    expect(a.result.confusion).toEqual(b.result.confusion);
    expect(a.weights).toEqual(b.weights);
  });

  it('lowers the loss, and its test metrics are those of evaluate', () => {
    const model = initMlp({ inputs: 784, hidden: 32, outputs: 10 }, new Random(3));
    const before = evaluate(model, testSet);
    const result = train(model, trainSet, testSet, { ...config, lr: 0.5 });
    const after = evaluate(model, testSet);
    expect(after.loss).toBeLessThan(before.loss);
    const last = result.epochs[result.epochs.length - 1]!;
    expect(last.testAccuracy).toBe(after.accuracy);
    expect(last.testLoss).toBeCloseTo(after.loss, 10);
    expect(after.confusion.flat().reduce((s, v) => s + v, 0)).toBe(testSet.count);
    expect(after.confusion.reduce((s, row, i) => s + row[i]!, 0) / testSet.count).toBe(after.accuracy);
  });

  it('updates the parameters in place, with SGD fused into the backward pass (no gradient buffers)', () => {
    const model = initMlp({ inputs: 784, hidden: 16, outputs: 10 }, new Random(1));
    const params = model.parameters().map((p) => p.data);
    const before = model.parameters().map((p) => p.toArray());
    train(model, limit(trainSet, 256), testSet, { ...config, epochs: 1 });
    model.parameters().forEach((p, i) => expect(p.data).toBe(params[i]));
    model.parameters().forEach((p, i) => expect(p.toArray()).not.toEqual(before[i]));
    expect(model.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('rejects a diverging run with a message', () => {
    const model = initMlp({ inputs: 784, hidden: 16, outputs: 10 }, new Random(1), { scale: 50 });
    expect(() => train(model, limit(trainSet, 256), testSet, { ...config, lr: 1e30, loss: 'stable' })).toThrow(/training diverged/);
  });
});

describe('checkpoints', () => {
  it('round-trip a model with its metadata', () => {
    const model = initMlp({ inputs: 784, hidden: 8, outputs: 10 }, new Random(2));
    const bytes = encodeModel(model, { seed: 2, data: { name: 'mnist' } });
    const { model: back, metadata } = decodeModel(bytes);
    expect(back.shape).toEqual(model.shape);
    expect(back.W1.data).toEqual(model.W1.data);
    expect(JSON.parse(metadata.seed!)).toBe(2);
    expect(JSON.parse(metadata.architecture!)).toMatchObject({ inputs: 784, hidden: 8, outputs: 10 });
  });

  it('reject a file whose tensors disagree with its architecture', () => {
    const model = initMlp({ inputs: 784, hidden: 8, outputs: 10 }, new Random(2));
    const bytes = encodeModel(model, { architecture: { inputs: 784, hidden: 9, outputs: 10 } });
    expect(() => decodeModel(bytes, 'm')).toThrow('m: tensor W1 has shape [784, 8], the architecture says [784, 9]');
  });
});

describe('train on the WebAssembly backend', () => {
  it('reaches the accuracy of the reference backend (same seed, within float rounding)', async () => {
    const { createWasmBackend } = await import('../tensor/backends/wasm.js');
    const { referenceBackend } = await import('../tensor/tensor.js');
    const run = (backend: typeof referenceBackend) => {
      const model = initMlp({ inputs: 784, hidden: 32, outputs: 10 }, new Random(4), { backend });
      return train(model, trainSet, testSet, config).epochs;
    };
    const js = run(referenceBackend);
    const wasm = run(createWasmBackend()!);
    wasm.forEach((e, i) => {
      expect(Math.abs(e.testAccuracy - js[i]!.testAccuracy)).toBeLessThanOrEqual(0.01);
      expect(Math.abs(e.trainLoss - js[i]!.trainLoss)).toBeLessThan(1e-3);
    });
  });

  it('trains the same with worker threads (each batch converted and compressed on a worker during the step before) as on one', async () => {
    const { newWasmBackend } = await import('../tensor/backends/wasm.js');
    const { startKernelThreads } = await import('../node/kernelThreads.js');
    const threaded = newWasmBackend()!;
    const stop = await startKernelThreads(threaded, 2);
    try {
      const run = (backend: WasmBackend) => {
        const model = initMlp({ inputs: 784, hidden: 64, outputs: 10 }, new Random(6), { backend });
        const result = train(model, limit(trainSet, 1000), testSet, { ...config, epochs: 2, batchSize: 100 });
        return { epochs: result.epochs.map(({ seconds, evalSeconds, ...rest }) => rest), weights: model.parameters().map((p) => p.toArray()) };
      };
      const one = run(newWasmBackend({ shared: false })!);
      const two = run(threaded);
      expect(two).toEqual(one);
      // Two epochs of ten batches: each compressed once, when it was converted (all but each
      // epoch's first on the worker), plus one test batch an epoch; Sᵀ made ahead for every step.
      expect(threaded.stats).toMatchObject({ compressions: 22, convertedAhead: 18, transposedAhead: 20 });
    } finally {
      await stop();
    }
  });
});
