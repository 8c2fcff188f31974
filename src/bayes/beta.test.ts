import { describe, expect, it } from 'vitest';
import goldens from '../../test/fixtures/bayes-goldens.json' with { type: 'json' };
import { Beta } from './index.js';

const rel = (got: number, want: number) => (want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want));

describe('Beta against scipy.stats', () => {
  it.each(goldens.cases.map((c) => [c.alpha + c.heads, c.beta + c.trials - c.heads, c] as const))(
    'Beta(%s, %s) has scipy\'s moments, density, interval and HDI',
    (a, b, c) => {
      const d = new Beta(a, b);
      expect(rel(d.mean, c.posteriorMean)).toBeLessThan(1e-14);
      expect(rel(d.variance, c.posteriorVariance)).toBeLessThan(1e-13);
      for (const [t, pdf] of c.pdfAt as [number, number][]) expect(rel(d.pdf(t), pdf)).toBeLessThan(1e-11);
      const [lo, hi] = d.interval(c.level);
      expect(rel(lo, c.interval[0]!)).toBeLessThan(1e-10);
      expect(rel(hi, c.interval[1]!)).toBeLessThan(1e-10);
      if (c.hdi) {
        const [hlo, hhi] = d.hdi(c.level);
        expect(Math.abs(hlo - c.hdi[0]!)).toBeLessThan(1e-9 * Math.max(hlo, 1e-300) + 1e-15);
        expect(Math.abs(hhi - c.hdi[1]!)).toBeLessThan(1e-9 * hhi);
      }
    },
  );
});

describe('Beta', () => {
  it('has the mode of the assignment in every shape case', () => {
    expect(new Beta(9, 5).mode).toBeCloseTo(8 / 12, 15);
    expect(new Beta(1, 3).mode).toBe(0); // α ≤ 1 < β
    expect(new Beta(0.5, 3).mode).toBe(0);
    expect(new Beta(3, 1).mode).toBe(1); // β ≤ 1 < α
    expect(new Beta(1, 1).mode).toBeNull(); // both ≤ 1
    expect(new Beta(0.5, 0.5).mode).toBeNull();
  });

  it('is immutable', () => {
    const d = new Beta(2, 3);
    expect(Object.isFrozen(d)).toBe(true);
  });

  it('rejects shapes that are not finite numbers > 0, naming the argument', () => {
    expect(() => new Beta(0, 1)).toThrow('alpha: 0 (must be a finite number > 0)');
    expect(() => new Beta(1, Infinity)).toThrow('beta: Infinity (must be a finite number > 0)');
    expect(() => new Beta(NaN, 1)).toThrow(/alpha: NaN/);
  });

  it('rejects levels outside (0, 1)', () => {
    expect(() => new Beta(2, 2).interval(1)).toThrow('level: 1 (must be a number in (0, 1))');
    expect(() => new Beta(2, 2).hdi(0)).toThrow(/level: 0/);
  });

  it.each([
    [9, 5, 0.95],
    [1.2, 40, 0.9],
    [300, 2, 0.5],
    [2.5, 2.5, 0.99],
  ])('gives an HDI of Beta(%s, %s) at %s with the level\'s mass, equal end densities and no more width than the ET interval', (a, b, level) => {
    const d = new Beta(a, b);
    const [lo, hi] = d.hdi(level);
    expect(d.cdf(hi) - d.cdf(lo)).toBeCloseTo(level, 12);
    expect(d.logPdf(lo)).toBeCloseTo(d.logPdf(hi), 8);
    const [elo, ehi] = d.interval(level);
    expect(hi - lo).toBeLessThanOrEqual(ehi - elo + 1e-15);
  });

  it('gives the closed-form HDI of monotone densities: Beta(a, 1) → [(1−L)^{1/a}, 1], Beta(1, b) → [0, 1−(1−L)^{1/b}]', () => {
    const [lo, hi] = new Beta(3, 1).hdi(0.9);
    expect(lo).toBeCloseTo(0.1 ** (1 / 3), 14);
    expect(hi).toBe(1);
    const [lo2, hi2] = new Beta(1, 4).hdi(0.8);
    expect(lo2).toBe(0);
    expect(hi2).toBeCloseTo(1 - 0.2 ** (1 / 4), 14);
  });

  it('gives the equal-tailed interval for a symmetric unimodal density as its HDI', () => {
    const d = new Beta(7, 7);
    const [a, b] = d.hdi(0.9);
    const [c, e] = d.interval(0.9);
    expect(a).toBeCloseTo(c, 12);
    expect(b).toBeCloseTo(e, 12);
  });

  it('splits the highest-density region of a U-shaped density into two end pieces', () => {
    const d = new Beta(0.4, 0.7);
    const region = d.hdr(0.9);
    expect(region).toHaveLength(2);
    const [[z, x1], [x2, one]] = region as [[number, number], [number, number]];
    expect(z).toBe(0);
    expect(one).toBe(1);
    expect(d.cdf(x1) + d.sf(x2)).toBeCloseTo(0.9, 12);
    expect(d.logPdf(x1)).toBeCloseTo(d.logPdf(x2), 8);
    // The single shortest interval lies at one end.
    const [lo, hi] = d.hdi(0.9);
    expect(lo === 0 || hi === 1).toBe(true);
  });

  it('has quantile and isf as inverses of cdf and sf', () => {
    const d = new Beta(0.3, 12);
    for (const p of [1e-12, 1e-3, 0.4, 0.999]) {
      expect(rel(d.cdf(d.quantile(p)), p)).toBeLessThan(1e-11);
      expect(rel(d.sf(d.isf(p)), p)).toBeLessThan(1e-11);
    }
  });
});
