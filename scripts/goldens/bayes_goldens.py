"""Golden values for src/bayes from scipy.stats (an independent implementation).

For each case: the posterior's moments, equal-tailed interval (scipy.stats.beta.interval), the
highest-density interval (found here with scipy's brentq on the equal-density condition over
scipy's ppf), the log marginal likelihood and Bayes factor (mpmath, 50 digits), the posterior
predictive (mpmath, checked against scipy.stats.betabinom.pmf).

Run: python3 scripts/goldens/bayes_goldens.py > test/fixtures/bayes-goldens.json  (needs scipy)
"""
import json
import math
import sys

import mpmath as mp
import numpy as np
from scipy import optimize, special, stats

CASES = [
    # alpha, beta, heads, trials, level, predict
    (2, 2, 7, 10, 0.95, 5),
    (1, 1, 0, 0, 0.9, 3),
    (1, 1, 3, 3, 0.95, 4),
    (0.5, 0.5, 3, 40, 0.95, 10),
    (20, 20, 9, 10, 0.8, 6),
    (1, 5, 0, 12, 0.95, 2),
    (3, 1, 30, 30, 0.99, 7),
    (0.2, 0.7, 0, 0, 0.5, 3),
    (1e-3, 1e-3, 1, 2, 0.95, 2),
    (2.5, 7.5, 120, 1000, 0.95, 20),
    (1, 1, 500000, 1000000, 0.95, 3),
]


def hdi(a, b, level):
    d = stats.beta(a, b)
    if a > 1 and b > 1:
        def gap(l):
            return d.logpdf(d.ppf(l)) - d.logpdf(d.isf(1 - level - l))
        l = optimize.brentq(gap, 1e-15, 1 - level - 1e-15, xtol=1e-300, rtol=1e-15, maxiter=500)
        return [float(d.ppf(l)), float(d.isf(1 - level - l))]
    if a == 1 and b == 1:
        return [(1 - level) / 2, (1 + level) / 2]
    if a <= 1 and b >= 1:
        return [0.0, float(d.ppf(level))]
    if b <= 1 and a >= 1:
        return [float(d.isf(level)), 1.0]
    return None  # U-shaped: checked by properties instead


def predictive(pa, pb, m):
    """Beta-binomial pmf; scipy.stats.betabinom where it is accurate, else mpmath (50 digits)."""
    values = []
    for k in range(m + 1):
        exact = mp.binomial(m, k) * mp.beta(pa + k, pb + m - k) / mp.beta(pa, pb)
        sp = float(stats.betabinom.pmf(k, m, pa, pb))
        # scipy forms betaln differences in double precision: ~1e-10 off when pa, pb ~ 1e6.
        assert abs(sp - float(exact)) <= 1e-8 * float(exact), (pa, pb, m, k, sp, exact)
        values.append(float(exact))
    return values


def main():
    out = []
    for a, b, y, n, level, m in CASES:
        pa, pb = a + y, b + n - y
        d = stats.beta(pa, pb)
        lo, hi = d.interval(level)
        # ln C(n, y) + ln B(a+y, b+n-y) - ln B(a, b) in 50-digit arithmetic (differences of huge
        # ln-gammas lose digits in double precision).
        mp.mp.dps = 50
        lg = mp.loggamma
        log_ml = float(lg(n + 1) - lg(y + 1) - lg(n - y + 1)
                       + lg(pa) + lg(pb) - lg(pa + pb) - lg(a) - lg(b) + lg(a + b))
        log_bf = float(lg(pa) + lg(pb) - lg(pa + pb) - lg(a) - lg(b) + lg(a + b) + n * mp.log(2))
        row = {
            "alpha": a, "beta": b, "heads": y, "trials": n, "level": level, "predict": m,
            "posteriorMean": float(d.mean()), "posteriorVariance": float(d.var()),
            "interval": [float(lo), float(hi)],
            "hdi": hdi(pa, pb, level),
            "logMarginalLikelihood": log_ml,
            "logBayesFactorFair": log_bf,
            "predictive": predictive(pa, pb, m),
            "pdfAt": [[float(t), float(d.pdf(t))] for t in (0.01, 0.3, 0.5, 0.77, 0.999)],
        }
        out.append(row)
    json.dump({"source": "scripts/goldens/bayes_goldens.py (scipy %s)" % __import__("scipy").__version__, "cases": out}, sys.stdout, indent=0)


if __name__ == "__main__":
    main()
