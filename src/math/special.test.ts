import { describe, expect, it } from 'vitest';
import goldens from '../../test/fixtures/beta-goldens.json' with { type: 'json' };
import { lbeta, lchoose, lgamma, lgamma1p, rlog1, stirlingCorrection } from './index.js';

const rel = (got: number, want: number) => (want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want));

describe('lgamma', () => {
  it.each(goldens.lgamma.map((r) => [r.x, r.lgamma]))('lgamma(%s) matches mpmath to 1e-14 relative', (x, want) => {
    if (want === 0) expect(lgamma(x)).toBe(0);
    else expect(rel(lgamma(x), want)).toBeLessThan(1e-14);
  });

  it('keeps relative accuracy next to its zeros at 1 and 2', () => {
    // ln Γ(1 + t) ≈ −γt and ln Γ(2 + t) ≈ (1 − γ)t for tiny t.
    const gamma = 0.5772156649015329;
    expect(rel(lgamma1p(1e-12), -gamma * 1e-12)).toBeLessThan(1e-11);
    const t = 2 ** -33; // 2 + t is exact
    expect(rel(lgamma(2 + t), (1 - gamma) * t)).toBeLessThan(1e-9);
  });

  it('satisfies the recurrence ln Γ(x+1) = ln Γ(x) + ln x', () => {
    for (const x of [0.013, 0.7, 1.3, 2.2, 4.9, 7.5, 8.5, 37.1, 1234.5]) {
      expect(rel(lgamma(x + 1), lgamma(x) + Math.log(x))).toBeLessThan(1e-13);
    }
  });

  it('returns Infinity at 0 and NaN for negative input', () => {
    expect(lgamma(0)).toBe(Infinity);
    expect(lgamma(-1)).toBeNaN();
  });
});

describe('lbeta', () => {
  it.each(goldens.lbeta.map((r) => [r.a, r.b, r.lbeta]))('lbeta(%s, %s) matches mpmath to 1e-13 relative', (a, b, want) => {
    expect(rel(lbeta(a, b), want)).toBeLessThan(1e-13);
  });

  it('is symmetric', () => {
    expect(lbeta(3.5, 1e6)).toBe(lbeta(1e6, 3.5));
  });
});

describe('lchoose', () => {
  it('gives ln C(n, k) exactly for small n', () => {
    expect(Math.exp(lchoose(10, 3))).toBeCloseTo(120, 10);
    expect(lchoose(5, 0)).toBe(0);
    expect(lchoose(5, 6)).toBe(-Infinity);
  });
});

describe('rlog1', () => {
  it('equals x − ln(1 + x) and keeps its digits near 0', () => {
    for (const x of [-0.9, -0.5, -0.1, 0.3, 0.5, 2]) expect(rlog1(x)).toBeCloseTo(x - Math.log1p(x), 14);
    // x − ln(1+x) = x²/2 − x³/3 + x⁴/4 − …
    const x = 1e-5;
    expect(rel(rlog1(x), x * x / 2 - x ** 3 / 3 + x ** 4 / 4)).toBeLessThan(1e-15);
  });
});

describe('stirlingCorrection', () => {
  it('is ln Γ(x) minus the Stirling approximation', () => {
    for (const x of [8, 10, 100]) {
      const stirling = (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI);
      expect(stirlingCorrection(x)).toBeCloseTo(lgamma(x) - stirling, 13);
    }
  });
});
