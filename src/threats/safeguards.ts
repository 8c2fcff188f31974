/**
 * Safeguards against evasion, measured: adversarial training, abstaining when uncertain, and an
 * input check on the uncertainty score. Plain data in, plain data out.
 */
import type { Dataset } from '../data/dataset.js';
import type { Mlp } from '../nn/mlp.js';
import { train, type TrainConfig, type TrainResult } from '../train/train.js';
import { attack } from './attacks.js';

/** Fine-tunes `model` in place on ½·L(x) + ½·L(FGSM_ε(x)), the attack made against the current weights. */
export function adversarialTraining(model: Mlp, trainSet: Dataset, testSet: Dataset, config: TrainConfig, eps: number): TrainResult {
  return train(model, trainSet, testSet, config, {
    perturb: (x, rows, labels) => attack(model, Float32Array.from(x), rows, labels, { method: 'fgsm', eps }),
  });
}

/** The q-quantile of the values (linear interpolation between order statistics). */
export function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

export interface AbstentionPoint {
  /** The entropy above which the reader abstains (sends the letter to a person). */
  threshold: number;
  cleanCoverage: number;
  cleanAccuracy: number;
  attackedCoverage: number;
  /** Accuracy on the attacked inputs it did not abstain on (NaN if it abstained on all). */
  attackedAccuracy: number;
}

/**
 * Abstaining when uncertain: for each target coverage c of clean mail, the threshold is the
 * c-quantile of the clean entropies; reports coverage and accuracy on clean and attacked inputs.
 */
export function abstentionCurve(
  clean: { entropy: ArrayLike<number>; correct: ArrayLike<boolean> },
  attacked: { entropy: ArrayLike<number>; correct: ArrayLike<boolean> },
  coverages: readonly number[] = [1, 0.99, 0.95, 0.9, 0.8],
): AbstentionPoint[] {
  const stats = (e: ArrayLike<number>, ok: ArrayLike<boolean>, t: number) => {
    let kept = 0;
    let right = 0;
    for (let i = 0; i < e.length; i++) {
      if (e[i]! <= t) {
        kept++;
        if (ok[i]) right++;
      }
    }
    return { coverage: kept / e.length, accuracy: kept ? right / kept : NaN };
  };
  return coverages.map((c) => {
    const threshold = c >= 1 ? Infinity : quantile(clean.entropy, c);
    const a = stats(clean.entropy, clean.correct, threshold);
    const b = stats(attacked.entropy, attacked.correct, threshold);
    return { threshold, cleanCoverage: a.coverage, cleanAccuracy: a.accuracy, attackedCoverage: b.coverage, attackedAccuracy: b.accuracy };
  });
}

export interface InputCheck {
  threshold: number;
  /** Fraction of clean inputs (not those the threshold was set on) flagged. */
  falseAlarmRate: number;
  /** Fraction of suspect inputs flagged. */
  detectionRate: number;
}

/**
 * Flags inputs whose score exceeds the (1 − falseAlarm) quantile of scores on clean calibration
 * inputs; measures the false-alarm rate on other clean inputs and the detection rate on suspects.
 */
export function inputCheck(calibration: ArrayLike<number>, clean: ArrayLike<number>, suspect: ArrayLike<number>, falseAlarm = 0.05): InputCheck {
  const threshold = quantile(calibration, 1 - falseAlarm);
  const rate = (xs: ArrayLike<number>) => {
    let n = 0;
    for (let i = 0; i < xs.length; i++) if (xs[i]! > threshold) n++;
    return n / xs.length;
  };
  return { threshold, falseAlarmRate: rate(clean), detectionRate: rate(suspect) };
}
