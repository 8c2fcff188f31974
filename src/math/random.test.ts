import { describe, expect, it } from 'vitest';
import { Random } from './index.js';

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const variance = (xs: number[]) => {
  const m = mean(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
};
const draws = (n: number, f: () => number) => Array.from({ length: n }, f);

describe('Random', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const sa = draws(100, () => a.nextUint32());
    expect(draws(100, () => b.nextUint32())).toEqual(sa);
    expect(draws(100, () => c.nextUint32())).not.toEqual(sa);
  });

  it('gives the same mixed stream of uniform, normal, beta and binomial draws for the same seed', () => {
    const run = (seed: number) => {
      const r = new Random(seed);
      return [r.uniform(), r.normal(), r.beta(0.3, 2), r.binomial(1000, 0.2), r.gamma(0.01), r.normal()];
    };
    expect(run(7)).toEqual(run(7));
  });

  it('rejects a seed that is not a safe integer', () => {
    expect(() => new Random(1.5)).toThrow(/seed: 1.5/);
  });

  it('draws uniforms in [0, 1) with mean 1/2 and variance 1/12', () => {
    const r = new Random(1);
    const xs = draws(200_000, () => r.uniform());
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mean(xs)).toBeCloseTo(0.5, 2);
    expect(variance(xs)).toBeCloseTo(1 / 12, 3);
  });

  it('draws uniform 32-bit words: each bit is set half of the time', () => {
    const r = new Random(2);
    const counts = new Array(32).fill(0);
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const w = r.nextUint32();
      for (let b = 0; b < 32; b++) if ((w >>> b) & 1) counts[b]++;
    }
    // 5 standard deviations of a Binomial(n, 1/2) count.
    for (const c of counts) expect(Math.abs(c - n / 2)).toBeLessThan(5 * Math.sqrt(n / 4));
  });

  it('draws standard normals', () => {
    const r = new Random(3);
    const xs = draws(200_000, () => r.normal());
    expect(mean(xs)).toBeCloseTo(0, 2);
    expect(variance(xs)).toBeCloseTo(1, 1);
    const tail = xs.filter((x) => x > 1.959963984540054).length / xs.length;
    expect(tail).toBeGreaterThan(0.023);
    expect(tail).toBeLessThan(0.027);
  });

  it.each([
    [0.5, 0.5],
    [2, 5],
    [0.01, 3],
    [300, 100],
  ])('draws Beta(%s, %s) with the right mean and variance', (a, b) => {
    const r = new Random(4);
    const xs = draws(100_000, () => r.beta(a, b));
    const m = a / (a + b);
    const v = (a * b) / ((a + b) ** 2 * (a + b + 1));
    expect(Math.abs(mean(xs) - m)).toBeLessThan(5 * Math.sqrt(v / xs.length));
    // The sample variance's relative spread is √((κ − 1)/n), κ the kurtosis (large for skewed shapes).
    const m4 = xs.reduce((s, x) => s + (x - m) ** 4, 0) / xs.length;
    const spread = Math.sqrt((m4 / (v * v) - 1) / xs.length);
    expect(Math.abs(variance(xs) / v - 1)).toBeLessThan(5 * spread);
  });

  it.each([
    [10, 0.3],
    [1000, 0.02],
    [1_000_000, 0.5],
    [123_456_789, 0.9],
  ])('draws Binomial(%s, %s) with the right mean and variance', (n, p) => {
    const r = new Random(5);
    const xs = draws(20_000, () => r.binomial(n, p));
    expect(xs.every((x) => Number.isInteger(x) && x >= 0 && x <= n)).toBe(true);
    const v = n * p * (1 - p);
    expect(Math.abs(mean(xs) - n * p)).toBeLessThan(5 * Math.sqrt(v / xs.length));
    expect(variance(xs) / v).toBeGreaterThan(0.93);
    expect(variance(xs) / v).toBeLessThan(1.07);
  });

  it('matches the Binomial(20, 0.3) pmf (chi-square test)', () => {
    const r = new Random(6);
    const n = 20;
    const p = 0.3;
    const reps = 100_000;
    const counts = new Array(n + 1).fill(0);
    for (let i = 0; i < reps; i++) counts[r.binomial(n, p)]++;
    let chi2 = 0;
    let pk = (1 - p) ** n;
    for (let k = 0; k <= n; k++) {
      const expected = reps * pk;
      if (expected > 5) chi2 += (counts[k] - expected) ** 2 / expected;
      pk *= ((n - k) / (k + 1)) * (p / (1 - p));
    }
    // About 14 cells used; the 99.9% point of chi-square(14) is 36.1.
    expect(chi2).toBeLessThan(36.1);
  });

  it('handles the edge cases of binomial draws', () => {
    const r = new Random(8);
    expect(r.binomial(0, 0.5)).toBe(0);
    expect(r.binomial(1000, 0)).toBe(0);
    expect(r.binomial(1000, 1)).toBe(1000);
    expect(() => r.binomial(-1, 0.5)).toThrow(/n: -1/);
    expect(() => r.binomial(5, 1.5)).toThrow(/p: 1.5/);
  });

  it('does not underflow a tiny-shape beta to exactly 0 in log space', () => {
    const r = new Random(9);
    const lg = draws(1000, () => r.logGamma(1e-3));
    expect(lg.every(Number.isFinite)).toBe(true);
  });

  it('shuffles into a permutation', () => {
    const r = new Random(10);
    const xs = r.shuffle(Array.from({ length: 50 }, (_, i) => i));
    expect([...xs].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(xs).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
