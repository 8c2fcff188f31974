export { attack, inputGradient, type AttackMethod, type AttackOptions } from './attacks.js';
export { attackCurve, zipCodes, predict, logitsOf, accuracyOf, type AttackPoint, type AttackRun, type AttackCurveOptions, type ZipCodeResult } from './evaluate.js';
export { corrupt, CORRUPTIONS, type Corruption } from './corruptions.js';
export { poisonWithPatch, flipLabels, triggeredTestSet, hiddenRepresentations, spectralSignatures, TRIGGER_SIZE, type Poisoned, type SpectralResult } from './poison.js';
export { adversarialTraining, abstentionCurve, inputCheck, quantile, type AbstentionPoint, type InputCheck } from './safeguards.js';
