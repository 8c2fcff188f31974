export { parseIdx, decodeIdx, gunzip, isGzip, DataFormatError, type IdxArray } from './idx.js';
export { datasetFromIdx, filterClasses, limit, select, shuffledOrder, fillBatch, classCounts, imageSize, type Dataset } from './dataset.js';
export { rotate, addNoise, invert, blur, uniformNoise } from './shifts.js';
