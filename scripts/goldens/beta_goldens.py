"""Golden values for src/math: log-gamma, log-beta, the regularised incomplete beta and its inverse.

Reference: mpmath at 50 significant digits. The incomplete beta is evaluated with the continued
fraction of Abramowitz & Stegun 26.5.8 (Lentz's method) carried out in 50-digit arithmetic, and
its complement 1 - I_{1-x}(b, a) beyond the mean; the script cross-checks it against mpmath's own
betainc (hypergeometric series, where that converges), against adaptive quadrature of the density,
and against scipy.special.betainc, and stops if any disagree beyond their known accuracy.
Quantiles are found by Newton's method on that 50-digit CDF, started from scipy's betaincinv.

Run: python3 scripts/goldens/beta_goldens.py > test/fixtures/beta-goldens.json  (needs mpmath, scipy)
"""
import json
import sys
from multiprocessing import Pool

import mpmath as mp
import scipy.special as sc

mp.mp.dps = 50
TINY = mp.mpf(10) ** -300


def lbeta(a, b):
    return mp.loggamma(a) + mp.loggamma(b) - mp.loggamma(a + b)


def cf_lower(a, b, x):
    """I_x(a, b) by the continued fraction; converges fast for x < (a+1)/(a+b+2)."""
    y = 1 - x
    front = mp.exp(a * mp.log(x) + b * mp.log(y) - lbeta(a, b)) / a
    f = TINY
    c = f
    d = mp.mpf(0)
    for i in range(0, 10**7):
        if i == 0:
            num = mp.mpf(1)
        else:
            m = i // 2
            if i % 2 == 0:
                num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            else:
                num = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))
        d = 1 + num * d
        if d == 0:
            d = TINY
        c = 1 + num / c
        if c == 0:
            c = TINY
        d = 1 / d
        delta = c * d
        f *= delta
        if i > 2 and abs(delta - 1) < mp.mpf(10) ** -46:
            return front * f
    raise RuntimeError("continued fraction did not converge")


def ibeta(a, b, x):
    """(P, Q) = (I_x(a, b), 1 - I_x(a, b)) to ~45 digits."""
    a, b, x = mp.mpf(a), mp.mpf(b), mp.mpf(x)
    if x < (a + 1) / (a + b + 2):
        p = cf_lower(a, b, x)
        return p, 1 - p
    q = cf_lower(b, a, 1 - x)
    return 1 - q, q


def pdf(a, b, x):
    a, b, x = mp.mpf(a), mp.mpf(b), mp.mpf(x)
    return mp.exp((a - 1) * mp.log(x) + (b - 1) * mp.log1p(-x) - lbeta(a, b))


def quantile(a, b, p, start):
    """x with I_x(a, b) = p, by Newton in 50 digits (on the smaller tail)."""
    p = mp.mpf(p)
    x = mp.mpf(start)
    for _ in range(200):
        P, Q = ibeta(a, b, x)
        r = (P - p) if p <= 0.5 else (1 - p) - Q
        step = r / pdf(a, b, x)
        nx = x - step
        if nx <= 0:
            nx = x / 2
        if nx >= 1:
            nx = (x + 1) / 2
        if abs(nx - x) <= abs(x) * mp.mpf(10) ** -40:
            return nx
        x = nx
    raise RuntimeError(f"Newton did not converge for {a} {b} {p}")


SHAPES = [1e-3, 1e-2, 0.1, 0.5, 1.0, 1.5, 2.0, 5.0, 10.0, 50.0, 1e3, 1e5, 1e6 + 1, 1e7]
LEVELS = [1e-10, 1e-4, 0.05, 0.5, 0.95, 1 - 1e-4, 1 - 1e-10]


def usable(x):
    return 1e-300 < x < 1.0


def case(ab):
    a, b = ab
    cdf_rows = []
    quantile_rows = []
    for p in LEVELS:
        x = float(sc.betaincinv(a, b, p))
        if not usable(x):
            continue
        P, Q = ibeta(a, b, x)
        ref = float(sc.betainc(a, b, x))
        # scipy (Boost) is good to ~1e-13 here except at the most extreme shapes; a larger gap
        # would mean a bug in this reference, not in scipy.
        if abs(ref - float(P)) > 1e-9 * float(P) + 1e-300:
            raise RuntimeError(f"reference disagrees with scipy at {a} {b} {x}: {P} vs {ref}")
        cdf_rows.append({"a": a, "b": b, "x": x, "p": float(P), "q": float(Q)})
        xq = quantile(a, b, p, x)
        if usable(float(xq)):
            quantile_rows.append({"a": a, "b": b, "p": p, "x": float(xq)})
    return cdf_rows, quantile_rows


def cross_check():
    # The continued fraction against mpmath's hypergeometric betainc and against quadrature.
    for a, b, x in [(0.5, 30, 0.01), (1e-3, 1e3, 1e-5), (5, 5, 0.3), (2, 3, 0.4), (50, 0.1, 0.99)]:
        mine = ibeta(a, b, x)[0]
        theirs = mp.betainc(a, b, 0, x, regularized=True)
        assert abs(mine - theirs) < mp.mpf(10) ** -40 * abs(theirs), (a, b, x, mine, theirs)
    a, b, x = mp.mpf(1e6 + 1), mp.mpf(1e6 + 1), mp.mpf(0.4995)
    s = mp.sqrt(a * b / (a + b) ** 3)
    quad = mp.quad(lambda t: pdf(a, b, t), [x - 60 * s, x - 30 * s, x - 10 * s, x - 3 * s, x])
    assert abs(quad - ibeta(a, b, x)[0]) < mp.mpf(10) ** -25, (quad, ibeta(a, b, x)[0])


def main():
    cross_check()
    pairs = [(a, b) for a in SHAPES for b in SHAPES]
    with Pool(2) as pool:
        results = pool.map(case, pairs, chunksize=4)
    cdf = [row for rows, _ in results for row in rows]
    quant = [row for _, rows in results for row in rows]
    lg_points = [1e-300, 1e-10, 1e-3, 0.1, 0.5, 0.9, 0.99, 1.0, 1.01, 1.2, 1.5, 1.9, 1.999, 2.0, 2.001, 2.5,
                 3.0, 4.5, 7.9, 8.0, 10.0, 33.3, 100.0, 1e3, 1e5, 1e6 + 1, 1e7, 1e10, 1e15, 1e100]
    lgamma = [{"x": x, "lgamma": float(mp.loggamma(x))} for x in lg_points]
    lb_pairs = [(a, b) for a in [1e-3, 0.5, 1.0, 2.5, 7.9, 8.0, 30.0, 1e3, 1e6 + 1, 1e7]
                for b in [1e-3, 0.5, 3.0, 8.0, 100.0, 1e6 + 1, 1e7]]
    lbetas = [{"a": a, "b": b, "lbeta": float(lbeta(mp.mpf(a), mp.mpf(b)))} for a, b in lb_pairs]
    json.dump({
        "source": "scripts/goldens/beta_goldens.py (mpmath %s, 50 digits)" % mp.__version__,
        "lgamma": lgamma, "lbeta": lbetas, "cdf": cdf, "quantile": quant,
    }, sys.stdout, indent=0)


if __name__ == "__main__":
    main()
