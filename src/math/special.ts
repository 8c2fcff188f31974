/**
 * Log-gamma, log-beta and the helpers that keep them accurate at extreme arguments.
 *
 * Algorithms (all evaluated in double precision, no tables copied from elsewhere):
 * - lgamma(1 + t), |t| <= 1/2: the Taylor series ln Γ(1+t) = −γt + Σ_{k≥2} (−t)^k ζ(k)/k
 *   (Abramowitz & Stegun 6.1.33), rearranged as −γt + (t − ln(1+t)) + Σ_{k≥2} (−t)^k (ζ(k)−1)/k
 *   so that the terms fall like (t/2)^k. ζ(k) − 1 is computed once by Euler–Maclaurin summation.
 *   This keeps full *relative* accuracy next to the zeros of ln Γ at 1 and 2.
 * - x >= 8: Stirling's series ln Γ(x) = (x−½)ln x − x + ½ln 2π + Δ(x), with the correction
 *   Δ(x) = Σ B_{2k} / (2k(2k−1) x^{2k−1}) (A&S 6.1.41), ten terms.
 * - 2.5 <= x < 8: the recurrence Γ(x) = (x−1)Γ(x−1) down into [1.5, 2.5).
 * - ln B(a, b): as in DiDonato & Morris, "Algorithm 708: Significant digit computation of the
 *   incomplete beta function ratios", ACM TOMS 18 (1992) — for large arguments the Stirling parts
 *   are combined analytically (no difference of two huge ln Γ values) and the corrections
 *   Δ(a) + Δ(b) − Δ(a+b) are added separately; for one small argument `lgammaRatio` gives
 *   ln Γ(b) − ln Γ(a+b) without cancellation.
 */

export const EULER_GAMMA = 0.5772156649015329;
/** ½ ln(2π). */
export const LN_SQRT_2PI = 0.9189385332046728;

// Even Bernoulli numbers B2 .. B20 as exact fractions.
const BERNOULLI: ReadonlyArray<readonly [number, number]> = [
  [1, 6], [-1, 30], [1, 42], [-1, 30], [5, 66], [-691, 2730], [7, 6], [-3617, 510], [43867, 798], [-174611, 330],
];

const ZETA_TERMS = 60;
/** ZETA_MINUS_ONE[k] = ζ(k) − 1 for k = 2 .. ZETA_TERMS. */
const ZETA_MINUS_ONE: Float64Array = computeZetaMinusOne(ZETA_TERMS);

function computeZetaMinusOne(kMax: number): Float64Array {
  // Euler–Maclaurin: ζ(s) − 1 = Σ_{n=2}^{N−1} n^−s + N^{1−s}/(s−1) + N^−s/2
  //                             + Σ_j B_{2j}/(2j)! · s(s+1)…(s+2j−2) · N^{−s−2j+1}.
  const N = 12;
  const out = new Float64Array(kMax + 1);
  for (let s = 2; s <= kMax; s++) {
    let tail = N ** (1 - s) / (s - 1) + 0.5 * N ** -s;
    let rising = s; // s(s+1)…(s+2j−2)
    let factorial = 2; // (2j)!
    for (let j = 1; j <= BERNOULLI.length; j++) {
      const [num, den] = BERNOULLI[j - 1]!;
      tail += (num / den / factorial) * rising * N ** (-s - 2 * j + 1);
      rising *= (s + 2 * j - 1) * (s + 2 * j);
      factorial *= (2 * j + 1) * (2 * j + 2);
    }
    let sum = 0;
    for (let n = N - 1; n >= 2; n--) sum += n ** -s; // smallest terms first
    out[s] = sum + tail;
  }
  return out;
}

/** ln Γ(1 + t) for |t| <= 1/2, to full relative accuracy (even where it is near 0). */
export function lgamma1p(t: number): number {
  let sum = 0;
  let power = t * t; // (−t)^k with k = 2
  for (let k = 2; k <= ZETA_TERMS; k++) {
    const term = (power * ZETA_MINUS_ONE[k]!) / k;
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
    power *= -t;
  }
  return -EULER_GAMMA * t + (t - Math.log1p(t)) + sum;
}

/**
 * Stirling's correction Δ(x) = ln Γ(x) − [(x−½)ln x − x + ½ln 2π], for x >= 8.
 * Example: `stirlingCorrection(10)` ≈ 0.008330563433362871.
 */
export function stirlingCorrection(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  let sum = 0;
  let power = r;
  for (let k = 1; k <= BERNOULLI.length; k++) {
    const [num, den] = BERNOULLI[k - 1]!;
    sum += (num / den / (2 * k * (2 * k - 1))) * power;
    power *= r2;
  }
  return sum;
}

/** ln Γ(x) for x > 0. Example: `lgamma(0.5)` = ln √π ≈ 0.5723649429247001. */
export function lgamma(x: number): number {
  if (!(x > 0)) return x === 0 ? Infinity : NaN;
  if (x === Infinity) return Infinity;
  if (x < 0.5) return lgamma1p(x) - Math.log(x);
  if (x < 1.5) return lgamma1p(x - 1);
  if (x < 2.5) return Math.log1p(x - 2) + lgamma1p(x - 2);
  if (x < 8) {
    let product = 1;
    let z = x;
    while (z >= 2.5) {
      z -= 1;
      product *= z;
    }
    return Math.log(product) + Math.log1p(z - 2) + lgamma1p(z - 2);
  }
  return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + stirlingCorrection(x);
}

/**
 * rlog1(x) = x − ln(1 + x), accurate for small |x| (where it is ≈ x²/2).
 * Uses ln(1+x) = 2 atanh(r), r = x/(2+x), so x − ln(1+x) = r·x − 2(r³/3 + r⁵/5 + …).
 */
export function rlog1(x: number): number {
  if (x < -0.5 || x > 0.5) return x - Math.log1p(x);
  const r = x / (2 + x);
  const r2 = r * r;
  let power = r * r2;
  let series = 0;
  for (let k = 3; k < 80; k += 2) {
    const term = power / k;
    series += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(series)) break;
    power *= r2;
  }
  return r * x - 2 * series;
}

/** Δ(a) + Δ(b) − Δ(a+b) for a, b >= 8 (the Stirling corrections of ln B). */
export function betaCorrection(a: number, b: number): number {
  return stirlingCorrection(a) + stirlingCorrection(b) - stirlingCorrection(a + b);
}

/**
 * ln Γ(b) − ln Γ(a + b) for b >= 8, without cancellation when b is huge and a is small:
 * = −a ln b − (a−½) ln(1 + a/b) + b·rlog1(a/b) + Δ(b) − Δ(a+b).
 */
export function lgammaRatio(a: number, b: number): number {
  const h = a / b;
  const lnb = Math.log(b);
  return -a * lnb - (a - 0.5) * Math.log1p(h) + b * rlog1(h) + stirlingCorrection(b) - stirlingCorrection(a + b);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a+b) for a, b > 0. Example: `lbeta(2, 3)` = ln(1/12). */
export function lbeta(a: number, b: number): number {
  if (!(a > 0 && b > 0)) return NaN;
  const a0 = Math.min(a, b);
  const b0 = Math.max(a, b);
  if (b0 < 8) return lgamma(a0) + lgamma(b0) - lgamma(a0 + b0);
  if (a0 < 8) return lgamma(a0) + lgammaRatio(a0, b0);
  // Both >= 8: with s = a+b, ln B = (a−½)ln(a/s) + (b−½)ln(b/s) − ½ln s + ½ln 2π + corrections.
  const h = a0 / b0;
  const lnA = -Math.log1p(b0 / a0); // ln(a0/s)
  const lnB = -Math.log1p(h); // ln(b0/s)
  const s = a0 + b0;
  return (a0 - 0.5) * lnA + (b0 - 0.5) * lnB - 0.5 * Math.log(s) + LN_SQRT_2PI + betaCorrection(a0, b0);
}

/** ln C(n, k), the log binomial coefficient, for 0 <= k <= n. */
export function lchoose(n: number, k: number): number {
  if (k < 0 || k > n) return -Infinity;
  if (k === 0 || k === n) return 0;
  return -Math.log(n + 1) - lbeta(n - k + 1, k + 1);
}
