/**
 * A seeded pseudo-random generator: xoshiro128** 1.0 (Blackman & Vigna, "Scrambled linear
 * pseudorandom number generators", ACM TOMS 47, 2021), a 128-bit-state generator with 32-bit
 * output and period 2^128 − 1, using only 32-bit integer arithmetic (fast in JavaScript).
 * The seed, any safe integer, is expanded into the state with SplitMix64 (Steele, Lea & Flood
 * 2014), as the xoshiro authors recommend. Same seed, same stream, on every platform.
 *
 * Draws:
 * - uniform: 53 random bits from two outputs, in [0, 1);
 * - normal: Marsaglia's polar method (Marsaglia & Bray 1964), the spare value kept in the state;
 * - gamma: Marsaglia & Tsang (2000), with ln G(a) = ln G(a+1) + ln(U)/a for a < 1, kept in log
 *   space so that tiny shapes (a = 1e-3) do not underflow to 0;
 * - beta: X/(X+Y) of two gammas, formed in log space;
 * - binomial: Knuth's recursive beta splitting (TAOCP vol. 2, 3.4.1, exercise 27): an order
 *   statistic X ~ Beta(a, n+1−a) splits the problem in two until n is small, then Bernoulli
 *   counting. Exact for every n and p, O(log n) beta draws.
 *
 * Example: `const rng = new Random(42); rng.uniform(); rng.binomial(10, 0.3);`
 */
import { ArgumentError } from '../errors.js';

const MASK64 = (1n << 64n) - 1n;

function splitMix64(state: bigint): [bigint, bigint] {
  const next = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return [next, z ^ (z >> 31n)];
}

export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | undefined;
  readonly seed: number;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new ArgumentError('seed', seed, 'must be a safe integer');
    this.seed = seed;
    let state = BigInt.asUintN(64, BigInt(seed));
    let w1: bigint;
    let w2: bigint;
    [state, w1] = splitMix64(state);
    [state, w2] = splitMix64(state);
    this.s0 = Number(w1 & 0xffffffffn) | 0;
    this.s1 = Number(w1 >> 32n) | 0;
    this.s2 = Number(w2 & 0xffffffffn) | 0;
    this.s3 = Number(w2 >> 32n) | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
    this.spareNormal = undefined;
  }

  /** The next 32-bit output, as an unsigned integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /** A uniform draw in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform draw in (0, 1): never 0, so its logarithm is finite. */
  uniformPositive(): number {
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    return u;
  }

  /** A uniform integer in {0, …, n−1}, without modulo bias. */
  integer(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0) throw new ArgumentError('n', n, 'must be a positive integer');
    return Math.floor(this.uniform() * n);
  }

  /** A standard normal draw (mean 0, variance 1). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return z;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * factor;
    return u * factor;
  }

  /** ln of a Gamma(shape, 1) draw; finite even when the draw itself would underflow. */
  logGamma(shape: number): number {
    if (!(shape > 0) || !Number.isFinite(shape)) throw new ArgumentError('shape', shape, 'must be a finite number > 0');
    if (shape < 1) return this.logGamma(shape + 1) + Math.log(this.uniformPositive()) / shape;
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniformPositive();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return Math.log(d) + Math.log(v);
      }
    }
  }

  /** A Gamma(shape, 1) draw. */
  gamma(shape: number): number {
    return Math.exp(this.logGamma(shape));
  }

  /** A Beta(alpha, beta) draw. */
  beta(alpha: number, beta: number): number {
    const lx = this.logGamma(alpha);
    const ly = this.logGamma(beta);
    // X/(X+Y) = 1/(1 + e^{ly−lx}), formed without overflow.
    return 1 / (1 + Math.exp(ly - lx));
  }

  /** A Binomial(n, p) draw: the number of successes in n trials of probability p. */
  binomial(n: number, p: number): number {
    if (!Number.isSafeInteger(n) || n < 0) throw new ArgumentError('n', n, 'must be a non-negative integer');
    if (!(p >= 0 && p <= 1)) throw new ArgumentError('p', p, 'must be a number in [0, 1]');
    let count = 0;
    let trials = n;
    let prob = p;
    while (trials > 48 && prob > 0 && prob < 1) {
      const a = 1 + Math.floor(trials / 2);
      const b = trials + 1 - a;
      const x = this.beta(a, b); // the a-th smallest of `trials` uniforms
      if (x >= prob) {
        trials = a - 1;
        prob = prob / x;
      } else {
        count += a;
        trials = b - 1;
        prob = (prob - x) / (1 - x);
      }
    }
    if (prob >= 1) return count + trials;
    for (let i = 0; i < trials; i++) if (this.uniform() < prob) count++;
    return count;
  }

  /** Shuffles `array` in place (Fisher–Yates) and returns it. */
  shuffle<T>(array: T[]): T[] {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.integer(i + 1);
      const tmp = array[i]!;
      array[i] = array[j]!;
      array[j] = tmp;
    }
    return array;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
