/**
 * Brent's root finder (R. P. Brent, "Algorithms for Minimization without Derivatives", 1973,
 * ch. 4): inverse quadratic interpolation and secant steps, safeguarded by bisection, for a
 * continuous f with a sign change on [lo, hi]. The tolerance is relative to the root (so roots
 * near 1e-20 are found to 1e-15 relative), with an absolute floor `absTol`.
 * Example: `brentRoot((x) => x * x - 2, 0, 2)` ≈ √2.
 */
export function brentRoot(
  f: (x: number) => number,
  lo: number,
  hi: number,
  { relTol = 4e-16, absTol = 1e-300, maxIterations = 300 }: { relTol?: number; absTol?: number; maxIterations?: number } = {},
): number {
  let a = lo;
  let b = hi;
  let fa = f(a);
  let fb = f(b);
  if (fa === 0) return a;
  if (fb === 0) return b;
  if (Math.sign(fa) === Math.sign(fb)) throw new Error(`brentRoot: no sign change on [${lo}, ${hi}]`);
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let i = 0; i < maxIterations; i++) {
    if (Math.sign(fb) === Math.sign(fc)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol = 2 * relTol * Math.abs(b) + absTol;
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol || fb === 0) return b;
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      let p: number;
      let q: number;
      const s = fb / fa;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qq = fa / fc;
        const r = fb / fc;
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = d;
      }
    } else {
      d = m;
      e = d;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol;
    fb = f(b);
  }
  return b;
}

/**
 * Golden-section search for the minimum of a unimodal f on [lo, hi] (Kiefer 1953), to an
 * absolute tolerance on the argument. Example: `goldenMin((x) => (x - 0.3) ** 2, 0, 1)` ≈ 0.3.
 */
export function goldenMin(f: (x: number) => number, lo: number, hi: number, tol = 1e-12): number {
  const invPhi = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  let c = b - invPhi * (b - a);
  let d = a + invPhi * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > tol) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - invPhi * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + invPhi * (b - a);
      fd = f(d);
    }
  }
  const mid = 0.5 * (a + b);
  // The ends of the search interval are candidates too (the minimum may sit on the boundary).
  const candidates = [lo, mid, hi];
  let best = mid;
  let fBest = f(mid);
  for (const x of candidates) {
    const fx = f(x);
    if (fx < fBest) {
      best = x;
      fBest = fx;
    }
  }
  return best;
}
