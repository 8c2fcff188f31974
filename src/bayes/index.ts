export { Beta, type Interval, type BetaShape } from './beta.js';
export { BetaBinomial, validateData, type CoinData, type Shrinkage, type PseudoCounts } from './model.js';
export { mapLoss, mapLossAt, type MapLoss, type LossPoint } from './loss.js';
export { simulateAsymptotics, intervalCoverage, type AsymptoticsRow, type Coverage } from './simulate.js';
export { betaSummary, type BetaSummary } from './summary.js';
