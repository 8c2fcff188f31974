/**
 * Simulations that show the frequentist behaviour of the Bayesian estimates: convergence of the
 * posterior mean and MAP to the MLE (and to the true θ) as n grows, and the coverage of the
 * equal-tailed credible interval. All randomness comes from the `Random` passed in.
 */
import { ArgumentError, requireCount, requireOpenUnit, requirePositive, requireUnit } from '../errors.js';
import type { Random } from '../math/random.js';
import { Beta } from './beta.js';

export interface AsymptoticsRow {
  n: number;
  heads: number;
  mle: number;
  posteriorMean: number;
  /** null where the posterior has no single mode. */
  map: number | null;
  posteriorSd: number;
}

/**
 * One simulated coin with heads probability `theta`, flipped up to max(ns) times; the estimates
 * after the first n flips for each n in `ns` (ascending).
 */
export function simulateAsymptotics(opts: { theta: number; alpha: number; beta: number; ns: number[]; rng: Random }): AsymptoticsRow[] {
  const { theta, alpha, beta, ns, rng } = opts;
  requireUnit('theta', theta);
  requirePositive('alpha', alpha);
  requirePositive('beta', beta);
  const sorted = [...ns].sort((x, y) => x - y);
  for (const n of sorted) {
    requireCount('n', n);
    if (n === 0) throw new ArgumentError('n', n, 'must be at least 1');
  }
  const rows: AsymptoticsRow[] = [];
  let heads = 0;
  let flipped = 0;
  for (const n of sorted) {
    heads += rng.binomial(n - flipped, theta); // the next n − flipped flips, in one draw
    flipped = n;
    const post = new Beta(alpha + heads, beta + n - heads);
    rows.push({ n, heads, mle: heads / n, posteriorMean: post.mean, map: post.mode, posteriorSd: Math.sqrt(post.variance) });
  }
  return rows;
}

export interface Coverage {
  theta: number;
  trials: number;
  level: number;
  replications: number;
  /** The fraction of simulated data sets whose interval contains θ. */
  coverage: number;
  /** The binomial standard error of that fraction. */
  standardError: number;
}

/** Frequentist coverage of the equal-tailed `level` interval for a coin with heads probability θ. */
export function intervalCoverage(opts: {
  theta: number;
  alpha: number;
  beta: number;
  trials: number;
  level: number;
  replications: number;
  rng: Random;
}): Coverage {
  const { theta, alpha, beta, trials, level, replications, rng } = opts;
  requireUnit('theta', theta);
  requirePositive('alpha', alpha);
  requirePositive('beta', beta);
  requireCount('trials', trials);
  requireOpenUnit('level', level);
  requireCount('replications', replications);
  if (replications === 0) throw new ArgumentError('replications', replications, 'must be at least 1');
  // Only N + 1 data sets are possible: compute each interval once.
  const cache = new Map<number, boolean>();
  let hits = 0;
  for (let r = 0; r < replications; r++) {
    const y = rng.binomial(trials, theta);
    let inside = cache.get(y);
    if (inside === undefined) {
      const [lo, hi] = new Beta(alpha + y, beta + trials - y).interval(level);
      inside = lo <= theta && theta <= hi;
      cache.set(y, inside);
    }
    if (inside) hits++;
  }
  const coverage = hits / replications;
  return { theta, trials, level, replications, coverage, standardError: Math.sqrt((coverage * (1 - coverage)) / replications) };
}
