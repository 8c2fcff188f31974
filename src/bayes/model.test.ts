import { describe, expect, it } from 'vitest';
import goldens from '../../test/fixtures/bayes-goldens.json' with { type: 'json' };
import { Random } from '../math/random.js';
import { Beta, BetaBinomial } from './index.js';

const rel = (got: number, want: number) => (want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want));

describe('BetaBinomial against scipy', () => {
  it.each(goldens.cases.map((c) => [c.alpha, c.beta, c.heads, c.trials, c] as const))(
    'prior Beta(%s, %s) with %s/%s heads: evidence, Bayes factor and predictive',
    (a, b, y, n, c) => {
      const m = BetaBinomial.fromPrior(a, b).observe(y, n);
      expect(Math.abs(m.logMarginalLikelihood() - c.logMarginalLikelihood)).toBeLessThan(1e-11 * Math.max(1, Math.abs(c.logMarginalLikelihood)));
      expect(Math.abs(m.logBayesFactorFair() - c.logBayesFactorFair)).toBeLessThan(1e-11 * Math.max(1, Math.abs(c.logBayesFactorFair)));
      const pmf = m.predictive(c.predict);
      expect(pmf).toHaveLength(c.predict + 1);
      pmf.forEach((p, k) => expect(rel(p, c.predictive[k]!)).toBeLessThan(1e-11));
    },
  );
});

describe('BetaBinomial', () => {
  it('has the conjugate posterior Beta(α + y, β + N − y)', () => {
    const m = BetaBinomial.fromPrior(2, 3).observe(7, 10);
    expect(m.posterior.alpha).toBe(9);
    expect(m.posterior.beta).toBe(6);
  });

  it('is immutable: observe returns a new model', () => {
    const prior = BetaBinomial.fromPrior(1, 1);
    const post = prior.observe(3, 4);
    expect(prior.data).toEqual({ heads: 0, trials: 0 });
    expect(post.data).toEqual({ heads: 3, trials: 4 });
    expect(Object.isFrozen(post)).toBe(true);
  });

  it('gives the same posterior when the data arrive in pieces as when they arrive at once (random batches)', () => {
    const rng = new Random(11);
    for (let rep = 0; rep < 50; rep++) {
      const a = 0.1 + 10 * rng.uniform();
      const b = 0.1 + 10 * rng.uniform();
      let seq = BetaBinomial.fromPrior(a, b);
      let heads = 0;
      let trials = 0;
      for (let k = 0; k < 5; k++) {
        const n = rng.integer(20);
        const y = rng.integer(n + 1);
        seq = seq.observe(y, n);
        heads += y;
        trials += n;
      }
      const batch = BetaBinomial.fromPrior(a, b).observe(heads, trials);
      expect(seq.posterior).toEqual(batch.posterior);
      expect(seq.logMarginalLikelihood()).toBe(batch.logMarginalLikelihood());
    }
  });

  it('puts the posterior mean between the prior mean and the MLE, as their weighted average', () => {
    const rng = new Random(12);
    for (let rep = 0; rep < 200; rep++) {
      const a = 0.05 + 20 * rng.uniform();
      const b = 0.05 + 20 * rng.uniform();
      const n = 1 + rng.integer(200);
      const y = rng.integer(n + 1);
      const m = BetaBinomial.fromPrior(a, b).observe(y, n);
      const s = m.shrinkage();
      const lo = Math.min(s.priorMean, s.mle!);
      const hi = Math.max(s.priorMean, s.mle!);
      expect(s.posteriorMean).toBeGreaterThanOrEqual(lo - 1e-15);
      expect(s.posteriorMean).toBeLessThanOrEqual(hi + 1e-15);
      expect(s.priorWeight * s.priorMean + s.dataWeight * s.mle!).toBeCloseTo(s.posteriorMean, 14);
      expect(s.priorWeight + s.dataWeight).toBeCloseTo(1, 15);
    }
  });

  it('shrinks the posterior variance as n grows with the heads fraction fixed', () => {
    for (const [a, b, frac] of [[2, 2, 0.5], [1, 1, 0.3], [5, 1, 0.8], [0.5, 0.5, 0.1]]) {
      let previous = Infinity;
      for (const n of [10, 20, 50, 100, 1000, 10_000, 100_000]) {
        const v = BetaBinomial.fromPrior(a, b).observe(Math.round(frac * n), n).posterior.variance;
        expect(v).toBeLessThan(previous);
        previous = v;
      }
      expect(previous).toBeLessThan(1e-5); // → 0
    }
  });

  it('never has a posterior variance above 1/(4(α+β+N+1)), which falls with N', () => {
    const rng = new Random(13);
    for (let rep = 0; rep < 200; rep++) {
      const a = 0.05 + 5 * rng.uniform();
      const b = 0.05 + 5 * rng.uniform();
      const n = rng.integer(500);
      const y = rng.integer(n + 1);
      const v = BetaBinomial.fromPrior(a, b).observe(y, n).posterior.variance;
      expect(v).toBeLessThanOrEqual(1 / (4 * (a + b + n + 1)) + 1e-17);
    }
  });

  it('has a smaller prior variance for a larger α = β (a stronger belief in a fair coin)', () => {
    let previous = Infinity;
    for (const a of [0.01, 0.5, 1, 2, 5, 20, 100, 1e4]) {
      const v = new Beta(a, a).variance;
      expect(v).toBeCloseTo(1 / (4 * (2 * a + 1)), 15);
      expect(v).toBeLessThan(previous);
      previous = v;
    }
  });

  it('moves the MAP toward the prior mode as α, β grow (fair-coin prior against 3 heads in 3)', () => {
    // The MLE says "always heads"; a Beta(a, a) prior keeps the MAP below 1, more so for larger a.
    const maps = [2, 5, 20].map((a) => BetaBinomial.fromPrior(a, a).observe(3, 3).posterior.mode!);
    expect(BetaBinomial.fromPrior(1, 1).observe(3, 3).mle()).toBe(1);
    expect(maps[0]).toBeLessThan(1);
    expect(maps[1]).toBeLessThan(maps[0]!);
    expect(maps[2]).toBeLessThan(maps[1]!);
    expect(maps[2]).toBeGreaterThan(0.5);
  });

  it('has no MLE before any flip, and a prior read as pseudo-counts', () => {
    const m = BetaBinomial.fromPrior(3, 4);
    expect(m.mle()).toBeNull();
    expect(m.pseudoCounts()).toEqual({ heads: 3, tails: 4, total: 7 });
    expect(m.logMarginalLikelihood()).toBe(0);
  });

  it('has a predictive pmf that sums to 1 with mean M × posterior mean', () => {
    const m = BetaBinomial.fromPrior(0.7, 2.2).observe(13, 40);
    const pmf = m.predictive(25);
    expect(pmf.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 13);
    expect(pmf.reduce((s, p, k) => s + k * p, 0)).toBeCloseTo(25 * m.posterior.mean, 12);
  });

  it('favours a fair coin for balanced data and the Beta prior for lopsided data', () => {
    expect(BetaBinomial.fromPrior(1, 1).observe(50, 100).bayesFactorFair()).toBeLessThan(1);
    expect(BetaBinomial.fromPrior(1, 1).observe(90, 100).bayesFactorFair()).toBeGreaterThan(1e6);
  });

  it('rejects impossible data, naming the argument', () => {
    const m = BetaBinomial.fromPrior(1, 1);
    expect(() => m.observe(5, 3)).toThrow('heads: 5 (must be at most trials = 3)');
    expect(() => m.observe(-1, 3)).toThrow('heads: -1 (must be a non-negative integer)');
    expect(() => m.observe(1, 2.5)).toThrow('trials: 2.5 (must be a non-negative integer)');
  });
});
