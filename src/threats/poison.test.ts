import { describe, expect, it } from 'vitest';
import type { Dataset } from '../data/dataset.js';
import { Random } from '../math/random.js';
import { Mlp } from '../nn/mlp.js';
import { tensor } from '../tensor/tensor.js';
import { flipLabels, poisonWithPatch, spectralSignatures, triggeredTestSet, TRIGGER_SIZE } from './index.js';

/** n images of faint noise in rows×cols, labels cycling 0..9. */
function noiseSet(n: number, rng: Random, rows = 10, cols = 10): Dataset {
  const images = Uint8Array.from({ length: n * rows * cols }, () => rng.integer(40));
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
  return { name: 'noise', images, labels, count: n, rows, cols };
}

const triggerPixels = (ds: Dataset, i: number) => {
  const px: number[] = [];
  for (let r = ds.rows - 1 - TRIGGER_SIZE; r < ds.rows - 1; r++) for (let c = ds.cols - 1 - TRIGGER_SIZE; c < ds.cols - 1; c++) px.push(ds.images[i * ds.rows * ds.cols + r * ds.cols + c]!);
  return px;
};

describe('poisoning', () => {
  it('stamps the trigger on a fraction of the other classes and relabels them as the target', () => {
    const ds = noiseSet(1000, new Random(1));
    const p = poisonWithPatch(ds, 0.1, 7, new Random(2));
    const changed = Array.from(p.poisoned).map((v, i) => (v ? i : -1)).filter((i) => i >= 0);
    expect(changed).toHaveLength(100);
    for (const i of changed) {
      expect(ds.labels[i]).not.toBe(7);
      expect(p.dataset.labels[i]).toBe(7);
      expect(triggerPixels(p.dataset, i).every((v) => v === 255)).toBe(true);
    }
    expect(ds.images).toEqual(noiseSet(1000, new Random(1)).images); // the original is untouched
  });

  it('flips labels to the target or to random other classes', () => {
    const ds = noiseSet(500, new Random(3));
    const toTarget = flipLabels(ds, 0.2, new Random(4), 3);
    expect(Array.from(toTarget.poisoned).filter(Boolean)).toHaveLength(100);
    expect(Array.from(toTarget.dataset.labels).filter((l, i) => toTarget.poisoned[i] && l !== 3)).toHaveLength(0);
    const random = flipLabels(ds, 0.2, new Random(4));
    for (let i = 0; i < 500; i++) if (random.poisoned[i]) expect(random.dataset.labels[i]).not.toBe(ds.labels[i]);
  });

  it('builds the triggered test set from the other classes', () => {
    const ds = noiseSet(100, new Random(5));
    const t = triggeredTestSet(ds, 7);
    expect(t.count).toBe(90);
    expect(Array.from(t.labels)).not.toContain(7);
    expect(triggerPixels(t, 0).every((v) => v === 255)).toBe(true);
  });

  it('finds the poison with spectral signatures when the representation shows the trigger', () => {
    // A "model" whose hidden layer is the pixels themselves: H = ReLU(x·I).
    const ds = noiseSet(2000, new Random(6));
    const p = poisonWithPatch(ds, 0.05, 7, new Random(7));
    const n = ds.rows * ds.cols;
    const eye = new Float32Array(n * n);
    for (let i = 0; i < n; i++) eye[i * n + i] = 1;
    const model = new Mlp({ inputs: n, hidden: n, outputs: 10 }, tensor(eye, [n, n]), tensor(new Float32Array(n)), tensor(new Float32Array(n * 10), [n, 10]), tensor(new Float32Array(10)));
    const s = spectralSignatures(model, p.dataset, 0.05, p.poisoned);
    // Class 7 holds 200 clean + 100 poisoned images; its budget is ⌈1.5·0.05·300⌉ = 23, all poison.
    const inSeven = s.removed.filter((i) => p.dataset.labels[i] === 7);
    expect(inSeven).toHaveLength(23);
    expect(inSeven.every((i) => p.poisoned[i])).toBe(true);
    expect(s.precision).toBeGreaterThan(0);
    expect(s.recall).toBeCloseTo(23 / 100, 10);
  });
});

describe('poisoning at rate 0', () => {
  it('changes nothing', () => {
    const ds = noiseSet(300, new Random(9));
    const patch = poisonWithPatch(ds, 0, 7, new Random(1));
    expect(patch.dataset.images).toEqual(ds.images);
    expect(patch.dataset.labels).toEqual(ds.labels);
    expect(patch.poisoned.every((v) => v === 0)).toBe(true);
    const flip = flipLabels(ds, 0, new Random(1));
    expect(flip.dataset.labels).toEqual(ds.labels);
  });
});
