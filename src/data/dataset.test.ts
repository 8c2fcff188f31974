import { describe, expect, it } from 'vitest';
import { Random } from '../math/random.js';
import { classCounts, datasetFromIdx, fillBatch, filterClasses, limit, parseIdx, shuffledOrder } from './index.js';
import { makeIdx } from './testing.js';

const ds = datasetFromIdx(
  'toy',
  parseIdx(makeIdx([5, 1, 2], [0, 255, 51, 102, 0, 0, 255, 255, 10, 20])),
  parseIdx(makeIdx([5], [1, 6, 3, 6, 1])),
);

describe('data sets', () => {
  it('filter by class, keeping the labels', () => {
    const f = filterClasses(ds, [1, 6]);
    expect(f.count).toBe(4);
    expect(Array.from(f.labels)).toEqual([1, 6, 6, 1]);
    expect(Array.from(f.images)).toEqual([0, 255, 51, 102, 255, 255, 10, 20]);
  });

  it('take the first n images', () => {
    const l = limit(ds, 2);
    expect(l.count).toBe(2);
    expect(Array.from(l.labels)).toEqual([1, 6]);
    expect(limit(ds, 100)).toBe(ds);
    expect(() => limit(ds, 0)).toThrow('limit: 0 (must be a positive integer)');
  });

  it('shuffle into a permutation that depends only on the seed', () => {
    const a = shuffledOrder(1000, new Random(4));
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(a).toEqual(shuffledOrder(1000, new Random(4)));
    expect(a).not.toEqual(shuffledOrder(1000, new Random(5)));
  });

  it('become float batches in [0, 1] only when used', () => {
    const x = new Float32Array(4);
    const y = new Int32Array(2);
    fillBatch(ds, Int32Array.from([3, 0, 1, 2, 4]), 0, 2, x, y);
    expect(Array.from(x)).toEqual([1, 1, 0, 1]);
    expect(Array.from(y)).toEqual([6, 1]);
  });

  it('count classes', () => {
    expect(classCounts(ds)).toEqual([0, 2, 0, 1, 0, 0, 2, 0, 0, 0]);
  });
});
