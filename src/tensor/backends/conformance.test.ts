import { describe, expect, it } from 'vitest';
import { Random } from '../../math/random.js';
import type { Backend } from '../backend.js';
import { ops, tensor, type Tensor } from '../index.js';
import { JsBackend } from './js.js';
import { createWasmBackend } from './wasm.js';

const reference = new JsBackend();
const wasm = createWasmBackend();

function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return worst;
}

describe('the WebAssembly backend', () => {
  it('loads here (Node 20 has WebAssembly SIMD)', () => {
    expect(wasm).not.toBeNull();
    expect(wasm!.name).toBe('wasm');
  });

  // Shapes of the MLP and awkward ones (edges of the 4×16 tile, k not a multiple of 4).
  const SHAPES: Array<[number, number, number]> = [
    [128, 256, 784],
    [128, 10, 256],
    [784, 256, 128],
    [1, 1, 1],
    [3, 17, 5],
    [33, 45, 17],
    [4, 16, 1],
    [7, 31, 9],
  ];

  it.each(SHAPES.flatMap(([m, n, k]) => [[m, n, k, false, false], [m, n, k, true, false], [m, n, k, false, true], [m, n, k, true, true]] as const))(
    'gemm %i×%i×%i (transA %s, transB %s) matches the reference to 1e-5 of Σ|a||b|, for α, β ∈ {1, 0}, {0.5, 2}',
    (m, n, k, transA, transB) => {
      const rng = new Random(m * 1000 + n * 10 + k);
      const a = Float32Array.from({ length: m * k }, () => (rng.uniform() < 0.6 ? 0 : rng.normal()));
      const b = Float32Array.from({ length: k * n }, () => rng.normal());
      const c0 = Float32Array.from({ length: m * n }, () => rng.normal());
      // The scale of each entry: |β c| + |α| Σ_p |op(A)ᵢₚ op(B)ₚⱼ| (float32 sums in another order
      // differ by a few ulps of this, not of the possibly cancelled result).
      const absA = new Float64Array(a.map(Math.abs));
      const absB = new Float64Array(b.map(Math.abs));
      const scale = new Float64Array(m * n);
      reference.gemm(transA, transB, m, n, k, 1, absA, absB, 0, scale);
      for (const [alpha, beta] of [[1, 0], [0.5, 2]] as const) {
        const want = Float32Array.from(c0);
        const got = Float32Array.from(c0);
        reference.gemm(transA, transB, m, n, k, alpha, a, b, beta, want);
        wasm!.gemm(transA, transB, m, n, k, alpha, a, b, beta, got);
        let worst = 0;
        for (let i = 0; i < m * n; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / (Math.abs(beta * c0[i]!) + Math.abs(alpha) * scale[i]! + 1e-30));
        expect(worst).toBeLessThan(1e-5);
      }
    },
  );

  it.each([
    [128, 256, 784, false],
    [784, 256, 128, true],
    [64, 30, 100, false],
    [100, 30, 64, true],
  ] as const)('takes the sparse-input path for a mostly-zero A (%i×%i×%i, transA %s) and matches the reference', (m, n, k, transA) => {
    const rng = new Random(m + n + k);
    const a = Float32Array.from({ length: m * k }, () => (rng.uniform() < 0.85 ? 0 : rng.uniform()));
    const b = Float32Array.from({ length: k * n }, () => rng.normal());
    const c0 = Float32Array.from({ length: m * n }, () => rng.normal());
    for (const [alpha, beta] of [[1, 0], [-0.1, 1], [2, 0.5]] as const) {
      const want = Float32Array.from(c0);
      const got = Float32Array.from(c0);
      reference.gemm(transA, false, m, n, k, alpha, a, b, beta, want);
      const before = wasm!.stats.sparseCalls;
      wasm!.gemm(transA, false, m, n, k, alpha, a, b, beta, got);
      expect(wasm!.stats.sparseCalls).toBe(before + 1);
      expect(relError(got, want)).toBeLessThan(1e-5);
    }
  });

  it('runs every op like the reference backend (float32)', () => {
    const run = (backend: Backend) => {
      const rng = new Random(3);
      const t = (shape: number[]) => tensor(Array.from({ length: shape.reduce((x, y) => x * y, 1) }, () => rng.normal()), shape, { backend, requiresGrad: true });
      const x = t([16, 40]);
      const w = t([40, 20]);
      const bias = t([20]);
      const labels = Int32Array.from({ length: 16 }, (_, i) => i % 20);
      const logits = ops.add(ops.matmul(ops.tanh(x), w), bias);
      const loss = ops.add(ops.crossEntropyFromLogits(logits, labels), ops.mean(ops.sigmoid(ops.matmul(x, w, { transB: false }))));
      loss.backward();
      return [loss, w.grad!, x.grad!, bias.grad!] as Tensor[];
    };
    const want = run(reference);
    const got = run(wasm!);
    got.forEach((g, i) => expect(relError(g.data, want[i]!.data)).toBeLessThan(1e-5));
  });
});
