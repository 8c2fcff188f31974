/**
 * Per-input uncertainty scores from a model's outputs. Each is oriented so that a higher value
 * means "more uncertain, more likely out of distribution", which is what the OOD metrics expect:
 * - msp: 1 − max softmax probability (Hendrycks & Gimpel 2017);
 * - entropy: predictive entropy −Σ p ln p (nats);
 * - energy: −logsumexp(logits) (Liu et al. 2020: the free energy, lower for in-distribution);
 * - margin: −(p₁ − p₂), the gap between the two most probable classes, negated.
 * For an ensemble of M members with probabilities pₘ and mean p̄:
 * - total: entropy of p̄; expected: mean of the members' entropies (aleatoric);
 * - mutualInformation: total − expected, the disagreement about p (epistemic);
 * - disagreement: the fraction of members whose top class differs from p̄'s.
 */
import { ArgumentError } from '../errors.js';
import { argmaxRow } from '../train/train.js';

export type ScoreName = 'msp' | 'entropy' | 'energy' | 'margin';
export type EnsembleScoreName = ScoreName | 'mutualInformation' | 'disagreement';

/** A batch of per-class values, row-major: rows inputs × cols classes. */
export interface Matrix {
  data: ArrayLike<number>;
  rows: number;
  cols: number;
}

function check(name: string, m: Matrix): void {
  if (m.data.length !== m.rows * m.cols) throw new ArgumentError(name, `${m.data.length} values`, `must be rows × cols = ${m.rows * m.cols}`);
}

/** The softmax of each row of logits (shifted by the row maximum). */
export function softmaxRows(logits: Matrix): Float64Array {
  check('logits', logits);
  const out = new Float64Array(logits.rows * logits.cols);
  for (let r = 0; r < logits.rows; r++) {
    let max = -Infinity;
    for (let c = 0; c < logits.cols; c++) max = Math.max(max, logits.data[r * logits.cols + c]!);
    let sum = 0;
    for (let c = 0; c < logits.cols; c++) {
      const e = Math.exp(logits.data[r * logits.cols + c]! - max);
      out[r * logits.cols + c] = e;
      sum += e;
    }
    for (let c = 0; c < logits.cols; c++) out[r * logits.cols + c]! /= sum;
  }
  return out;
}

/** −Σ p ln p of one row (0 ln 0 = 0). */
function rowEntropy(p: ArrayLike<number>, offset: number, cols: number): number {
  let h = 0;
  for (let c = 0; c < cols; c++) {
    const v = p[offset + c]!;
    if (v > 0) h -= v * Math.log(v);
  }
  return h;
}


export interface Scores {
  msp: Float64Array;
  entropy: Float64Array;
  energy: Float64Array;
  margin: Float64Array;
  /** The predicted class of each input. */
  predicted: Int32Array;
  /** The max softmax probability itself (the confidence, for calibration). */
  confidence: Float64Array;
}

/** All single-model scores from logits (energy needs logits, not probabilities). */
export function scoresFromLogits(logits: Matrix): Scores {
  const p = softmaxRows(logits);
  const { rows, cols } = logits;
  const s = scoresFromProbabilities({ data: p, rows, cols });
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, logits.data[r * cols + c]!);
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += Math.exp(logits.data[r * cols + c]! - max);
    s.energy[r] = -(max + Math.log(sum));
  }
  return s;
}

/**
 * Scores from probabilities; energy is then −ln Σ exp(ln p) = 0 for every input, so it is NaN
 * here — use `scoresFromLogits` for it.
 */
export function scoresFromProbabilities(probabilities: Matrix): Scores {
  check('probabilities', probabilities);
  const { data: p, rows, cols } = probabilities;
  const s: Scores = {
    msp: new Float64Array(rows),
    entropy: new Float64Array(rows),
    energy: new Float64Array(rows).fill(NaN),
    margin: new Float64Array(rows),
    predicted: new Int32Array(rows),
    confidence: new Float64Array(rows),
  };
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let first = -Infinity;
    let second = -Infinity;
    for (let c = 0; c < cols; c++) {
      const v = p[o + c]!;
      if (v > first) {
        second = first;
        first = v;
      } else if (v > second) second = v;
    }
    s.confidence[r] = first;
    s.msp[r] = 1 - first;
    s.margin[r] = -(first - (cols > 1 ? second : 0));
    s.entropy[r] = rowEntropy(p, o, cols);
    s.predicted[r] = argmaxRow(p, o, cols);
  }
  return s;
}

export interface EnsembleScores extends Scores {
  /** The members' mean probabilities. */
  mean: Float64Array;
  /** Mean of the members' entropies (aleatoric part). */
  expectedEntropy: Float64Array;
  /** Entropy of the mean − mean entropy (epistemic part), >= 0. */
  mutualInformation: Float64Array;
  disagreement: Float64Array;
}

/** Scores of an ensemble from each member's logits (same rows and classes). */
export function ensembleScores(memberLogits: Matrix[]): EnsembleScores {
  if (memberLogits.length === 0) throw new ArgumentError('members', 0, 'must be at least 1');
  const { rows, cols } = memberLogits[0]!;
  for (const m of memberLogits) if (m.rows !== rows || m.cols !== cols) throw new ArgumentError('members', `${m.rows}×${m.cols}`, `must all be ${rows}×${cols}`);
  const probs = memberLogits.map(softmaxRows);
  const mean = new Float64Array(rows * cols);
  for (const p of probs) for (let i = 0; i < mean.length; i++) mean[i]! += p[i]! / probs.length;
  const base = scoresFromProbabilities({ data: mean, rows, cols });
  // Energy of the ensemble: −ln of the mean of exp(−energy) would mix scales; use the mean energy.
  const energies = memberLogits.map((m) => scoresFromLogits(m).energy);
  const expectedEntropy = new Float64Array(rows);
  const mutualInformation = new Float64Array(rows);
  const disagreement = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let e = 0;
    let differ = 0;
    for (const p of probs) {
      e += rowEntropy(p, r * cols, cols) / probs.length;
      if (argmaxRow(p, r * cols, cols) !== base.predicted[r]) differ++;
    }
    expectedEntropy[r] = e;
    mutualInformation[r] = Math.max(0, base.entropy[r]! - e);
    disagreement[r] = differ / probs.length;
    base.energy[r] = energies.reduce((s, en) => s + en[r]!, 0) / energies.length;
  }
  return { ...base, mean, expectedEntropy, mutualInformation, disagreement };
}
