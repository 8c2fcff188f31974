export {
  posteriorPlotSpec,
  betaShapesSpec,
  posteriorSequenceSpec,
  sequenceSteps,
  REPRESENTATIVE_SHAPES,
  fmt,
  type VegaLiteSpec,
  type PosteriorPlotInput,
  type SequencePlotInput,
} from './beta.js';
export { renderSvg } from './render.js';
