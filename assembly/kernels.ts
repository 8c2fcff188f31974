// GEMM kernels for the WebAssembly backend, in AssemblyScript (compiled by `npm run build:wasm`).
// C (m×n) ← α·op(A)·op(B) + β·C, row-major f32, operands at byte offsets in linear memory.
// The main kernel is a 4×16 register tile: 16 f32x4 accumulators stay in registers while the
// inner dimension streams through, one splat of A and four loads of B per step.

@inline function tileNN(transA: bool, m: i32, n: i32, k: i32, alpha: f32, a: usize, b: usize, c: usize, i0: i32, j0: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c22 = f32x4.splat(0), c23 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0), c32 = f32x4.splat(0), c33 = f32x4.splat(0);
  for (let p = 0; p < k; p++) {
    const bp = b + (<usize>(p * n + j0) << 2);
    const b0 = v128.load(bp), b1 = v128.load(bp, 16), b2 = v128.load(bp, 32), b3 = v128.load(bp, 48);
    // A[i, p] (A is m×k) or, transposed, A[p, i] (A stored k×m).
    let a0: f32, a1: f32, a2: f32, a3: f32;
    if (transA) {
      const ap = a + (<usize>(p * m + i0) << 2);
      a0 = load<f32>(ap); a1 = load<f32>(ap, 4); a2 = load<f32>(ap, 8); a3 = load<f32>(ap, 12);
    } else {
      const ap = a + (<usize>(i0 * k + p) << 2);
      const rs = <usize>k << 2;
      a0 = load<f32>(ap); a1 = load<f32>(ap + rs); a2 = load<f32>(ap + 2 * rs); a3 = load<f32>(ap + 3 * rs);
    }
    if (a0 != 0) { const s = f32x4.splat(a0); c00 = f32x4.add(c00, f32x4.mul(s, b0)); c01 = f32x4.add(c01, f32x4.mul(s, b1)); c02 = f32x4.add(c02, f32x4.mul(s, b2)); c03 = f32x4.add(c03, f32x4.mul(s, b3)); }
    if (a1 != 0) { const s = f32x4.splat(a1); c10 = f32x4.add(c10, f32x4.mul(s, b0)); c11 = f32x4.add(c11, f32x4.mul(s, b1)); c12 = f32x4.add(c12, f32x4.mul(s, b2)); c13 = f32x4.add(c13, f32x4.mul(s, b3)); }
    if (a2 != 0) { const s = f32x4.splat(a2); c20 = f32x4.add(c20, f32x4.mul(s, b0)); c21 = f32x4.add(c21, f32x4.mul(s, b1)); c22 = f32x4.add(c22, f32x4.mul(s, b2)); c23 = f32x4.add(c23, f32x4.mul(s, b3)); }
    if (a3 != 0) { const s = f32x4.splat(a3); c30 = f32x4.add(c30, f32x4.mul(s, b0)); c31 = f32x4.add(c31, f32x4.mul(s, b1)); c32 = f32x4.add(c32, f32x4.mul(s, b2)); c33 = f32x4.add(c33, f32x4.mul(s, b3)); }
  }
  const al = f32x4.splat(alpha);
  const rowStride = <usize>n << 2;
  let cp = c + (<usize>(i0 * n + j0) << 2);
  v128.store(cp, f32x4.add(v128.load(cp), f32x4.mul(al, c00))); v128.store(cp, f32x4.add(v128.load(cp, 16), f32x4.mul(al, c01)), 16);
  v128.store(cp, f32x4.add(v128.load(cp, 32), f32x4.mul(al, c02)), 32); v128.store(cp, f32x4.add(v128.load(cp, 48), f32x4.mul(al, c03)), 48);
  cp += rowStride;
  v128.store(cp, f32x4.add(v128.load(cp), f32x4.mul(al, c10))); v128.store(cp, f32x4.add(v128.load(cp, 16), f32x4.mul(al, c11)), 16);
  v128.store(cp, f32x4.add(v128.load(cp, 32), f32x4.mul(al, c12)), 32); v128.store(cp, f32x4.add(v128.load(cp, 48), f32x4.mul(al, c13)), 48);
  cp += rowStride;
  v128.store(cp, f32x4.add(v128.load(cp), f32x4.mul(al, c20))); v128.store(cp, f32x4.add(v128.load(cp, 16), f32x4.mul(al, c21)), 16);
  v128.store(cp, f32x4.add(v128.load(cp, 32), f32x4.mul(al, c22)), 32); v128.store(cp, f32x4.add(v128.load(cp, 48), f32x4.mul(al, c23)), 48);
  cp += rowStride;
  v128.store(cp, f32x4.add(v128.load(cp), f32x4.mul(al, c30))); v128.store(cp, f32x4.add(v128.load(cp, 16), f32x4.mul(al, c31)), 16);
  v128.store(cp, f32x4.add(v128.load(cp, 32), f32x4.mul(al, c32)), 32); v128.store(cp, f32x4.add(v128.load(cp, 48), f32x4.mul(al, c33)), 48);
}

// Scalar fallback for the edges (and for transposed B): C[i, j] += α Σ_p op(A)[i, p] op(B)[p, j].
function edge(transA: bool, transB: bool, m: i32, n: i32, k: i32, alpha: f32, a: usize, b: usize, c: usize, i0: i32, i1: i32, j0: i32, j1: i32): void {
  for (let i = i0; i < i1; i++) {
    for (let j = j0; j < j1; j++) {
      let s: f32 = 0;
      for (let p = 0; p < k; p++) {
        const av = transA ? load<f32>(a + (<usize>(p * m + i) << 2)) : load<f32>(a + (<usize>(i * k + p) << 2));
        const bv = transB ? load<f32>(b + (<usize>(j * k + p) << 2)) : load<f32>(b + (<usize>(p * n + j) << 2));
        s += av * bv;
      }
      const cp = c + (<usize>(i * n + j) << 2);
      store<f32>(cp, load<f32>(cp) + alpha * s);
    }
  }
}

// C = A·Bᵀ (B stored n×k): dot products of rows, 4 lanes at a time.
function gemmNT(m: i32, n: i32, k: i32, alpha: f32, a: usize, b: usize, c: usize): void {
  const k4 = k & ~3;
  for (let i = 0; i < m; i++) {
    const ai = a + (<usize>(i * k) << 2);
    for (let j = 0; j < n; j++) {
      const bj = b + (<usize>(j * k) << 2);
      let acc = f32x4.splat(0);
      for (let p = 0; p < k4; p += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(ai + (<usize>p << 2)), v128.load(bj + (<usize>p << 2))));
      let s: f32 = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
      for (let p = k4; p < k; p++) s += load<f32>(ai + (<usize>p << 2)) * load<f32>(bj + (<usize>p << 2));
      const cp = c + (<usize>(i * n + j) << 2);
      store<f32>(cp, load<f32>(cp) + alpha * s);
    }
  }
}

/** C ← α·op(A)·op(B) + β·C. */
export function gemm(transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f32, a: usize, b: usize, beta: f32, c: usize): void {
  const size = m * n;
  if (beta == 0) memory.fill(c, 0, <usize>size << 2);
  else if (beta != 1) for (let i = 0; i < size; i++) store<f32>(c + (<usize>i << 2), load<f32>(c + (<usize>i << 2)) * beta);
  if (transB) {
    if (transA) edge(true, true, m, n, k, alpha, a, b, c, 0, m, 0, n);
    else gemmNT(m, n, k, alpha, a, b, c);
    return;
  }
  const m4 = m & ~3;
  const n16 = n & ~15;
  for (let i = 0; i < m4; i += 4) for (let j = 0; j < n16; j += 16) tileNN(transA != 0, m, n, k, alpha, a, b, c, i, j);
  if (n16 < n) edge(transA != 0, false, m, n, k, alpha, a, b, c, 0, m4, n16, n);
  if (m4 < m) edge(transA != 0, false, m, n, k, alpha, a, b, c, m4, m, 0, n);
}

/**
 * Sparse-input GEMM in coordinate form: for each nonzero e of A, C[out[e], :] += α·v[e]·B[in[e], :].
 * With (out, in) = (row, col) this is C = A·B; with (col, row) it is C = Aᵀ·B. MNIST batches are
 * ~81% zeros, so this does a fifth of the dense work for X·W₁ and Xᵀ·dH.
 */
export function sparseRows(nnz: i32, n: i32, alpha: f32, outRows: usize, inRows: usize, values: usize, b: usize, c: usize): void {
  const n4 = n & ~3;
  for (let e = 0; e < nnz; e++) {
    const o = <usize>load<i32>(outRows + (<usize>e << 2));
    const r = <usize>load<i32>(inRows + (<usize>e << 2));
    const v = alpha * load<f32>(values + (<usize>e << 2));
    const s = f32x4.splat(v);
    const cp = c + ((o * <usize>n) << 2);
    const bp = b + ((r * <usize>n) << 2);
    for (let j = 0; j < n4; j += 4) {
      const off = <usize>j << 2;
      v128.store(cp + off, f32x4.add(v128.load(cp + off), f32x4.mul(s, v128.load(bp + off))));
    }
    for (let j = n4; j < n; j++) {
      const off = <usize>j << 2;
      store<f32>(cp + off, load<f32>(cp + off) + v * load<f32>(bp + off));
    }
  }
}
