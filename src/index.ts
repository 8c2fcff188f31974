/** bayesprop: the library. Everything here runs in Node and in the browser. */
export * from './errors.js';
export * as math from './math/index.js';
export * from './bayes/index.js';
export * from './plot/index.js';
export * as autodiff from './autodiff/index.js';
