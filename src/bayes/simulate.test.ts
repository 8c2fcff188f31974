import { describe, expect, it } from 'vitest';
import { Random } from '../math/random.js';
import { intervalCoverage, simulateAsymptotics } from './index.js';

describe('simulateAsymptotics', () => {
  it('has the posterior mean and MAP converge to the MLE, and the MLE to θ, as n grows', () => {
    const rows = simulateAsymptotics({ theta: 0.3, alpha: 10, beta: 2, ns: [10, 100, 1000, 10_000, 100_000, 1_000_000], rng: new Random(31) });
    const gaps = rows.map((r) => Math.abs(r.posteriorMean - r.mle));
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeLessThan(gaps[i - 1]!);
    const last = rows[rows.length - 1]!;
    expect(Math.abs(last.posteriorMean - last.mle)).toBeLessThan(1e-5);
    expect(Math.abs(last.map! - last.mle)).toBeLessThan(1e-5);
    expect(Math.abs(last.mle - 0.3)).toBeLessThan(5 * Math.sqrt((0.3 * 0.7) / 1e6));
    expect(last.posteriorSd).toBeLessThan(rows[0]!.posteriorSd / 100);
  });

  it('is reproducible: same seed, same rows', () => {
    const run = () => simulateAsymptotics({ theta: 0.6, alpha: 2, beta: 2, ns: [5, 50, 500], rng: new Random(5) });
    expect(run()).toEqual(run());
  });
});

describe('intervalCoverage', () => {
  it('covers θ about `level` of the time for a moderate sample', () => {
    const c = intervalCoverage({ theta: 0.3, alpha: 1, beta: 1, trials: 100, level: 0.95, replications: 4000, rng: new Random(32) });
    expect(c.coverage).toBeGreaterThan(0.92);
    expect(c.coverage).toBeLessThan(0.98);
    expect(c.standardError).toBeCloseTo(Math.sqrt((c.coverage * (1 - c.coverage)) / 4000), 15);
  });

  it('under-covers when a confident prior is wrong and data are few', () => {
    const c = intervalCoverage({ theta: 0.9, alpha: 50, beta: 50, trials: 10, level: 0.95, replications: 2000, rng: new Random(33) });
    expect(c.coverage).toBeLessThan(0.05);
  });

  it('rejects a level outside (0, 1)', () => {
    expect(() => intervalCoverage({ theta: 0.5, alpha: 1, beta: 1, trials: 10, level: 1.5, replications: 10, rng: new Random(1) })).toThrow(/level: 1.5/);
  });
});
