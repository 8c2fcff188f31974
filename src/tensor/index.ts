export { Tensor, tensor, zeros, full, zerosLike, referenceBackend, getDefaultBackend, setDefaultBackend, sizeOf, type TensorOptions, type GradNode, type GradTarget, type BackwardOptions } from './tensor.js';
export { backward, noGrad, zeroGrad, isGradEnabled } from './autograd.js';
export type { Backend, DType, Storage, SparseMatrix, AsyncOptions, UnaryKernel, BinaryKernel, ReduceKernel } from './backend.js';
export { JsBackend } from './backends/js.js';
export { WasmBackend, createWasmBackend, newWasmBackend } from './backends/wasm.js';
export { startBrowserKernelThreads } from './backends/threads.js';
export * as ops from './ops/index.js';
