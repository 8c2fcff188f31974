export { train, evaluate, batchLoss, predictLogits, argmaxRow, type TrainConfig, type EpochMetrics, type Evaluation, type Progress, type LossKind, type TrainResult } from './train.js';
export { encodeSafetensors, decodeSafetensors, type SafeTensor, type SafeDType } from './safetensors.js';
export { encodeModel, decodeModel, MODEL_FORMAT, type ModelMetadata } from './checkpoint.js';
