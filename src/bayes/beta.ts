/**
 * The Beta(α, β) distribution as an immutable value: moments, mode, density, CDF, quantiles,
 * equal-tailed and highest-density intervals, and draws.
 * Example: `const d = new Beta(9, 5); d.mean; d.interval(0.95); d.hdi(0.95);`
 */
import { ArgumentError, requireOpenUnit, requirePositive } from '../errors.js';
import { betaIncInv, betaLogPdf, betaTails } from '../math/incbeta.js';
import type { Random } from '../math/random.js';
import { brentRoot } from '../math/roots.js';

/** A closed interval [lo, hi]. */
export type Interval = [number, number];

/** The shape of a Beta density, which decides where its highest-density region lies. */
export type BetaShape = 'uniform' | 'unimodal' | 'decreasing' | 'increasing' | 'u-shaped';

export class Beta {
  readonly alpha: number;
  readonly beta: number;

  constructor(alpha: number, beta: number) {
    this.alpha = requirePositive('alpha', alpha);
    this.beta = requirePositive('beta', beta);
    Object.freeze(this);
  }

  get mean(): number {
    return this.alpha / (this.alpha + this.beta);
  }

  /** αβ / ((α+β)²(α+β+1)). */
  get variance(): number {
    const s = this.alpha + this.beta;
    return (this.alpha / s) * (this.beta / s) / (s + 1);
  }

  /**
   * The mode: (α−1)/(α+β−2) when α, β > 1; 0 when α ≤ 1 < β; 1 when β ≤ 1 < α; null when both
   * are ≤ 1 (uniform or U-shaped: no single most likely value).
   */
  get mode(): number | null {
    const { alpha: a, beta: b } = this;
    if (a > 1 && b > 1) return (a - 1) / (a + b - 2);
    if (a <= 1 && b > 1) return 0;
    if (b <= 1 && a > 1) return 1;
    return null;
  }

  get shape(): BetaShape {
    const { alpha: a, beta: b } = this;
    if (a === 1 && b === 1) return 'uniform';
    if (a > 1 && b > 1) return 'unimodal';
    if (a < 1 && b < 1) return 'u-shaped';
    if (a <= 1 && b >= 1) return 'decreasing';
    return 'increasing';
  }

  pdf(x: number): number {
    return Math.exp(betaLogPdf(this.alpha, this.beta, x));
  }

  logPdf(x: number): number {
    return betaLogPdf(this.alpha, this.beta, x);
  }

  /** P(θ ≤ x). */
  cdf(x: number): number {
    return betaTails(this.alpha, this.beta, x).p;
  }

  /** P(θ > x), accurate in the upper tail. */
  sf(x: number): number {
    return betaTails(this.alpha, this.beta, x).q;
  }

  /** The x with P(θ ≤ x) = p. */
  quantile(p: number): number {
    if (!(p >= 0 && p <= 1)) throw new ArgumentError('p', p, 'must be a probability in [0, 1]');
    return betaIncInv(this.alpha, this.beta, p, 1 - p);
  }

  /** The x with P(θ > x) = q (inverse survival function), accurate for tiny q. */
  isf(q: number): number {
    if (!(q >= 0 && q <= 1)) throw new ArgumentError('q', q, 'must be a probability in [0, 1]');
    return betaIncInv(this.alpha, this.beta, 1 - q, q);
  }

  /** The equal-tailed interval: (1−level)/2 of the mass below it and as much above. */
  interval(level: number): Interval {
    requireOpenUnit('level', level);
    const tail = (1 - level) / 2;
    return [this.quantile(tail), this.isf(tail)];
  }

  /**
   * The highest-density interval: the shortest interval holding `level` of the mass. For a
   * unimodal density its ends have equal density; for a monotone one it starts at 0 or ends at
   * 1; for the uniform it is the central interval; for a U-shaped density (α, β < 1) it is the
   * shorter of the two end intervals (the highest-density *region* is then two pieces: `hdr`).
   */
  hdi(level: number): Interval {
    requireOpenUnit('level', level);
    switch (this.shape) {
      case 'uniform':
        return [(1 - level) / 2, (1 + level) / 2];
      case 'decreasing':
        return [0, this.quantile(level)];
      case 'increasing':
        return [this.isf(level), 1];
      case 'u-shaped': {
        const low: Interval = [0, this.quantile(level)];
        const high: Interval = [this.isf(level), 1];
        return low[1] - low[0] <= high[1] - high[0] ? low : high;
      }
      case 'unimodal':
        return this.unimodalHdi(level);
    }
  }

  /**
   * The highest-density region {θ : pdf(θ) ≥ k} holding `level` of the mass, as disjoint
   * intervals: one for every shape except the U-shaped, where it is [0, lo] ∪ [hi, 1].
   */
  hdr(level: number): Interval[] {
    requireOpenUnit('level', level);
    if (this.shape !== 'u-shaped') return [this.hdi(level)];
    // Mass l in [0, x1] and level − l in [x2, 1], with equal densities at x1 and x2.
    const ends = (l: number): Interval => [this.quantile(l), this.isf(level - l)];
    const gap = (l: number): number => {
      const [x1, x2] = ends(l);
      return this.logPdf(x2) - this.logPdf(x1);
    };
    const l = brentRoot(gap, 0, level);
    const [x1, x2] = ends(l);
    return [
      [0, x1],
      [x2, 1],
    ];
  }

  private unimodalHdi(level: number): Interval {
    // With mass l below the interval, its ends are q(l) and q(l + level); at the optimum their
    // densities are equal. gap(l) rises from −∞ (l = 0) to +∞ (l = 1 − level).
    const ends = (l: number): Interval => [this.quantile(l), this.isf(Math.max(0, 1 - level - l))];
    const gap = (l: number): number => {
      const [lo, hi] = ends(l);
      return this.logPdf(lo) - this.logPdf(hi);
    };
    const l = brentRoot(gap, 0, 1 - level);
    return ends(l);
  }

  /** One draw from this distribution. */
  sample(rng: Random): number {
    return rng.beta(this.alpha, this.beta);
  }

  toJSON(): { alpha: number; beta: number } {
    return { alpha: this.alpha, beta: this.beta };
  }
}
