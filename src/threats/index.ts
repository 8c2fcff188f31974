export { attack, inputGradient, type AttackMethod, type AttackOptions } from './attacks.js';
export { attackCurve, zipCodes, predict, type AttackPoint, type AttackRun, type AttackCurveOptions, type ZipCodeResult } from './evaluate.js';
export { corrupt, CORRUPTIONS, type Corruption } from './corruptions.js';
