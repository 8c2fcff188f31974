export { Mlp, initMlp, sgdStep, type MlpShape, type InitOptions } from './mlp.js';
