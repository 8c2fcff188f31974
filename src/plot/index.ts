export {
  posteriorPlotSpec,
  betaShapesSpec,
  posteriorSequenceSpec,
  sequenceSteps,
  asymptoticsSpec,
  type AsymptoticsPlotInput,
  REPRESENTATIVE_SHAPES,
  fmt,
  type VegaLiteSpec,
  type PosteriorPlotInput,
  type SequencePlotInput,
} from './beta.js';
export { renderSvg } from './render.js';
export { renderDot } from './graphviz.js';
export { curvesSpec, confusionSpec, type CurvePoint } from './training.js';
export { scoreHistogramSpec, rocSpec, reliabilitySpec } from './ood.js';
export { imageGridSvg, type Tile } from './images.js';
export { encodeGreyPng } from './png.js';
export { linesSpec, attackCurveSpec } from './threats.js';
