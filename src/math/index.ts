export { lgamma, lgamma1p, lbeta, lchoose, rlog1, stirlingCorrection, EULER_GAMMA, LN_SQRT_2PI } from './special.js';
export { betaTails, betaInc, betaIncComplement, betaIncInv, betaLogPdf, lbetaDifference, logPowerTerms, type Tails } from './incbeta.js';
export { Random } from './random.js';
export { brentRoot, goldenMin } from './roots.js';
