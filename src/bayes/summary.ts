/**
 * Everything `bayesprop beta` reports, as plain data (the CLI prints it, the web app and the
 * report will render it). Example: `betaSummary({ alpha: 2, beta: 2, heads: 7, trials: 10 })`.
 */
import { requireOpenUnit } from '../errors.js';
import type { Interval } from './beta.js';
import { mapLoss } from './loss.js';
import { BetaBinomial, type PseudoCounts, type Shrinkage } from './model.js';

export interface BetaSummary {
  prior: { alpha: number; beta: number; mean: number; mode: number | null; variance: number };
  data: { heads: number; trials: number };
  mle: number | null;
  posterior: {
    alpha: number;
    beta: number;
    mean: number;
    mode: number | null;
    variance: number;
    level: number;
    interval: Interval;
    hdi: Interval;
    /** The highest-density region: two pieces when the posterior is U-shaped. */
    hdr: Interval[];
  };
  logMarginalLikelihood: number;
  bayesFactorFair: number;
  logBayesFactorFair: number;
  shrinkage: Shrinkage;
  pseudoCounts: PseudoCounts;
  mapLoss: { a: number; b: number; argmin: number; agrees: boolean };
  predictive?: { trials: number; pmf: number[] };
}

export interface BetaSummaryInput {
  alpha: number;
  beta: number;
  heads: number;
  trials: number;
  level?: number;
  predict?: number;
}

export function betaSummary(input: BetaSummaryInput): BetaSummary {
  const level = input.level ?? 0.95;
  requireOpenUnit('level', level);
  const model = BetaBinomial.fromPrior(input.alpha, input.beta).observe(input.heads, input.trials);
  const { prior, posterior } = model;
  const loss = mapLoss(input.alpha, input.beta, input.heads, input.trials, 2);
  const summary: BetaSummary = {
    prior: { alpha: prior.alpha, beta: prior.beta, mean: prior.mean, mode: prior.mode, variance: prior.variance },
    data: { heads: input.heads, trials: input.trials },
    mle: model.mle(),
    posterior: {
      alpha: posterior.alpha,
      beta: posterior.beta,
      mean: posterior.mean,
      mode: posterior.mode,
      variance: posterior.variance,
      level,
      interval: posterior.interval(level),
      hdi: posterior.hdi(level),
      hdr: posterior.hdr(level),
    },
    logMarginalLikelihood: model.logMarginalLikelihood(),
    bayesFactorFair: model.bayesFactorFair(),
    logBayesFactorFair: model.logBayesFactorFair(),
    shrinkage: model.shrinkage(),
    pseudoCounts: model.pseudoCounts(),
    mapLoss: { a: loss.a, b: loss.b, argmin: loss.argmin, agrees: loss.agrees },
  };
  if (input.predict !== undefined) summary.predictive = { trials: input.predict, pmf: model.predictive(input.predict) };
  return summary;
}
