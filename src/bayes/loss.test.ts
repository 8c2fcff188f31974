import { describe, expect, it } from 'vitest';
import { Random } from '../math/random.js';
import { mapLoss, mapLossAt } from './index.js';

describe('mapLoss', () => {
  it('is the assignment\'s loss (y − Nθ)²/(2N) − (α−1)θ + (α+β−2)θ²/2', () => {
    const p = mapLossAt(3, 4, 7, 10, 0.4);
    expect(p.dataTerm).toBeCloseTo((7 - 4) ** 2 / 20, 15);
    expect(p.regulariser).toBeCloseTo(-2 * 0.4 + (5 / 2) * 0.16, 15);
    expect(p.loss).toBeCloseTo(p.dataTerm + p.regulariser, 15);
  });

  it.each([
    [2, 2, 7, 10],
    [1, 1, 3, 10],
    [20, 20, 9, 10],
    [5, 1.5, 0, 4],
    [1, 5, 0, 12], // MAP on the boundary: 0
    [3, 1, 30, 30], // MAP on the boundary: 1
    [0.5, 0.5, 3, 40],
  ])('has its numerical argmin at the MAP for α=%s β=%s, %s/%s heads', (a, b, y, n) => {
    const result = mapLoss(a, b, y, n);
    expect(result.map).not.toBeNull();
    expect(Math.abs(result.argmin - result.map!)).toBeLessThan(1e-9);
    expect(result.agrees).toBe(true);
  });

  it('agrees with the MAP for random priors and data', () => {
    const rng = new Random(21);
    for (let rep = 0; rep < 100; rep++) {
      const a = 1 + 10 * rng.uniform();
      const b = 1 + 10 * rng.uniform();
      const n = 1 + rng.integer(500);
      const y = rng.integer(n + 1);
      expect(mapLoss(a, b, y, n).agrees).toBe(true);
    }
  });

  it('has a regulariser pulling θ toward the prior mode: the argmin lies between the MLE and the prior mode', () => {
    const r = mapLoss(10, 10, 9, 10);
    expect(r.argmin).toBeLessThan(r.mle!);
    expect(r.argmin).toBeGreaterThan(0.5);
  });

  it('reports no agreement when the posterior has no mode', () => {
    const r = mapLoss(0.5, 0.5, 0, 0);
    expect(r.map).toBeNull();
    expect(r.agrees).toBe(false);
  });

  it('returns the loss and its parts on a grid', () => {
    const r = mapLoss(2, 2, 7, 10, 11);
    expect(r.grid).toHaveLength(11);
    expect(r.grid[0]!.theta).toBe(0);
    expect(r.grid[10]!.theta).toBe(1);
  });
});
