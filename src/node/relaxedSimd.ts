/**
 * Node 20 compiles relaxed-SIMD WebAssembly (the FMA build of the kernels) only behind a V8 flag;
 * NODE_OPTIONS rejects it, so it is set here, before any module is compiled. Import this module
 * first in a Node entry point (the CLI, workers, benchmarks). Newer Nodes (and Chromium) have
 * relaxed SIMD on by default; the backend still falls back to plain SIMD where it is missing.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--experimental-wasm-relaxed-simd');
