import { describe, expect, it } from 'vitest';
import { ensembleScores, scoresFromLogits, scoresFromProbabilities } from './index.js';

describe('scores', () => {
  it('computes msp, entropy, margin and energy of worked rows', () => {
    const s = scoresFromProbabilities({ data: [0.7, 0.2, 0.1, 1 / 3, 1 / 3, 1 / 3], rows: 2, cols: 3 });
    expect(s.msp[0]).toBeCloseTo(0.3, 15);
    expect(s.margin[0]).toBeCloseTo(-0.5, 15);
    expect(s.entropy[0]).toBeCloseTo(-(0.7 * Math.log(0.7) + 0.2 * Math.log(0.2) + 0.1 * Math.log(0.1)), 15);
    expect(s.entropy[1]).toBeCloseTo(Math.log(3), 15);
    expect(Array.from(s.predicted)).toEqual([0, 0]);
    const l = scoresFromLogits({ data: [1, 2, 3], rows: 1, cols: 3 });
    expect(l.energy[0]).toBeCloseTo(-Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), 14);
    expect(l.predicted[0]).toBe(2);
  });

  it('splits an ensemble\'s entropy into expected entropy and mutual information', () => {
    // Two confident members that disagree: each entropy ≈ 0, the mean is uncertain.
    const e = ensembleScores([
      { data: [20, 0], rows: 1, cols: 2 },
      { data: [0, 20], rows: 1, cols: 2 },
    ]);
    expect(e.entropy[0]).toBeCloseTo(Math.log(2), 6);
    expect(e.expectedEntropy[0]).toBeLessThan(1e-6);
    expect(e.mutualInformation[0]).toBeCloseTo(Math.log(2), 6);
    expect(e.disagreement[0]).toBe(0.5);
    // Two members that agree: no epistemic part.
    const same = ensembleScores([
      { data: [1, 0], rows: 1, cols: 2 },
      { data: [1, 0], rows: 1, cols: 2 },
    ]);
    expect(same.mutualInformation[0]).toBeCloseTo(0, 15);
    expect(same.disagreement[0]).toBe(0);
  });
});
