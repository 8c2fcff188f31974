/**
 * Calibration: the expected calibration error over equal-width confidence bins (Guo et al. 2017),
 * the reliability diagram's bins, and temperature scaling: one T > 0 dividing the logits, fitted by
 * minimising the NLL on held-out data (a 1-D convex problem in ln T, solved by golden section).
 */
import { ArgumentError } from '../errors.js';
import { goldenMin } from '../math/roots.js';
import type { Matrix } from './scores.js';

export interface ReliabilityBin {
  lo: number;
  hi: number;
  count: number;
  /** Mean confidence of the inputs in the bin (NaN when empty). */
  confidence: number;
  /** Fraction of them classified right (NaN when empty). */
  accuracy: number;
}

/** Bins of (0, 1] by confidence: (0, 1/B], (1/B, 2/B], …, with their accuracy. */
export function reliabilityBins(confidence: ArrayLike<number>, correct: ArrayLike<boolean | number>, bins = 15): ReliabilityBin[] {
  if (!Number.isInteger(bins) || bins < 1) throw new ArgumentError('bins', bins, 'must be a positive integer');
  if (confidence.length !== correct.length) throw new ArgumentError('correct', correct.length, `must match the ${confidence.length} confidences`);
  const out = Array.from({ length: bins }, (_, i) => ({ lo: i / bins, hi: (i + 1) / bins, count: 0, sumConf: 0, sumCorrect: 0 }));
  for (let i = 0; i < confidence.length; i++) {
    const c = confidence[i]!;
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(c * bins) - 1));
    out[b]!.count++;
    out[b]!.sumConf += c;
    out[b]!.sumCorrect += correct[i] ? 1 : 0;
  }
  return out.map((b) => ({ lo: b.lo, hi: b.hi, count: b.count, confidence: b.count ? b.sumConf / b.count : NaN, accuracy: b.count ? b.sumCorrect / b.count : NaN }));
}

/** ECE = Σ_b (n_b / n) |accuracy_b − confidence_b|. */
export function expectedCalibrationError(confidence: ArrayLike<number>, correct: ArrayLike<boolean | number>, bins = 15): number {
  const n = confidence.length;
  if (n === 0) throw new ArgumentError('confidence', 'no values', 'needs at least one prediction');
  return reliabilityBins(confidence, correct, bins).reduce((s, b) => (b.count ? s + (b.count / n) * Math.abs(b.accuracy - b.confidence) : s), 0);
}

/** Mean negative log-likelihood of the labels under softmax(logits / T). */
export function nll(logits: Matrix, labels: ArrayLike<number>, temperature = 1): number {
  const { rows, cols, data } = logits;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, data[r * cols + c]! / temperature);
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += Math.exp(data[r * cols + c]! / temperature - max);
    total += max + Math.log(sum) - data[r * cols + labels[r]!]! / temperature;
  }
  return total / rows;
}

/** The temperature T in [0.05, 20] minimising the NLL of `labels` (fitted on a held-out split). */
export function fitTemperature(logits: Matrix, labels: ArrayLike<number>): number {
  if (labels.length !== logits.rows) throw new ArgumentError('labels', labels.length, `must match the ${logits.rows} rows`);
  const lnT = goldenMin((u) => nll(logits, labels, Math.exp(u)), Math.log(0.05), Math.log(20), 1e-6);
  return Math.exp(lnT);
}
