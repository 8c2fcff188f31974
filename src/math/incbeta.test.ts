import { describe, expect, it } from 'vitest';
import goldens from '../../test/fixtures/beta-goldens.json' with { type: 'json' };
import { betaInc, betaIncComplement, betaIncInv, betaLogPdf, betaTails } from './index.js';

const rel = (got: number, want: number) => (want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want));

describe('betaTails against 50-digit references', () => {
  it(`is within 1e-12 relative on the smaller tail at all ${goldens.cdf.length} grid points (a, b from 1e-3 to 1e7)`, () => {
    const failures: string[] = [];
    for (const r of goldens.cdf) {
      const { p, q } = betaTails(r.a, r.b, r.x);
      const err = r.p <= r.q ? rel(p, r.p) : rel(q, r.q);
      if (!(err <= 1e-12)) failures.push(`a=${r.a} b=${r.b} x=${r.x}: rel error ${err}`);
    }
    expect(failures).toEqual([]);
  });

  it('is within 1e-12 relative on the CDF itself wherever the CDF is the smaller tail or above 1e-3', () => {
    const failures: string[] = [];
    for (const r of goldens.cdf) {
      if (r.p < 1e-3 && r.p > r.q) continue;
      const err = rel(betaInc(r.a, r.b, r.x), r.p);
      if (!(err <= 1e-12)) failures.push(`a=${r.a} b=${r.b} x=${r.x}: rel error ${err}`);
    }
    expect(failures).toEqual([]);
  });

  it('covers the extreme shapes the issue names', () => {
    const shapes = new Set(goldens.cdf.map((r) => r.a));
    for (const s of [1e-3, 1e6 + 1, 1e7]) expect(shapes.has(s)).toBe(true);
    expect(goldens.cdf.some((r) => r.a === 1e6 + 1 && r.b === 1e6 + 1)).toBe(true);
    expect(goldens.cdf.some((r) => r.a === 1e-3 && r.b === 1e-3)).toBe(true);
  });
});

describe('betaIncInv against 50-digit references', () => {
  it(`is within 1e-10 relative at all ${goldens.quantile.length} grid points`, () => {
    const failures: string[] = [];
    for (const r of goldens.quantile) {
      const x = r.p > 0.5 ? betaIncInv(r.a, r.b, r.p, 1 - r.p) : betaIncInv(r.a, r.b, r.p);
      const err = rel(x, r.x);
      if (!(err <= 1e-10)) failures.push(`a=${r.a} b=${r.b} p=${r.p}: got ${x}, want ${r.x}, rel error ${err}`);
    }
    expect(failures).toEqual([]);
  });

  it('round-trips through the CDF', () => {
    for (const [a, b] of [[0.3, 4], [2, 2], [50, 7], [1e4, 3e4]] as const) {
      for (const p of [1e-8, 0.2, 0.5, 0.9]) expect(rel(betaInc(a, b, betaIncInv(a, b, p)), p)).toBeLessThan(1e-12);
    }
  });

  it('returns 0 when the quantile underflows, and the ends for p = 0 and p = 1', () => {
    expect(betaIncInv(1e-3, 1, 1e-10)).toBe(0); // x = 1e-10000 is below the smallest double
    expect(betaIncInv(2, 3, 0)).toBe(0);
    expect(betaIncInv(2, 3, 1)).toBe(1);
    expect(betaIncInv(-1, 3, 0.5)).toBeNaN();
  });
});

describe('identities', () => {
  it('I_x(a, b) = 1 − I_{1−x}(b, a)', () => {
    for (const [a, b, x] of [[0.5, 3, 0.5], [7, 2.5, 0.75], [300, 200, 0.625], [1e-2, 5, 0.25]] as const) {
      expect(betaInc(a, b, x)).toBeCloseTo(betaIncComplement(b, a, 1 - x), 15);
    }
  });

  it('has closed forms at b = 1 (x^a) and a = 1 (1 − (1−x)^b)', () => {
    for (const x of [1e-5, 0.1, 0.5, 0.875]) {
      expect(rel(betaInc(3.7, 1, x), x ** 3.7)).toBeLessThan(1e-14);
      expect(rel(betaIncComplement(1, 250, x), (1 - x) ** 250)).toBeLessThan(1e-13);
    }
  });

  it('has the density as its derivative (central differences)', () => {
    for (const [a, b, x] of [[2, 3, 0.3], [0.7, 0.4, 0.6], [120, 80, 0.61], [5000, 0.5, 0.9995]] as const) {
      const h = 1e-6 * Math.min(x, 1 - x);
      const fd = (betaInc(a, b, x + h) - betaInc(a, b, x - h)) / (2 * h);
      expect(rel(fd, Math.exp(betaLogPdf(a, b, x)))).toBeLessThan(1e-6);
    }
  });

  it('handles the ends of [0, 1] and invalid shapes', () => {
    expect(betaTails(2, 3, 0)).toEqual({ p: 0, q: 1 });
    expect(betaTails(2, 3, 1)).toEqual({ p: 1, q: 0 });
    expect(betaTails(0, 3, 0.5).p).toBeNaN();
    expect(betaLogPdf(0.5, 2, 0)).toBe(Infinity);
    expect(betaLogPdf(1, 2, 0)).toBeCloseTo(Math.log(2), 15);
  });
});
