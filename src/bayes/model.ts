/**
 * The Beta-Binomial model of a coin: prior θ ~ Beta(α, β), data Y ~ Bin(N, θ), and by conjugacy
 * the posterior Beta(α + y, β + N − y). Values are immutable: `observe` returns a new model.
 * Example:
 *   const m = BetaBinomial.fromPrior(2, 2).observe(7, 10);
 *   m.posterior.mean;            // 9/14
 *   m.logMarginalLikelihood();   // ln p(Y = 7 | N = 10)
 */
import { ArgumentError, requireCount, requirePositive } from '../errors.js';
import { lbetaDifference, logPowerTerms } from '../math/incbeta.js';
import { lbeta, lchoose } from '../math/special.js';
import { Beta } from './beta.js';

/** Observed flips: `heads` out of `trials`. */
export interface CoinData {
  heads: number;
  trials: number;
}

/** The posterior mean as a weighted average of the prior mean and the MLE. */
export interface Shrinkage {
  /** w = (α+β)/(α+β+N), the weight of the prior mean. */
  priorWeight: number;
  /** 1 − w = N/(α+β+N), the weight of the MLE. */
  dataWeight: number;
  priorMean: number;
  mle: number | null;
  posteriorMean: number;
}

/** The prior read as data seen before: α heads and β tails (α + β flips' worth of belief). */
export interface PseudoCounts {
  heads: number;
  tails: number;
  total: number;
}

export function validateData(heads: number, trials: number): CoinData {
  requireCount('heads', heads);
  requireCount('trials', trials);
  if (heads > trials) throw new ArgumentError('heads', heads, `must be at most trials = ${trials}`);
  return { heads, trials };
}

export class BetaBinomial {
  readonly prior: Beta;
  readonly data: Readonly<CoinData>;
  readonly posterior: Beta;

  constructor(prior: Beta, data: CoinData = { heads: 0, trials: 0 }) {
    this.prior = prior;
    this.data = Object.freeze(validateData(data.heads, data.trials));
    this.posterior = new Beta(prior.alpha + data.heads, prior.beta + data.trials - data.heads);
    Object.freeze(this);
  }

  static fromPrior(alpha: number, beta: number): BetaBinomial {
    return new BetaBinomial(new Beta(requirePositive('alpha', alpha), requirePositive('beta', beta)));
  }

  /** The model after `heads` more heads in `trials` more flips (the old value is unchanged). */
  observe(heads: number, trials: number): BetaBinomial {
    validateData(heads, trials);
    return new BetaBinomial(this.prior, { heads: this.data.heads + heads, trials: this.data.trials + trials });
  }

  /** The maximum-likelihood estimate y/N; null before any flip. */
  mle(): number | null {
    return this.data.trials === 0 ? null : this.data.heads / this.data.trials;
  }

  shrinkage(): Shrinkage {
    const s = this.prior.alpha + this.prior.beta;
    const n = this.data.trials;
    return {
      priorWeight: s / (s + n),
      dataWeight: n / (s + n),
      priorMean: this.prior.mean,
      mle: this.mle(),
      posteriorMean: this.posterior.mean,
    };
  }

  pseudoCounts(): PseudoCounts {
    return { heads: this.prior.alpha, tails: this.prior.beta, total: this.prior.alpha + this.prior.beta };
  }

  /**
   * ln p(Y = y | N) = ln C(N, y) + ln B(α+y, β+N−y) − ln B(α, β): the evidence for the prior,
   * with θ integrated out, of the count y (for one particular sequence of flips drop ln C(N, y)).
   */
  logMarginalLikelihood(): number {
    const { heads, trials } = this.data;
    // ln C(N, y) = −ln(N+1) − ln B(y+1, N−y+1); its difference with ln B(α+y, β+N−y) is formed
    // directly (both are ≈ −N ln 2 for large N).
    return (
      -Math.log1p(trials) +
      lbetaDifference(this.posterior.alpha, this.posterior.beta, heads + 1, trials - heads + 1) -
      lbeta(this.prior.alpha, this.prior.beta)
    );
  }

  /** ln of the Bayes factor p(y | Beta prior) / p(y | θ = ½); the binomial coefficients cancel. */
  logBayesFactorFair(): number {
    // ln B(α', β') + N ln 2 = −ln[2^{−(α'+β')} / B(α', β')] − (α+β) ln 2, the bracket formed
    // without cancellation by logPowerTerms at x = ½.
    const { alpha, beta } = this.posterior;
    return -logPowerTerms(alpha, beta, 0.5) - (this.prior.alpha + this.prior.beta) * Math.LN2 - lbeta(this.prior.alpha, this.prior.beta);
  }

  /** The Bayes factor against a fair coin: > 1 favours this prior's model over θ = ½. */
  bayesFactorFair(): number {
    return Math.exp(this.logBayesFactorFair());
  }

  /**
   * The posterior predictive of heads in M future flips, the beta-binomial pmf
   * P(k) = C(M, k) B(α'+k, β'+M−k) / B(α', β') for k = 0..M.
   */
  predictive(flips: number): number[] {
    requireCount('flips', flips);
    if (flips > 1e7) throw new ArgumentError('flips', flips, 'must be at most 10000000');
    const { alpha, beta } = this.posterior;
    const pmf = new Array<number>(flips + 1);
    for (let k = 0; k <= flips; k++) pmf[k] = Math.exp(lchoose(flips, k) + lbetaDifference(alpha + k, beta + flips - k, alpha, beta));
    return pmf;
  }
}
