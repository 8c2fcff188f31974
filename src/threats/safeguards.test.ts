import { describe, expect, it } from 'vitest';
import { limit } from '../data/dataset.js';
import { Random } from '../math/random.js';
import { initMlp } from '../nn/mlp.js';
import { loadDataset } from '../node/datasets.js';
import { fillBatch } from '../data/dataset.js';
import { train } from '../train/train.js';
import { abstentionCurve, adversarialTraining, attack, inputCheck, predict, quantile } from './index.js';

describe('safeguards', () => {
  it('quantile interpolates between order statistics', () => {
    expect(quantile([3, 1, 2, 4], 0)).toBe(1);
    expect(quantile([3, 1, 2, 4], 1)).toBe(4);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  });

  it('abstention keeps the requested share of clean inputs and reports accuracy on the rest', () => {
    const entropy = Array.from({ length: 100 }, (_, i) => i / 100);
    const correct = entropy.map((e) => e < 0.5);
    const [all, most] = abstentionCurve({ entropy, correct }, { entropy: entropy.map((e) => e + 0.5), correct: entropy.map(() => false) }, [1, 0.8]);
    expect(all!.cleanCoverage).toBe(1);
    expect(all!.cleanAccuracy).toBe(0.5);
    expect(most!.cleanCoverage).toBeCloseTo(0.8, 1);
    expect(most!.attackedCoverage).toBeLessThan(0.4);
  });

  it('the input check flags about the requested false alarms on clean data and more on suspects', () => {
    const rng = new Random(1);
    const clean = Array.from({ length: 4000 }, () => rng.normal());
    const c = inputCheck(clean.slice(0, 2000), clean.slice(2000), Array.from({ length: 1000 }, () => 2 + rng.normal()), 0.05);
    expect(c.falseAlarmRate).toBeGreaterThan(0.03);
    expect(c.falseAlarmRate).toBeLessThan(0.07);
    expect(c.detectionRate).toBeGreaterThan(0.5);
  });

  it('adversarial fine-tuning raises FGSM robust accuracy', async () => {
    const trainSet = limit(await loadDataset('mnist', 'train'), 4000);
    const test = limit(await loadDataset('mnist', 'test'), 300);
    const model = initMlp({ inputs: 784, hidden: 64, outputs: 10 }, new Random(2));
    const config = { epochs: 2, batchSize: 32, lr: 0.1, seed: 2, loss: 'assignment' as const };
    train(model, trainSet, test, config);
    const x = new Float32Array(test.count * 784);
    const y = new Int32Array(test.count);
    fillBatch(test, null, 0, test.count, x, y);
    const robust = () => Array.from(predict(model, attack(model, x, test.count, y, { method: 'fgsm', eps: 0.1 }), test.count)).filter((p, i) => p === y[i]).length / test.count;
    const before = robust();
    adversarialTraining(model, trainSet, test, { ...config, epochs: 1 }, 0.1);
    expect(robust()).toBeGreaterThan(before + 0.1);
  });
});
