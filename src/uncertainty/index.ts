export { scoresFromLogits, scoresFromProbabilities, ensembleScores, softmaxRows, type Scores, type EnsembleScores, type ScoreName, type EnsembleScoreName, type Matrix } from './scores.js';
export { auroc, averagePrecision, fprAtTpr, oodMetrics, rocCurve, type OodMetrics } from './metrics.js';
export { reliabilityBins, expectedCalibrationError, nll, fitTemperature, type ReliabilityBin } from './calibration.js';
export { parseOodSpec, labelsMeaningful, type OodSpec } from './spec.js';
export { analyzeOod, rocCurves, topIndices, SCORE_NAMES, type OodReport, type OodSetResult, type OodSetInput, type OodDetails } from './analyze.js';
