/**
 * The OOD analysis of one model: in-distribution accuracy and calibration, and for every OOD set
 * its accuracy (where its labels mean the model's classes), its mean entropy, what it is
 * predicted as, and each score's AUROC, AUPR and FPR95. Returns plain data, plus the per-input
 * scores for plots and image grids.
 */
import type { Dataset } from '../data/dataset.js';
import type { Mlp } from '../nn/mlp.js';
import { predictLogits } from '../train/train.js';
import { expectedCalibrationError, fitTemperature, reliabilityBins, type ReliabilityBin } from './calibration.js';
import { oodMetrics, rocCurve, type OodMetrics } from './metrics.js';
import { scoresFromLogits, type ScoreName, type Scores } from './scores.js';

export const SCORE_NAMES: readonly ScoreName[] = ['msp', 'entropy', 'energy', 'margin'];

export interface OodSetInput {
  spec: string;
  dataset: Dataset;
  /** Whether the set's labels are the model's classes (accuracy is null otherwise). */
  labelsMeaningful: boolean;
}

export interface OodSetResult {
  spec: string;
  name: string;
  count: number;
  accuracy: number | null;
  meanEntropy: number;
  /** How many of the set's inputs each class was predicted as. */
  predictedAs: number[];
  scores: Record<ScoreName, OodMetrics>;
}

export interface OodReport {
  in: { name: string; count: number };
  inAccuracy: number;
  meanEntropyIn: number;
  ece: number;
  reliability: ReliabilityBin[];
  /**
   * Temperature scaling: T fitted (minimum NLL) on the first half of the in-distribution test set,
   * the ECE of the second half before and after dividing the logits by T.
   */
  temperatureScaling: { temperature: number; eceBefore: number; eceAfter: number; fittedOn: number; evaluatedOn: number } | null;
  out: OodSetResult[];
}

export interface OodDetails {
  inScores: Scores;
  inLabels: Uint8Array;
  outScores: Scores[];
}

function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

function accuracyOf(s: Scores, labels: Uint8Array): number {
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (s.predicted[i] === labels[i]) right++;
  return right / labels.length;
}

export function analyzeOod(model: Mlp, inSet: Dataset, outSets: readonly OodSetInput[], { bins = 15 } = {}): { report: OodReport; details: OodDetails } {
  const classes = model.shape.outputs;
  const inLogits = predictLogits(model, inSet);
  const inScores = scoresFromLogits({ data: inLogits, rows: inSet.count, cols: classes });
  const correct = Array.from(inScores.predicted, (p, i) => p === inSet.labels[i]);
  const outScores: Scores[] = [];
  const out = outSets.map((o) => {
    const s = scoresFromLogits({ data: predictLogits(model, o.dataset), rows: o.dataset.count, cols: classes });
    outScores.push(s);
    const predictedAs = new Array<number>(classes).fill(0);
    for (const p of s.predicted) predictedAs[p]!++;
    const scores = Object.fromEntries(SCORE_NAMES.map((n) => [n, oodMetrics(inScores[n], s[n])])) as Record<ScoreName, OodMetrics>;
    return {
      spec: o.spec,
      name: o.dataset.name,
      count: o.dataset.count,
      accuracy: o.labelsMeaningful ? accuracyOf(s, o.dataset.labels) : null,
      meanEntropy: mean(s.entropy),
      predictedAs,
      scores,
    };
  });
  const report: OodReport = {
    in: { name: inSet.name, count: inSet.count },
    inAccuracy: accuracyOf(inScores, inSet.labels),
    meanEntropyIn: mean(inScores.entropy),
    ece: expectedCalibrationError(inScores.confidence, correct, bins),
    reliability: reliabilityBins(inScores.confidence, correct, bins),
    temperatureScaling: temperatureScaling(inLogits, inSet.labels, classes, bins),
    out,
  };
  return { report, details: { inScores, inLabels: inSet.labels, outScores } };
}

/** ROC points of every score for one OOD set. */
export function rocCurves(details: OodDetails, k: number): Array<{ score: ScoreName; points: Array<{ fpr: number; tpr: number }> }> {
  return SCORE_NAMES.map((score) => ({ score, points: rocCurve(details.inScores[score], details.outScores[k]![score]) }));
}

/** Indices of the n largest (or smallest) values. */
export function topIndices(values: ArrayLike<number>, n: number, largest = true): number[] {
  const idx = Array.from({ length: values.length }, (_, i) => i);
  idx.sort((a, b) => (largest ? values[b]! - values[a]! : values[a]! - values[b]!));
  return idx.slice(0, n);
}

function temperatureScaling(logits: Float32Array, labels: Uint8Array, classes: number, bins: number): OodReport['temperatureScaling'] {
  const n = labels.length;
  const half = Math.floor(n / 2);
  if (half < 10) return null;
  const fit = { data: logits.subarray(0, half * classes), rows: half, cols: classes };
  const temperature = fitTemperature(fit, labels.subarray(0, half));
  const rest = logits.subarray(half * classes);
  const restLabels = labels.subarray(half);
  const ece = (t: number) => {
    const scaled = Float64Array.from(rest, (v) => v / t);
    const s = scoresFromLogits({ data: scaled, rows: n - half, cols: classes });
    return expectedCalibrationError(s.confidence, Array.from(s.predicted, (p, i) => p === restLabels[i]), bins);
  };
  return { temperature, eceBefore: ece(1), eceAfter: ece(temperature), fittedOn: half, evaluatedOn: n - half };
}
