import { describe, expect, it } from 'vitest';
import golden from './fixtures/ood-metrics.json' with { type: 'json' };
import { auroc, averagePrecision, expectedCalibrationError, fitTemperature, fprAtTpr, nll, oodMetrics, reliabilityBins, rocCurve, scoresFromLogits } from './index.js';

describe('OOD metrics against scipy and direct definitions (fixture scores with ties)', () => {
  it.each(golden.cases.map((c, i) => [i, c] as const))('case %i', (_, c) => {
    const m = oodMetrics(c.in, c.out);
    expect(m.auroc).toBeCloseTo(c.auroc, 12);
    expect(m.aupr_out).toBeCloseTo(c.aupr_out, 12);
    expect(m.aupr_in).toBeCloseTo(c.aupr_in, 12);
    expect(m.fpr95).toBeCloseTo(c.fpr95, 12);
  });
});

describe('OOD metrics by hand', () => {
  it('gives AUROC 1 for separated scores, 0.5 for identical ones, ½ per tie', () => {
    expect(auroc([1, 2, 3], [4, 5])).toBe(1);
    expect(auroc([4, 5], [1, 2, 3])).toBe(0);
    expect(auroc([1, 1], [1, 1])).toBe(0.5);
    // Pairs (in, out): (1,1) tie ½, (1,2) 1, (2,1) 0, (2,2) tie ½ → 2/4.
    expect(auroc([1, 2], [1, 2])).toBe(0.5);
    expect(auroc([0, 1], [1, 3])).toBe((0.5 + 1 + 1 + 1) / 4);
  });

  it('gives the average precision of a worked ranking', () => {
    // Ranked: P(0.9) N(0.8) P(0.7) → precision 1 at recall ½, 2/3 at recall 1 → AP = ½·1 + ½·⅔.
    expect(averagePrecision([0.9, 0.7], [0.8])).toBeCloseTo(0.5 + 1 / 3, 15);
  });

  it('finds the FPR at 95% TPR', () => {
    const inScores = Array.from({ length: 20 }, (_, i) => i); // accept 19 of 20 → threshold 18
    expect(fprAtTpr(inScores, [18, 18.5, 19, 100])).toBe(0.25);
  });

  it('draws a ROC curve from (0, 0) to (1, 1)', () => {
    const roc = rocCurve([0, 1, 2], [1.5, 3]);
    expect(roc[0]).toEqual({ fpr: 0, tpr: 0 });
    expect(roc[roc.length - 1]).toEqual({ fpr: 1, tpr: 1 });
  });

  it('rejects empty or NaN scores', () => {
    expect(() => auroc([], [1])).toThrow('scoresIn: "no scores" (needs at least one score)');
    expect(() => auroc([NaN], [1])).toThrow(/scores must be numbers/);
  });
});

describe('calibration against numpy and scipy', () => {
  const c = golden.calibration;
  const logits = { data: c.logits, rows: c.rows, cols: c.cols };
  const s = scoresFromLogits(logits);
  const correct = Array.from(s.predicted, (p, i) => p === c.labels[i]);

  it('computes the ECE over equal-width bins', () => {
    expect(expectedCalibrationError(s.confidence, correct, c.bins)).toBeCloseTo(c.ece, 12);
  });

  it('computes the NLL and fits the temperature that minimises it', () => {
    expect(nll(logits, c.labels)).toBeCloseTo(c.nll, 12);
    const T = fitTemperature(logits, c.labels);
    expect(T).toBeCloseTo(c.temperature, 4);
    expect(nll(logits, c.labels, T)).toBeCloseTo(c.nllAtTemperature, 9);
  });

  it('bins every prediction once', () => {
    const bins = reliabilityBins(s.confidence, correct, 10);
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(c.rows);
    expect(bins[9]!.hi).toBe(1);
  });
});
