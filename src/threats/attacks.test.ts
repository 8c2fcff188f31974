import { describe, expect, it } from 'vitest';
import { limit } from '../data/dataset.js';
import { Random } from '../math/random.js';
import { initMlp } from '../nn/mlp.js';
import { loadDataset } from '../node/datasets.js';
import { train } from '../train/train.js';
import { attack, attackCurve, corrupt, CORRUPTIONS, inputGradient, predict, zipCodes } from './index.js';

const trainSet = limit(await loadDataset('mnist', 'train'), 3000);
const testSet = limit(await loadDataset('mnist', 'test'), 200);
const model = initMlp({ inputs: 784, hidden: 64, outputs: 10 }, new Random(1));
train(model, trainSet, testSet, { epochs: 2, batchSize: 32, lr: 0.1, seed: 1, loss: 'assignment' });

const pixels = (i: number) => {
  const x = new Float32Array(784);
  for (let p = 0; p < 784; p++) x[p] = testSet.images[i * 784 + p]! / 255;
  return x;
};

describe('inputGradient', () => {
  it('matches central finite differences of the loss (float64 model)', () => {
    const m = initMlp({ inputs: 784, hidden: 8, outputs: 10 }, new Random(2), { dtype: 'float64', scale: 0.3 });
    const x = pixels(0);
    const y = new Int32Array([testSet.labels[0]!]);
    const { grad } = inputGradient(m, x, 1, y);
    const loss = (v: Float32Array) => {
      const logits = Array.from(predictLogitsRow(m, v));
      const max = Math.max(...logits);
      return max + Math.log(logits.reduce((s, l) => s + Math.exp(l - max), 0)) - logits[y[0]!]!;
    };
    for (const p of [100, 300, 406, 500]) {
      const h = 1e-3;
      const up = Float32Array.from(x);
      up[p]! += h;
      const down = Float32Array.from(x);
      down[p]! -= h;
      const fd = (loss(up) - loss(down)) / (up[p]! - down[p]!);
      expect(Math.abs(grad[p]! - fd)).toBeLessThan(1e-4 * Math.max(1, Math.abs(fd)));
    }
    expect(m.W1.grad).toBeNull(); // the parameters were not touched
  });
});

function predictLogitsRow(m: ReturnType<typeof initMlp>, x: Float32Array): Float64Array {
  // A plain forward in float64 by the formulas, independent of the tensor engine.
  const H = m.shape.hidden;
  const h = new Float64Array(H);
  for (let k = 0; k < H; k++) {
    let s = m.b1.data[k]!;
    for (let j = 0; j < 784; j++) s += x[j]! * m.W1.data[j * H + k]!;
    h[k] = Math.max(0, s);
  }
  const out = new Float64Array(10);
  for (let c = 0; c < 10; c++) {
    let s = m.b2.data[c]!;
    for (let k = 0; k < H; k++) s += h[k]! * m.W2.data[k * 10 + c]!;
    out[c] = s;
  }
  return out;
}

describe('attacks', () => {
  const x = new Float32Array(50 * 784);
  const y = new Int32Array(50);
  for (let i = 0; i < 50; i++) {
    x.set(pixels(i), i * 784);
    y[i] = testSet.labels[i]!;
  }

  it('stay within the ε-ball and the valid pixel range', () => {
    for (const method of ['fgsm', 'pgd'] as const) {
      const adv = attack(model, x, 50, y, { method, eps: 0.1, rng: new Random(3) });
      for (let i = 0; i < adv.length; i++) {
        expect(Math.abs(adv[i]! - x[i]!)).toBeLessThanOrEqual(0.1 + 1e-6);
        expect(adv[i]).toBeGreaterThanOrEqual(0);
        expect(adv[i]).toBeLessThanOrEqual(1);
      }
    }
    expect(attack(model, x, 50, y, { method: 'fgsm', eps: 0 })).toEqual(x);
  });

  it('lower the accuracy, PGD (20 steps) about as much as FGSM or more', () => {
    const clean = predict(model, x, 50).filter((p, i) => p === y[i]).length;
    const fgsm = predict(model, attack(model, x, 50, y, { method: 'fgsm', eps: 0.15 }), 50).filter((p, i) => p === y[i]).length;
    const pgd = predict(model, attack(model, x, 50, y, { method: 'pgd', eps: 0.15, steps: 20, rng: new Random(4) }), 50).filter((p, i) => p === y[i]).length;
    expect(fgsm).toBeLessThan(clean / 2);
    expect(pgd).toBeLessThan(clean / 2);
    expect(pgd).toBeLessThanOrEqual(fgsm + 2);
  });

  it('targeted PGD makes digits read as the target', () => {
    const adv = attack(model, x, 50, y, { method: 'pgd', eps: 0.3, target: 7, steps: 20, rng: new Random(5) });
    const read = predict(model, adv, 50);
    const others = Array.from(y).map((label, i) => ({ label, read: read[i] })).filter((r) => r.label !== 7);
    expect(others.filter((r) => r.read === 7).length / others.length).toBeGreaterThan(0.8);
  });

  it('report robust accuracy, success and rerouted zip codes against ε, reproducibly', () => {
    const run = attackCurve(model, limit(testSet, 100), { method: 'fgsm', epsList: [0, 0.1, 0.3], seed: 1 });
    expect(run.results[0]!.robustAccuracy).toBe(run.results[0]!.cleanAccuracy);
    expect(run.results[0]!.successRate).toBe(0);
    expect(run.results[2]!.robustAccuracy).toBeLessThan(run.results[1]!.robustAccuracy);
    const zip = zipCodes(run, 200, 1);
    expect(zip.results[2]!.rerouted).toBeGreaterThanOrEqual(zip.results[0]!.rerouted);
    expect(zipCodes(run, 200, 1).results).toEqual(zip.results);
    // A code is rerouted if any digit is misread: at least the single-digit error rate.
    expect(zip.results[1]!.rerouted).toBeGreaterThanOrEqual(1 - run.results[1]!.robustAccuracy - 0.1);
  });
});

describe('corruptions', () => {
  const ds = limit(testSet, 5);
  it.each(CORRUPTIONS.map((k) => [k]))('%s changes the images at severity > 0 and not at 0', (kind) => {
    expect(corrupt(ds, kind, 0, 1)).toBe(ds);
    const c = corrupt(ds, kind, 0.3, 1);
    expect(c.images).not.toEqual(ds.images);
    expect(c.labels).toEqual(ds.labels);
    expect(corrupt(ds, kind, 0.3, 1).images).toEqual(c.images); // seeded
  });

  it('kills whole rows and sticks whole columns', () => {
    const dead = corrupt(ds, 'dead-rows', 0.25, 2);
    const rowsAllBlack = Array.from({ length: 28 }, (_, r) => Array.from({ length: 5 }, (_, i) => dead.images.subarray(i * 784 + r * 28, i * 784 + r * 28 + 28).every((v) => v === 0)).every(Boolean));
    expect(rowsAllBlack.filter(Boolean).length).toBeGreaterThanOrEqual(7);
    const stuck = corrupt(ds, 'stuck-columns', 0.25, 2);
    const colsWhite = Array.from({ length: 28 }, (_, c) => Array.from({ length: 28 }, (_, r) => stuck.images[r * 28 + c] === 255).every(Boolean));
    expect(colsWhite.filter(Boolean).length).toBe(7);
  });
});
