/**
 * The MAP estimate as the minimiser of a regularised loss (ASSIGNMENT §1):
 *   ℓ(θ) = (y − Nθ)²/(2N) + g(θ),  g(θ) = −aθ + bθ²,  a = α − 1,  b = (α + β − 2)/2.
 * Setting ℓ'(θ) = −(y − Nθ) − a + 2bθ = 0 gives θ = (y + α − 1)/(N + α + β − 2), the posterior
 * mode. The data term alone is minimised by the MLE y/N; g pulls θ toward the prior mode
 * (α−1)/(α+β−2). With N = 0 the data term is taken as 0.
 * Example: `mapLoss(2, 2, 7, 10).argmin` ≈ 8/12.
 */
import { brentRoot, goldenMin } from '../math/roots.js';
import { Beta } from './beta.js';
import { validateData } from './model.js';

export interface LossPoint {
  theta: number;
  dataTerm: number;
  regulariser: number;
  loss: number;
}

export interface MapLoss {
  /** a = α − 1 in g(θ) = −aθ + bθ². */
  a: number;
  /** b = (α + β − 2)/2 in g(θ) = −aθ + bθ². */
  b: number;
  formula: string;
  /** ℓ and its parts on an even grid over [0, 1]. */
  grid: LossPoint[];
  /** The minimiser of ℓ over [0, 1], found numerically (golden-section search). */
  argmin: number;
  /** The posterior mode, or null where it does not exist. */
  map: number | null;
  /** The MLE y/N, or null when N = 0. */
  mle: number | null;
  /** Whether the numerical argmin equals the MAP to 1e-9. */
  agrees: boolean;
}

/** ℓ(θ) and its parts. */
export function mapLossAt(alpha: number, beta: number, heads: number, trials: number, theta: number): LossPoint {
  const a = alpha - 1;
  const b = (alpha + beta - 2) / 2;
  const dataTerm = trials === 0 ? 0 : (heads - trials * theta) ** 2 / (2 * trials);
  const regulariser = -a * theta + b * theta * theta;
  return { theta, dataTerm, regulariser, loss: dataTerm + regulariser };
}

export function mapLoss(alpha: number, beta: number, heads: number, trials: number, gridSize = 101): MapLoss {
  validateData(heads, trials);
  const posterior = new Beta(alpha + heads, beta + trials - heads);
  const loss = (theta: number) => mapLossAt(alpha, beta, heads, trials, theta).loss;
  const curvature = trials + alpha + beta - 2; // ℓ'' · 1 (times N/N): convex iff > 0
  let argmin: number;
  if (curvature > 0) argmin = refineMinimum(loss, goldenMin(loss, 0, 1, 1e-10));
  else argmin = loss(0) <= loss(1) ? 0 : 1; // concave or linear: the minimum is at an end
  const grid: LossPoint[] = [];
  for (let i = 0; i < gridSize; i++) grid.push(mapLossAt(alpha, beta, heads, trials, i / (gridSize - 1)));
  const map = posterior.mode;
  return {
    a: alpha - 1,
    b: (alpha + beta - 2) / 2,
    formula: 'l(theta) = (y - N theta)^2 / (2N) - a theta + b theta^2',
    grid,
    argmin,
    map,
    mle: trials === 0 ? null : heads / trials,
    agrees: map !== null && Math.abs(argmin - map) <= 1e-9,
  };
}

/**
 * A golden-section minimum is only good to ~√ε (the loss is flat there); polish it with a root
 * of the central-difference derivative, which for a smooth loss is accurate to ~ε/h.
 */
function refineMinimum(loss: (theta: number) => number, start: number): number {
  const h = 1e-4;
  const slope = (t: number) => (loss(t + h) - loss(t - h)) / (2 * h);
  const lo = Math.max(0, start - 1e-6);
  const hi = Math.min(1, start + 1e-6);
  if (lo === 0 || hi === 1 || Math.sign(slope(lo)) === Math.sign(slope(hi))) return start;
  return brentRoot(slope, lo, hi, { relTol: 1e-15 });
}
