// The backend conformance suite: every kernel of the Backend interface, run on the reference
// backend and on each build of the WebAssembly backend (plain SIMD, relaxed-SIMD FMA, two
// threads), with operands in the wasm memory and staged from plain arrays; results must match the
// reference to 1e-5 relative. Then the memory scopes, and whole ops with autograd.
import '../../node/relaxedSimd.js';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../math/random.js';
import { startKernelThreads } from '../../node/kernelThreads.js';
import type { Backend, BinaryKernel, Storage, UnaryKernel } from '../backend.js';
import { ops, tensor, type Tensor } from '../index.js';
import { JsBackend } from './js.js';
import { createWasmBackend, newWasmBackend, type WasmBackend } from './wasm.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const reference = new JsBackend();
const plain = newWasmBackend({ relaxed: false })!;
const relaxed = newWasmBackend({ relaxed: true })!;
const threaded = newWasmBackend()!;
let stopThreads: () => Promise<void> = async () => {};
beforeAll(async () => {
  stopThreads = await startKernelThreads(threaded, 2);
});
afterAll(async () => {
  await stopThreads();
});

const WASM: Array<[string, () => WasmBackend]> = [
  ['plain SIMD', () => plain],
  ['relaxed SIMD', () => relaxed],
  ['2 threads', () => threaded],
];

function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i] || (Number.isNaN(a[i]!) && Number.isNaN(b[i]!))) continue;
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  }
  return Number.isNaN(worst) ? Infinity : worst;
}

/** α, β pairs for the GEMM cases: overwrite, accumulate, and both scaled. */
const SCALINGS = [
  [1, 0],
  [-0.1, 1],
  [2, 0.5],
] as const;

/**
 * The worst |got − want| of a product, relative to each entry's scale |β·c0| + |α|·Σ_p |a b|
 * (float32 sums in another order differ by a few ulps of that, not of a cancelled result).
 */
function scaledError(got: ArrayLike<number>, want: ArrayLike<number>, c0: ArrayLike<number>, sums: ArrayLike<number>, alpha: number, beta: number): number {
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / (Math.abs(beta * c0[i]!) + Math.abs(alpha) * sums[i]! + 1e-30));
  return worst;
}

/** Operands for a kernel: in the backend's memory (alloc) or plain arrays that must be staged. */
type Place = 'resident' | 'staged';
function arr(backend: Backend, place: Place, values: ArrayLike<number>): Float32Array {
  const out = place === 'resident' ? (backend.alloc(values.length, 'float32') as Float32Array) : new Float32Array(values.length);
  out.set(values);
  return out;
}

const rng = new Random(11);
const normals = (n: number, zeros = 0) => Float32Array.from({ length: n }, () => (rng.uniform() < zeros ? 0 : rng.normal()));

/** A kernel case: runs on a backend and returns every array it wrote. */
interface KernelCase {
  name: string;
  run(b: Backend, place: Place): ArrayLike<number>[];
}

const X = normals(6 * 10);
const Y = normals(6 * 10);
const POS = Float32Array.from(X, (v) => Math.abs(v) + 0.1);
const ROW = normals(10);
const COL = normals(6);
const LABELS = Int32Array.from({ length: 6 }, (_, i) => (i * 7) % 10);
const UNARY: UnaryKernel[] = ['copy', 'neg', 'exp', 'log', 'relu', 'step', 'sigmoid', 'tanh', 'reciprocal', 'square'];
const BINARY: BinaryKernel[] = ['add', 'sub', 'mul', 'div', 'eq'];

const CASES: KernelCase[] = [
  ...UNARY.map((op) => ({
    name: `unary ${op}`,
    run: (b: Backend, p: Place) => {
      const x = arr(b, p, op === 'log' ? POS : Float32Array.from(X, (v, i) => (i % 13 === 0 ? 0 : v)));
      const out = arr(b, p, new Float32Array(x.length));
      b.unary(op, x, out);
      return [out];
    },
  })),
  ...BINARY.flatMap((op) => [
    // [shape, a's shape strides, b's strides]: elementwise, bias row, column, scalar, both broadcast.
    ['same shape', [6, 10], [10, 1], X, [10, 1], Y],
    ['row broadcast (bias)', [6, 10], [10, 1], X, [0, 1], ROW],
    ['column broadcast', [6, 10], [10, 1], X, [1, 0], COL],
    ['scalar b', [6, 10], [10, 1], X, [0, 0], Float32Array.of(0.5)],
    ['scalar a', [6, 10], [0, 0], Float32Array.of(-2), [10, 1], Y],
    ['outer (both broadcast)', [6, 10], [1, 0], COL, [0, 1], ROW],
    ['rank 3', [2, 3, 10], [30, 10, 1], X, [0, 0, 1], ROW],
    ['rank 5 that merges to rank 2', [2, 1, 3, 2, 5], [30, 30, 10, 5, 1], X, [0, 0, 0, 5, 1], ROW],
    ['rank 6 that does not merge (reference fallback)', [2, 2, 2, 2, 2, 2], [32, 16, 8, 4, 2, 1], normals(64), [0, 4, 0, 2, 0, 1], normals(8)],
  ].map(([what, shape, as, a, bs, bv]) => ({
    name: `binary ${op}, ${what as string}`,
    run: (b: Backend, p: Place) => {
      const out = arr(b, p, new Float32Array((shape as number[]).reduce((x, y) => x * y, 1)));
      const bVals = op === 'div' ? Float32Array.from(bv as Float32Array, (v) => Math.abs(v) + 0.5) : op === 'eq' ? Float32Array.from(bv as Float32Array, (v, i) => (i % 2 === 0 ? (a as Float32Array)[i % (a as Float32Array).length]! : v)) : (bv as Float32Array);
      b.binary(op, arr(b, p, a as Float32Array), as as number[], arr(b, p, bVals), bs as number[], out, shape as number[]);
      return [out];
    },
  }))),
  {
    name: 'scale (and in place)',
    run: (b, p) => {
      const x = arr(b, p, X);
      const out = arr(b, p, new Float32Array(X.length));
      b.scale(x, -1.5, out);
      b.scale(x, 0.25, x);
      return [out, x];
    },
  },
  {
    name: 'axpy',
    run: (b, p) => {
      const y = arr(b, p, Y);
      b.axpy(-0.3, arr(b, p, X), y);
      return [y];
    },
  },
  ...([
    [1, 60, 1],
    [6, 10, 1],
    [1, 6, 10],
    [2, 3, 10],
    [3, 4, 5],
  ] as const).flatMap(([outer, n, inner]) =>
    (['sum', 'max'] as const).map((op) => ({
      name: `reduce ${op} [${outer}, ${n}, ${inner}]`,
      run: (b: Backend, p: Place) => {
        const x = Float32Array.from(X);
        if (op === 'max') x[7] = NaN; // NaN wins a max, as in the reference
        const out = arr(b, p, new Float32Array(outer * inner));
        b.reduce(op, arr(b, p, x), outer, n, inner, out);
        return [out];
      },
    })),
  ),
  {
    name: 'gather and scatterAdd',
    run: (b, p) => {
      const g = arr(b, p, new Float32Array(6));
      b.gather(arr(b, p, X), 6, 10, LABELS, g);
      const out = arr(b, p, Y);
      b.scatterAdd(g, 6, 10, LABELS, out);
      return [g, out];
    },
  },
  ...([
    [6, 10],
    [17, 9],
    [1, 5],
  ] as const).map(([rows, cols]) => ({
    name: `transpose ${rows}×${cols}`,
    x: normals(rows * cols),
    run(this: { x: Float32Array }, b: Backend, p: Place) {
      const x = this.x;
      const out = arr(b, p, new Float32Array(rows * cols));
      b.transpose(arr(b, p, x), rows, cols, out);
      return [out];
    },
  })),
  {
    name: 'clamp with and without mask',
    run: (b, p) => {
      const out = arr(b, p, new Float32Array(X.length));
      const mask = arr(b, p, new Float32Array(X.length));
      b.clamp(arr(b, p, X), -0.5, 0.7, out, mask);
      const out2 = arr(b, p, new Float32Array(X.length));
      b.clamp(arr(b, p, X), 0, 1, out2);
      return [out, mask, out2];
    },
  },
  {
    name: 'fill',
    run: (b, p) => {
      const out = arr(b, p, X);
      b.fill(out, 0.125);
      return [out];
    },
  },
  {
    name: 'fromBytes (rounded once, as a float64 product stored to float32)',
    run: (b, p) => {
      const bytes = Uint8Array.from({ length: 789 }, (_, i) => (i * 37) % 256);
      const out = arr(b, p, new Float32Array(789));
      b.fromBytes(bytes, 1 / 255, out);
      return [out];
    },
  },
  {
    name: 'biasRelu and reluBackward',
    run: (b, p) => {
      const out = arr(b, p, new Float32Array(X.length));
      b.biasRelu(arr(b, p, X), arr(b, p, ROW), 6, 10, out);
      const dz = arr(b, p, new Float32Array(X.length));
      b.reluBackward(arr(b, p, Y), out, dz);
      return [out, dz];
    },
  },
  ...[0, 1e-12, 0.1].map((epsilon) => ({
    name: `softmaxCrossEntropy forward and backward (ε = ${epsilon})`,
    run: (b: Backend, p: Place) => {
      const probs = arr(b, p, new Float32Array(X.length));
      const losses = arr(b, p, new Float32Array(6));
      b.softmaxCrossEntropy(arr(b, p, Float32Array.from(X, (v) => 3 * v)), 6, 10, LABELS, epsilon, probs, losses);
      const dz = arr(b, p, new Float32Array(X.length));
      b.softmaxCrossEntropyBackward(probs, 6, 10, LABELS, epsilon, 0.7, dz);
      return [probs, losses, dz];
    },
  })),
  {
    // 7 rows of 13 (the vector exp's tail lanes), logits spread over [−150, 30]: probabilities down
    // to e^−180 (past f32's subnormals) and rows with NaN, +∞ and −∞.
    name: 'softmaxCrossEntropy over wide logits, NaN and infinities',
    run: (b: Backend, p: Place) => {
      const z = Float32Array.from({ length: 7 * 13 }, (_, i) => -150 + ((i * 37) % 91) * 2);
      z[13 * 4 + 2] = Number.NaN;
      z[13 * 5 + 7] = Number.POSITIVE_INFINITY;
      z[13 * 6 + 1] = Number.NEGATIVE_INFINITY;
      const labels = Int32Array.from({ length: 7 }, (_, r) => (r * 5) % 13);
      const probs = arr(b, p, new Float32Array(z.length));
      const losses = arr(b, p, new Float32Array(7));
      b.softmaxCrossEntropy(arr(b, p, z), 7, 13, labels, 0, probs, losses);
      return [probs, losses];
    },
  },
  {
    name: 'sgd (param −= lr·grad, grad = 0)',
    run: (b, p) => {
      const param = arr(b, p, X);
      const grad = arr(b, p, Y);
      b.sgd(0.05, grad, param);
      return [param, grad];
    },
  },
];

describe('backend conformance: every kernel matches the reference backend', () => {
  it('the WebAssembly backend loads here in every build (Node 20 has WebAssembly SIMD)', () => {
    expect(createWasmBackend()).not.toBeNull();
    expect(plain.variant).toEqual({ relaxed: false, shared: true });
    expect(relaxed.variant.relaxed).toBe(true);
    expect(threaded.threads).toBe(2);
    expect(newWasmBackend({ shared: false })!.variant.shared).toBe(false);
  });

  for (const [label, get] of WASM) {
    describe(label, () => {
      it.each(CASES.flatMap((c) => (['resident', 'staged'] as const).map((place) => [c.name, place, c] as const)))('%s (%s operands)', (_, place, c) => {
        const want = c.run(reference, 'staged');
        const backend = get();
        const got = c.run(backend, place);
        got.forEach((g, i) => expect(relError(g, want[i]!), `output ${i}`).toBeLessThan(1e-5));
      });
    });
  }
});

describe('GEMM on every build', () => {
  // Shapes of the MLP and awkward ones (edges of the 4×8 and 4×4 tiles, k not a multiple of 4).
  const SHAPES: Array<[number, number, number]> = [
    [128, 256, 784],
    [128, 10, 256],
    [784, 256, 128],
    [1, 1, 1],
    [3, 17, 5],
    [33, 45, 17],
    [4, 16, 1],
    [7, 31, 9],
    [6, 70, 3],
    // Narrow C (8 < n ≤ 12: the three-row tile), rows not a multiple of three.
    [256, 10, 128],
    [7, 11, 13],
    [5, 9, 3],
    [3, 12, 4],
  ];
  const flags = [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const;
  for (const [label, get] of WASM) {
    it.each(SHAPES.flatMap(([m, n, k]) => flags.map(([ta, tb]) => [m, n, k, ta, tb] as const)))(
      `${label}: %i×%i×%i (transA %s, transB %s) matches the reference to 1e-5 of Σ|a||b|, for α, β ∈ {1, 0}, {0.5, 2}`,
      (m, n, k, transA, transB) => {
        const r = new Random(m * 1000 + n * 10 + k);
        const a = Float32Array.from({ length: m * k }, () => (r.uniform() < 0.6 ? 0 : r.normal()));
        const b = Float32Array.from({ length: k * n }, () => r.normal());
        const c0 = Float32Array.from({ length: m * n }, () => r.normal());
        // Σ_p |op(A)ᵢₚ op(B)ₚⱼ| for each entry (see scaledError).
        const scale = new Float64Array(m * n);
        reference.gemm(transA, transB, m, n, k, 1, new Float64Array(a.map(Math.abs)), new Float64Array(b.map(Math.abs)), 0, scale);
        for (const [alpha, beta] of [
          [1, 0],
          [0.5, 2],
        ] as const) {
          const want = Float32Array.from(c0);
          const got = Float32Array.from(c0);
          reference.gemm(transA, transB, m, n, k, alpha, a, b, beta, want);
          get().gemm(transA, transB, m, n, k, alpha, a, b, beta, got);
          expect(scaledError(got, want, c0, scale, alpha, beta)).toBeLessThan(1e-5);
        }
      },
    );
  }

  it.each([
    [128, 256, 784, false],
    [784, 256, 128, true],
    [64, 30, 100, false],
    [100, 30, 64, true],
    [128, 250, 784, false],
  ] as const)('takes the sparse-input path for a mostly-zero A (%i×%i×%i, transA %s) and matches the reference', (m, n, k, transA) => {
    const r = new Random(m + n + k);
    const a = Float32Array.from({ length: m * k }, () => (r.uniform() < 0.85 ? 0 : r.uniform()));
    const b = Float32Array.from({ length: k * n }, () => r.normal());
    const c0 = Float32Array.from({ length: m * n }, () => r.normal());
    for (const backend of [plain, threaded]) {
      for (const [alpha, beta] of SCALINGS) {
        const want = Float32Array.from(c0);
        const got = Float32Array.from(c0);
        reference.gemm(transA, false, m, n, k, alpha, a, b, beta, want);
        const before = backend.stats.sparseCalls;
        backend.gemm(transA, false, m, n, k, alpha, a, b, beta, got);
        expect(backend.stats.sparseCalls).toBe(before + 1);
        expect(relError(got, want)).toBeLessThan(1e-5);
      }
    }
  });

  describe('a compressed operand kept for several products (Backend.sparse, sparseGemm)', () => {
    // A mostly-zero a (rows×cols), some with a fully dense row, against the reference GEMM.
    const CASES: Array<[string, number, number, (r: Random, i: number, cols: number) => number]> = [
      ['an MNIST-like batch', 128, 784, (r) => (r.uniform() < 0.85 ? 0 : r.uniform())],
      ['small and odd', 67, 81, (r) => (r.uniform() < 0.8 ? 0 : r.normal())],
      ['one dense row among empty ones', 64, 100, (r, i, cols) => (i < cols ? r.normal() : 0)],
      ['wide: fifteen column blocks, the last not a multiple of 16', 9, 4103, (r) => (r.uniform() < 0.9 ? 0 : r.normal())],
    ];
    for (const [label, get] of WASM) {
      it.each(CASES)(`${label}: %s (%i×%i), S·B and Sᵀ·B match the reference, resident and staged`, (_, rows, cols, value) => {
        const r = new Random(rows * cols);
        const a = Float32Array.from({ length: rows * cols }, (_, i) => value(r, i, cols));
        const backend = get();
        const s = backend.sparse(a, rows, cols)!;
        expect(s).not.toBeNull();
        expect(s.nonzeros).toBe(a.filter((v) => v !== 0).length);
        for (const trans of [false, true]) {
          const [m, k] = trans ? [cols, rows] : [rows, cols];
          for (const n of [30, 256]) {
            const b = normals(k * n);
            const c0 = normals(m * n);
            // Σ_p |op(S)ᵢₚ Bₚⱼ| for each entry (see scaledError).
            const scale = new Float64Array(m * n);
            reference.gemm(trans, false, m, n, k, 1, new Float64Array(a.map(Math.abs)), new Float64Array(b.map(Math.abs)), 0, scale);
            for (const place of ['resident', 'staged'] as const) {
              for (const [alpha, beta] of SCALINGS) {
                const want = Float32Array.from(c0);
                reference.gemm(trans, false, m, n, k, alpha, a, b, beta, want);
                const got = arr(backend, place, c0);
                backend.sparseGemm(s, trans, n, alpha, arr(backend, place, b), beta, got);
                expect(scaledError(got, want, c0, scale, alpha, beta), `trans ${trans}, n ${n}, ${place}, α ${alpha}, β ${beta}`).toBeLessThan(1e-5);
              }
            }
          }
        }
      });
    }

    it('with threads, a worker makes Sᵀ after the first product, when the caller says it will need it', () => {
      const r = new Random(9);
      const a = Float32Array.from({ length: 128 * 784 }, () => (r.uniform() < 0.85 ? 0 : r.uniform()));
      const b = normals(784 * 256);
      const g = normals(128 * 256);
      for (const wanted of [true, false]) {
        const before = threaded.stats.transposedAhead;
        const [c, d] = threaded.scope(() => {
          const s = threaded.sparse(a, 128, 784, { transposed: wanted })!;
          const c = new Float32Array(128 * 256);
          const d = new Float32Array(784 * 256);
          threaded.sparseGemm(s, false, 256, 1, b, 0, c);
          expect(threaded.stats.transposedAhead - before).toBe(wanted ? 1 : 0);
          threaded.sparseGemm(s, true, 256, 1, g, 0, d);
          return [c, d];
        });
        const wantC = new Float32Array(128 * 256);
        const wantD = new Float32Array(784 * 256);
        reference.gemm(false, false, 128, 256, 784, 1, a, b, 0, wantC);
        reference.gemm(true, false, 784, 256, 128, 1, a, g, 0, wantD);
        expect(relError(c, wantC)).toBeLessThan(1e-5);
        expect(relError(d, wantD)).toBeLessThan(1e-5);
      }
    });

    it('with threads, a scope that ends before Sᵀ is used waits for the worker making it, then hands its block back', () => {
      const r = new Random(10);
      const a = Float32Array.from({ length: 128 * 784 }, () => (r.uniform() < 0.85 ? 0 : r.uniform()));
      const b = normals(784 * 256);
      for (let round = 0; round < 3; round++) {
        const posted = threaded.stats.transposedAhead;
        const before = threaded.heap.inUse;
        threaded.scope(() => {
          const s = threaded.sparse(a, 128, 784, { transposed: true })!;
          threaded.sparseGemm(s, false, 256, 1, b, 0, new Float32Array(128 * 256));
          // Kernels that do not read Sᵀ go on while the worker makes it.
          const z = threaded.alloc(64, 'float32');
          threaded.fill(z, 2);
          threaded.scale(z, 3, z);
          if (!z.every((v) => v === 6)) throw new Error('scale went wrong');
        });
        // At once, the next buffer of Sᵀ's size takes its block (zeroed): nothing writes there later.
        const probe = threaded.alloc(785 + 2 * (Math.floor(0.35 * 128 * 784) + 4), 'float32', { persistent: true });
        const until = performance.now() + 3;
        while (performance.now() < until);
        expect(probe.every((v) => v === 0)).toBe(true);
        expect(threaded.stats.transposedAhead - posted).toBe(1);
        expect(threaded.heap.inUse - before).toBe(probe.length * 4 + 64 + ((64 - ((probe.length * 4) % 64)) % 64));
      }
      // The blocks handed back are reused whole: a product with a fresh Sᵀ is still right.
      const g = normals(128 * 256);
      const d = threaded.scope(() => {
        const s = threaded.sparse(a, 128, 784, { transposed: true })!;
        threaded.sparseGemm(s, false, 256, 1, b, 0, new Float32Array(128 * 256));
        const d = new Float32Array(784 * 256);
        threaded.sparseGemm(s, true, 256, 1, g, 0, d);
        return d;
      });
      const want = new Float32Array(784 * 256);
      reference.gemm(true, false, 784, 256, 128, 1, a, g, 0, want);
      expect(relError(d, want)).toBeLessThan(1e-5);
    });

    it('declines dense operands, and computes from the compressed rows in JavaScript for float64 operands', () => {
      const r = new Random(8);
      expect(relaxed.sparse(normals(128 * 784), 128, 784)).toBeNull();
      const a = Float32Array.from({ length: 70 * 60 }, () => (r.uniform() < 0.9 ? 0 : r.normal()));
      const s = relaxed.sparse(a, 70, 60)!;
      for (const trans of [false, true]) {
        const [m, k] = trans ? [60, 70] : [70, 60];
        const b = Float64Array.from(normals(k * 7));
        const want = new Float64Array(m * 7).fill(1);
        const got = new Float64Array(m * 7).fill(1);
        reference.gemm(trans, false, m, 7, k, 0.5, a, b, 2, want);
        relaxed.sparseGemm(s, trans, 7, 0.5, b, 2, got);
        expect(relError(got, want)).toBeLessThan(1e-6);
      }
    });

    it('lives in the scope it was made in: its transpose (made later) goes back with it', () => {
      const a = Float32Array.from({ length: 128 * 784 }, (_, i) => (i % 7 === 3 ? 0.5 : 0));
      const b = relaxed.alloc(128 * 256, 'float32', { persistent: true });
      const c = relaxed.alloc(784 * 256, 'float32', { persistent: true });
      const before = relaxed.heap.inUse;
      let kept: ReturnType<WasmBackend['sparse']> = null;
      relaxed.scope(() => {
        kept = relaxed.sparse(a, 128, 784);
        relaxed.scope(() => relaxed.sparseGemm(kept!, true, 256, 1, b, 0, c));
        expect(relaxed.heap.inUse).toBeGreaterThan(before);
      });
      expect(relaxed.heap.inUse).toBe(before);
      // Used after its scope ended: an error, not a read of released memory.
      const fresh = relaxed.scope(() => relaxed.sparse(a, 128, 784)!);
      expect(() => relaxed.sparseGemm(fresh, true, 256, 1, b, 0, c)).toThrow(/scope that has ended/);
    });

    it('serves a matmul and its weight gradient from one compression (float32, matches the reference)', () => {
      const run = (backend: Backend) =>
        backend.scope(() => {
          const r = new Random(4);
          const x = tensor(Array.from({ length: 128 * 784 }, () => (r.uniform() < 0.85 ? 0 : r.uniform())), [128, 784], { backend });
          const w = tensor(Array.from({ length: 784 * 64 }, () => r.normal() * 0.05), [784, 64], { backend, requiresGrad: true });
          const y = ops.matmul(x, w);
          const loss = ops.mean(ops.mul(y, y));
          loss.backward();
          return [loss, w.grad!].map((t: Tensor) => Array.from(t.data));
        });
      const want = run(reference);
      const { compressions, sparseCalls } = relaxed.stats;
      const got = run(relaxed);
      expect(relaxed.stats.compressions - compressions).toBe(1);
      expect(relaxed.stats.sparseCalls - sparseCalls).toBe(2);
      got.forEach((g, i) => expect(relError(g, want[i]!)).toBeLessThan(1e-5));
    });
  });

  it.each(WASM)('%s: softmax probabilities within 1e-6 relative of float64 from the same z − max (the vector e^x), over logits spread across [−100, 20]', (_, get) => {
    const backend = get();
    const [rows, cols] = [64, 13];
    const r = new Random(21);
    const z = Float32Array.from({ length: rows * cols }, () => -100 + 120 * r.uniform());
    const labels = Int32Array.from({ length: rows }, () => r.integer(cols));
    const probs = new Float32Array(rows * cols);
    backend.softmaxCrossEntropy(z, rows, cols, labels, 0, probs, new Float32Array(rows));
    let worst = 0;
    for (let i = 0; i < rows; i++) {
      // From z − max as float32 computes it (that rounding alone moves e^x by up to 4e-6 here).
      const row = Array.from(z.subarray(i * cols, (i + 1) * cols));
      const mx = Math.max(...row);
      const x = row.map((v) => Math.fround(v - mx));
      const total = x.reduce((s, v) => s + Math.exp(v), 0);
      for (let j = 0; j < cols; j++) {
        const want = Math.exp(x[j]!) / total;
        if (want > 1e-30) worst = Math.max(worst, Math.abs(probs[i * cols + j]! - want) / want);
      }
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it('prepareSparse compresses a batch ahead of its products (on a worker with { async }, behind an async fromBytes)', async () => {
    // A backend of its own, independent of what earlier cases left in the shared one's memory.
    const own = newWasmBackend()!;
    const stop = await startKernelThreads(own, 2);
    const r = new Random(13);
    const [rows, cols, n] = [128, 784, 256];
    const bytes = Uint8Array.from({ length: rows * cols }, () => (r.uniform() < 0.8 ? 0 : 1 + r.integer(255)));
    const floats = Float32Array.from(bytes, (v) => v * (1 / 255));
    const b = normals(cols * n);
    const g = normals(rows * n);
    const wantC = new Float32Array(rows * n);
    const wantD = new Float32Array(cols * n);
    reference.gemm(false, false, rows, n, cols, 1, floats, b, 0, wantC);
    reference.gemm(true, false, cols, n, rows, 1, floats, g, 0, wantD);
    for (const [backend, async] of [
      [relaxed, false],
      [relaxed, true],
      [own, false],
      [own, true],
    ] as const) {
      const out = backend.alloc(rows * cols, 'float32', { persistent: true }) as Float32Array;
      const source = backend.allocBytes(bytes.length);
      source.set(bytes);
      const before = { ...backend.stats };
      backend.fromBytes(source, 1 / 255, out, { async });
      backend.prepareSparse(out, rows, cols, { async });
      // Posted to a worker only where there is one.
      expect(backend.stats.convertedAhead - before.convertedAhead).toBe(async && backend === own ? 1 : 0);
      expect(backend.stats.staged - before.staged).toBe(0);
      // A kernel reading the batch waits for it.
      const copy = backend.alloc(rows * cols, 'float32', { persistent: true });
      backend.unary('copy', out, copy);
      expect(copy).toEqual(floats);
      const s = backend.sparse(out, rows, cols, { transposed: true })!;
      expect(s.nonzeros).toBe(bytes.filter((v) => v !== 0).length);
      const c = new Float32Array(rows * n);
      const d = new Float32Array(cols * n);
      backend.sparseGemm(s, false, n, 1, b, 0, c);
      backend.sparseGemm(s, true, n, 1, g, 0, d);
      expect(relError(c, wantC)).toBeLessThan(1e-5);
      expect(relError(d, wantD)).toBeLessThan(1e-5);
      expect(backend.stats.compressions - before.compressions).toBe(1);
      // Written by a kernel, the batch is compressed anew when asked.
      backend.scale(out, 2, out);
      const doubled = backend.sparse(out, rows, cols)!;
      backend.sparseGemm(doubled, false, n, 0.5, b, 0, c);
      expect(relError(c, wantC)).toBeLessThan(1e-5);
      expect(backend.stats.compressions - before.compressions).toBe(2);
    }
    // A batch too dense for the sparse path: no compressed form (the products go dense).
    const dense = own.allocBytes(rows * cols).map(() => 1 + r.integer(255));
    const out = own.alloc(rows * cols, 'float32', { persistent: true }) as Float32Array;
    own.fromBytes(dense, 1 / 255, out, { async: true });
    own.prepareSparse(out, rows, cols, { async: true });
    expect(own.sparse(out, rows, cols)).toBeNull();
    expect(out).toEqual(Float32Array.from(dense, (v) => v * (1 / 255)));
    await stop();
  });

  it('wakes workers that have gone to sleep (idle longer than their spin) for a split and for a posted kernel', async () => {
    const r = new Random(12);
    const a = Float32Array.from({ length: 256 * 300 }, () => r.normal());
    const b = Float32Array.from({ length: 300 * 256 }, () => r.normal());
    const one = new Float32Array(256 * 256);
    const two = new Float32Array(256 * 256);
    relaxed.gemm(false, false, 256, 256, 300, 1, a, b, 0, one);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const before = threaded.stats.splitCalls;
    threaded.gemm(false, false, 256, 256, 300, 1, a, b, 0, two);
    expect(threaded.stats.splitCalls).toBe(before + 1);
    expect(two).toEqual(one);
    // A posted kernel (a batch's conversion), on a backend of its own.
    const own = newWasmBackend()!;
    const stop = await startKernelThreads(own, 2);
    const bytes = own.allocBytes(64 * 100).fill(51);
    const out = own.alloc(64 * 100, 'float32', { persistent: true }) as Float32Array;
    await new Promise((resolve) => setTimeout(resolve, 30));
    own.fromBytes(bytes, 1 / 255, out, { async: true });
    expect(own.stats.convertedAhead).toBe(1);
    own.sync();
    expect(out.every((v) => v === Math.fround(51 / 255))).toBe(true);
    await stop();
  });

  it('splits large kernels across the threads, with results identical bit for bit to one thread', () => {
    const r = new Random(5);
    for (const [m, n, k, transA, zeros] of [
      [128, 256, 784, false, 0.85],
      [784, 256, 128, true, 0.85],
      [256, 300, 200, false, 0],
    ] as const) {
      const a = Float32Array.from({ length: m * k }, () => (r.uniform() < zeros ? 0 : r.normal()));
      const b = Float32Array.from({ length: k * n }, () => r.normal());
      const one = new Float32Array(m * n);
      const two = new Float32Array(m * n);
      relaxed.gemm(transA, false, m, n, k, 1, a, b, 0, one);
      const before = threaded.stats.splitCalls;
      threaded.gemm(transA, false, m, n, k, 1, a, b, 0, two);
      expect(threaded.stats.splitCalls).toBe(before + 1);
      expect(two).toEqual(one);
    }
  });
});

describe('WebAssembly memory', () => {
  it('releases what a scope allocated, keeps persistent buffers, and hands out zeroed blocks', () => {
    const b = newWasmBackend()!;
    const base = b.heap.inUse;
    let kept: Storage | null = null;
    b.scope(() => {
      const t = b.alloc(1000, 'float32');
      t.fill(7);
      kept = b.alloc(1000, 'float32', { persistent: true });
      b.scope(() => b.alloc(50, 'float32'));
      expect(b.heap.inUse).toBeGreaterThan(base);
    });
    // 4000 bytes take 63 lines of 64 bytes, plus the one spare line every block has.
    expect(b.heap.inUse - base).toBe(64 * 64);
    expect(kept!.every((v) => v === 0)).toBe(true);
    // Blocks start on cache lines (split kernels' column chunks then never share one).
    const odd = [1, 3, 17, 1000].map((n) => b.alloc(n, 'float32', { persistent: true }).byteOffset);
    expect(odd.map((offset) => offset % 64)).toEqual([0, 0, 0, 0]);
    // The released block comes back for the next buffer of its size, zeroed.
    const again = b.scope(() => Array.from(b.alloc(1000, 'float32')));
    expect(again.every((v) => v === 0)).toBe(true);
  });

  it('gives buffers made outside any scope back once the garbage collector takes their views', () => {
    // In a child process with --expose-gc, on the built backend (npm test builds first).
    const script = `
      const { newWasmBackend } = await import(${JSON.stringify(pathToFileURL(join(root, 'dist/tensor/backends/wasm.js')).href)});
      const b = newWasmBackend();
      for (let i = 0; i < 200; i++) b.alloc(10000, 'float32');
      const peak = b.heap.inUse;
      for (let i = 0; i < 5; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 10)); }
      console.log(JSON.stringify({ peak, after: b.heap.inUse }));`;
    const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const { peak, after } = JSON.parse(r.stdout) as { peak: number; after: number };
    expect(peak).toBeGreaterThanOrEqual(200 * 40000);
    expect(after).toBeLessThan(peak / 10);
  });

  it('grows a shared memory without invalidating the views already handed out', () => {
    const b = newWasmBackend()!;
    const first = b.alloc(16, 'float32', { persistent: true }) as Float32Array;
    first.fill(3);
    const bytes = b.memory.buffer.byteLength;
    const big = b.alloc(8 << 20, 'float32', { persistent: true }) as Float32Array;
    expect(b.memory.buffer.byteLength).toBeGreaterThan(bytes);
    expect(big.buffer === first.buffer).toBe(false);
    expect(Array.from(first)).toEqual(new Array(16).fill(3));
    b.axpy(1, first, first);
    expect(first[0]).toBe(6);
  });

  it('keeps float64 tensors in plain arrays on the reference kernels', () => {
    const x = plain.alloc(8, 'float64');
    expect(x).toBeInstanceOf(Float64Array);
    const y = plain.alloc(8, 'float64');
    x.fill(2);
    plain.axpy(0.5, x, y);
    expect(Array.from(y)).toEqual(new Array(8).fill(1));
  });
});

describe('whole ops with autograd', () => {
  it.each(WASM)('%s: a second backward adds into the parameters\' gradients in place (dense and sparse inputs, both matmul operands)', (_, get) => {
    const run = (backend: Backend) =>
      backend.scope(() => {
        const r = new Random(6);
        const t = (shape: number[], zeros: number, requiresGrad: boolean) =>
          tensor(Array.from({ length: shape.reduce((x, y) => x * y, 1) }, () => (r.uniform() < zeros ? 0 : r.normal())), shape, { backend, requiresGrad });
        const x = t([64, 100], 0.85, false);
        const w = t([100, 40], 0, true);
        const v = t([40, 30], 0, true);
        const u = t([64, 40], 0, true);
        const results: number[][] = [];
        for (let pass = 0; pass < 2; pass++) {
          // w: a sparse input's weight; v: the right operand, u: the left one of dense products.
          const h = ops.tanh(ops.add(ops.matmul(x, w), u));
          const loss = ops.mean(ops.mul(ops.matmul(h, v), ops.matmul(u, v)));
          loss.backward();
          results.push(...[w.grad!, v.grad!, u.grad!].map((g: Tensor) => Array.from(g.data)));
        }
        return results;
      });
    const want = run(reference);
    const got = run(get());
    // The second pass's gradients are twice the first's (nothing zeroed them in between).
    for (let i = 0; i < 3; i++) expect(relError(want[i + 3]!, want[i]!.map((g) => 2 * g))).toBeLessThan(1e-6);
    got.forEach((g, i) => expect(relError(g, want[i]!)).toBeLessThan(1e-5));
  });

  it.each(WASM)('%s: forward and backward of a small network match the reference (float32)', (_, get) => {
    const run = (backend: Backend) =>
      backend.scope(() => {
        const r = new Random(3);
        const t = (shape: number[]) => tensor(Array.from({ length: shape.reduce((x, y) => x * y, 1) }, () => r.normal()), shape, { backend, requiresGrad: true });
        const x = t([16, 40]);
        const w = t([40, 20]);
        const bias = t([20]);
        const labels = Int32Array.from({ length: 16 }, (_, i) => i % 20);
        const logits = ops.add(ops.matmul(ops.tanh(x), w), bias);
        const hidden = ops.biasRelu(ops.matmul(x, w), bias);
        const { loss: fused } = ops.softmaxCrossEntropy(hidden, labels, { epsilon: 1e-12 });
        const loss = ops.add(ops.add(ops.crossEntropyFromLogits(logits, labels), ops.mean(ops.sigmoid(ops.matmul(x, w)))), fused);
        loss.backward();
        return [loss, w.grad!, x.grad!, bias.grad!].map((g: Tensor) => Array.from(g.data));
      });
    const want = run(reference);
    const got = run(get());
    got.forEach((g, i) => expect(relError(g, want[i]!)).toBeLessThan(1e-5));
  });
});
