/**
 * OOD detection metrics for any uncertainty score (higher = more likely out of distribution):
 * - AUROC: the probability that a random OOD input scores higher than a random in-distribution
 *   one, ties counting ½ — the Mann–Whitney U statistic divided by n_in·n_out, from average ranks.
 * - AUPR: average precision (the step-wise area under precision–recall, as scikit-learn's
 *   average_precision_score), with the OOD inputs as positives (`auprOut`) or, scoring −s, with
 *   the in-distribution inputs as positives (`auprIn`).
 * - FPR95: the fraction of OOD inputs accepted as in-distribution at the threshold that accepts
 *   95% of the in-distribution inputs (accept = score <= threshold).
 */
import { ArgumentError } from '../errors.js';

export interface OodMetrics {
  auroc: number;
  aupr_in: number;
  aupr_out: number;
  fpr95: number;
}

function finite(name: string, xs: ArrayLike<number>): Float64Array {
  if (xs.length === 0) throw new ArgumentError(name, 'no scores', 'needs at least one score');
  const out = Float64Array.from(xs as ArrayLike<number>);
  for (const x of out) if (Number.isNaN(x)) throw new ArgumentError(name, 'NaN', 'scores must be numbers');
  return out;
}

/** AUROC with ties counted ½, by the rank-sum (Mann–Whitney U) formula. */
export function auroc(scoresIn: ArrayLike<number>, scoresOut: ArrayLike<number>): number {
  const a = finite('scoresIn', scoresIn);
  const b = finite('scoresOut', scoresOut);
  const all = Array.from({ length: a.length + b.length }, (_, i) => (i < a.length ? { s: a[i]!, out: false } : { s: b[i - a.length]!, out: true }));
  all.sort((x, y) => x.s - y.s);
  let rankSumOut = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j]!.s === all[i]!.s) j++;
    const averageRank = (i + 1 + j) / 2; // ranks i+1 .. j
    for (let k = i; k < j; k++) if (all[k]!.out) rankSumOut += averageRank;
    i = j;
  }
  const u = rankSumOut - (b.length * (b.length + 1)) / 2;
  return u / (a.length * b.length);
}

/**
 * Walks the thresholds from the highest score down, one step per distinct score (ties enter
 * together), calling `visit` with the counts of positives and negatives at or above it.
 */
function sweep(positives: ArrayLike<number>, negatives: ArrayLike<number>, visit: (tp: number, fp: number) => void): void {
  const all = [...Array.from(positives, (s) => ({ s, p: true })), ...Array.from(negatives, (s) => ({ s, p: false }))].sort((x, y) => y.s - x.s);
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < all.length; ) {
    const score = all[i]!.s;
    for (; i < all.length && all[i]!.s === score; i++) {
      if (all[i]!.p) tp++;
      else fp++;
    }
    visit(tp, fp);
  }
}

/** Average precision with `positives` scoring high: Σ (Rₙ − Rₙ₋₁) Pₙ over distinct thresholds. */
export function averagePrecision(positives: ArrayLike<number>, negatives: ArrayLike<number>): number {
  const pos = finite('positives', positives);
  const neg = finite('negatives', negatives);
  let ap = 0;
  let lastRecall = 0;
  sweep(pos, neg, (tp, fp) => {
    const recall = tp / pos.length;
    ap += (recall - lastRecall) * (tp / (tp + fp));
    lastRecall = recall;
  });
  return ap;
}

/** FPR of the OOD inputs at the threshold accepting (score <= t) 95% of in-distribution inputs. */
export function fprAtTpr(scoresIn: ArrayLike<number>, scoresOut: ArrayLike<number>, tpr = 0.95): number {
  const a = finite('scoresIn', scoresIn).sort();
  const b = finite('scoresOut', scoresOut);
  // The smallest threshold that accepts at least tpr of the in-distribution scores.
  const k = Math.max(1, Math.ceil(tpr * a.length - 1e-9));
  const threshold = a[k - 1]!;
  let accepted = 0;
  for (const s of b) if (s <= threshold) accepted++;
  return accepted / b.length;
}

/** All four metrics for one score. */
export function oodMetrics(scoresIn: ArrayLike<number>, scoresOut: ArrayLike<number>): OodMetrics {
  const negIn = Array.from(scoresIn, (s) => -s);
  const negOut = Array.from(scoresOut, (s) => -s);
  return {
    auroc: auroc(scoresIn, scoresOut),
    aupr_in: averagePrecision(negIn, negOut),
    aupr_out: averagePrecision(scoresOut, scoresIn),
    fpr95: fprAtTpr(scoresIn, scoresOut),
  };
}

/** The ROC curve as points (fpr, tpr) with OOD as positive, from the highest threshold down. */
export function rocCurve(scoresIn: ArrayLike<number>, scoresOut: ArrayLike<number>, maxPoints = 200): Array<{ fpr: number; tpr: number }> {
  const P = scoresOut.length;
  const N = scoresIn.length;
  const points = [{ fpr: 0, tpr: 0 }];
  sweep(scoresOut, scoresIn, (tp, fp) => points.push({ fpr: fp / N, tpr: tp / P }));
  if (points.length <= maxPoints) return points;
  const step = (points.length - 1) / (maxPoints - 1);
  return Array.from({ length: maxPoints }, (_, i) => points[Math.round(i * step)]!);
}
