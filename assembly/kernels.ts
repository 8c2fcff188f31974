// The kernels of the WebAssembly backend, in AssemblyScript (compiled by `npm run build:wasm`).
// Every operand is f32, row-major, at a byte offset into the imported linear memory; the
// TypeScript side (src/tensor/backends/wasm.ts) owns allocation. Built four ways from this one
// source: with or without relaxed-SIMD FMA (ASC_FEATURE_RELAXED_SIMD), on a shared memory (for
// the worker threads) or not. Kernels that split across threads take a column range [j0, j1).

// a·b + c, fused where the host has FMA and the module was built with relaxed SIMD.
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

// C[i0..i0+4, j0..j0+8] += α·op(A)·B over the whole inner dimension: eight f32x4 accumulators
// stay in registers (with two loads of B and one splat of A that is 11 of x86's 16).
// No test for zeros here: ReLU outputs are zero at random places, and the mispredicted branches
// cost more than the multiply-adds they skip (operands with many zeros take the sparse path).
@inline function tile4x8(transA: bool, set: bool, m: i32, n: i32, k: i32, alpha: f32, a: usize, b: usize, c: usize, i0: i32, j0: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const rs = <usize>k << 2;
  for (let p = 0; p < k; p++) {
    const bp = at(b, p * n + j0);
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let a0: f32, a1: f32, a2: f32, a3: f32;
    if (transA) {
      const ap = at(a, p * m + i0);
      a0 = load<f32>(ap); a1 = load<f32>(ap, 4); a2 = load<f32>(ap, 8); a3 = load<f32>(ap, 12);
    } else {
      const ap = at(a, i0 * k + p);
      a0 = load<f32>(ap); a1 = load<f32>(ap + rs); a2 = load<f32>(ap + 2 * rs); a3 = load<f32>(ap + 3 * rs);
    }
    let s = f32x4.splat(a0); c00 = madd(s, b0, c00); c01 = madd(s, b1, c01);
    s = f32x4.splat(a1); c10 = madd(s, b0, c10); c11 = madd(s, b1, c11);
    s = f32x4.splat(a2); c20 = madd(s, b0, c20); c21 = madd(s, b1, c21);
    s = f32x4.splat(a3); c30 = madd(s, b0, c30); c31 = madd(s, b1, c31);
  }
  const al = f32x4.splat(alpha);
  const row = <usize>n << 2;
  let cp = at(c, i0 * n + j0);
  if (set) {
    v128.store(cp, f32x4.mul(al, c00)); v128.store(cp, f32x4.mul(al, c01), 16); cp += row;
    v128.store(cp, f32x4.mul(al, c10)); v128.store(cp, f32x4.mul(al, c11), 16); cp += row;
    v128.store(cp, f32x4.mul(al, c20)); v128.store(cp, f32x4.mul(al, c21), 16); cp += row;
    v128.store(cp, f32x4.mul(al, c30)); v128.store(cp, f32x4.mul(al, c31), 16);
    return;
  }
  v128.store(cp, madd(al, c00, v128.load(cp))); v128.store(cp, madd(al, c01, v128.load(cp, 16)), 16); cp += row;
  v128.store(cp, madd(al, c10, v128.load(cp))); v128.store(cp, madd(al, c11, v128.load(cp, 16)), 16); cp += row;
  v128.store(cp, madd(al, c20, v128.load(cp))); v128.store(cp, madd(al, c21, v128.load(cp, 16)), 16); cp += row;
  v128.store(cp, madd(al, c30, v128.load(cp))); v128.store(cp, madd(al, c31, v128.load(cp, 16)), 16);
}

// C[i0..i0+3, 0..n) (+)= α·op(A)·B for a narrow C (8 < n ≤ 12, such as the MLP's ten classes):
// three rows by three f32x4 columns, nine accumulators and one load of B per three of them
// (the 4×8 tile plus a 4×4 tile for two columns wasted half of the second).
function tile3x12(transA: bool, set: bool, m: i32, n: i32, k: i32, alpha: f32, a: usize, b: usize, c: usize, i0: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c22 = f32x4.splat(0);
  const rs = <usize>k << 2;
  for (let p = 0; p < k; p++) {
    const bp = at(b, p * n);
    const b0 = v128.load(bp), b1 = v128.load(bp, 16), b2 = v128.load(bp, 32);
    let s0: v128, s1: v128, s2: v128;
    if (transA) {
      const ap = at(a, p * m + i0);
      s0 = v128.load32_splat(ap); s1 = v128.load32_splat(ap, 4); s2 = v128.load32_splat(ap, 8);
    } else {
      const ap = at(a, i0 * k + p);
      s0 = v128.load32_splat(ap); s1 = v128.load32_splat(ap + rs); s2 = v128.load32_splat(ap + 2 * rs);
    }
    c00 = madd(s0, b0, c00); c01 = madd(s0, b1, c01); c02 = madd(s0, b2, c02);
    c10 = madd(s1, b0, c10); c11 = madd(s1, b1, c11); c12 = madd(s1, b2, c12);
    c20 = madd(s2, b0, c20); c21 = madd(s2, b1, c21); c22 = madd(s2, b2, c22);
  }
  const al = f32x4.splat(alpha);
  const row = <usize>n << 2;
  let cp = at(c, i0 * n);
  putLanes(set, cp, f32x4.mul(al, c00), 4); putLanes(set, cp + 16, f32x4.mul(al, c01), 4); putLanes(set, cp + 32, f32x4.mul(al, c02), n - 8); cp += row;
  putLanes(set, cp, f32x4.mul(al, c10), 4); putLanes(set, cp + 16, f32x4.mul(al, c11), 4); putLanes(set, cp + 32, f32x4.mul(al, c12), n - 8); cp += row;
  putLanes(set, cp, f32x4.mul(al, c20), 4); putLanes(set, cp + 16, f32x4.mul(al, c21), 4); putLanes(set, cp + 32, f32x4.mul(al, c22), n - 8);
}

// p[0..count) = v's first lanes (set) or += them (count ≥ 4: all four).
@inline function putLanes(set: bool, p: usize, v: v128, count: i32): void {
  if (set) {
    if (count >= 4) { v128.store(p, v); return; }
    store<f32>(p, f32x4.extract_lane(v, 0));
    if (count > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
    if (count > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
    return;
  }
  storeLanes(p, v, count);
}

// C[i0..i0+4, j0..j0+count) += α·op(A)·B for count ≤ 4 columns: four rows' accumulators are
// independent chains (one row alone would wait on its own adds). Lanes past count are read
// (blocks are padded) but not stored.
function tile4x4(transA: bool, set: bool, m: i32, n: i32, k: i32, alpha: f32, a: usize, b: usize, c: usize, i0: i32, j0: i32, count: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  const rs = <usize>k << 2;
  for (let p = 0; p < k; p++) {
    const bv = v128.load(at(b, p * n + j0));
    if (transA) {
      const ap = at(a, p * m + i0);
      c0 = madd(v128.load32_splat(ap), bv, c0); c1 = madd(v128.load32_splat(ap, 4), bv, c1);
      c2 = madd(v128.load32_splat(ap, 8), bv, c2); c3 = madd(v128.load32_splat(ap, 12), bv, c3);
    } else {
      const ap = at(a, i0 * k + p);
      c0 = madd(v128.load32_splat(ap), bv, c0); c1 = madd(v128.load32_splat(ap + rs), bv, c1);
      c2 = madd(v128.load32_splat(ap + 2 * rs), bv, c2); c3 = madd(v128.load32_splat(ap + 3 * rs), bv, c3);
    }
  }
  const al = f32x4.splat(alpha);
  const row = <usize>n << 2;
  const cp = at(c, i0 * n + j0);
  putLanes(set, cp, f32x4.mul(al, c0), count);
  putLanes(set, cp + row, f32x4.mul(al, c1), count);
  putLanes(set, cp + 2 * row, f32x4.mul(al, c2), count);
  putLanes(set, cp + 3 * row, f32x4.mul(al, c3), count);
}

// One row of C over up to 16 columns [j0, j1): nv = ⌈(j1 − j0)/4⌉ f32x4 accumulators. Lanes past
// j1 read whatever follows in memory (every block is padded, see wasm.ts) and are not stored.
function rowBlock(transA: bool, set: bool, m: i32, n: i32, k: i32, alpha: f32, a: usize, b: usize, c: usize, i: i32, j0: i32, j1: i32): void {
  const nv = (j1 - j0 + 3) >> 2;
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
  for (let p = 0; p < k; p++) {
    const v = f32x4.splat(transA ? load<f32>(at(a, p * m + i)) : load<f32>(at(a, i * k + p)));
    const bp = at(b, p * n + j0);
    s0 = madd(v, v128.load(bp), s0);
    if (nv > 1) s1 = madd(v, v128.load(bp, 16), s1);
    if (nv > 2) s2 = madd(v, v128.load(bp, 32), s2);
    if (nv > 3) s3 = madd(v, v128.load(bp, 48), s3);
  }
  const al = f32x4.splat(alpha);
  putLanes(set, at(c, i * n + j0), f32x4.mul(al, s0), j1 - j0);
  if (nv > 1) putLanes(set, at(c, i * n + j0 + 4), f32x4.mul(al, s1), j1 - j0 - 4);
  if (nv > 2) putLanes(set, at(c, i * n + j0 + 8), f32x4.mul(al, s2), j1 - j0 - 8);
  if (nv > 3) putLanes(set, at(c, i * n + j0 + 12), f32x4.mul(al, s3), j1 - j0 - 12);
}

// p[0..count) += v's first lanes (count ≥ 4: all four).
@inline function storeLanes(p: usize, v: v128, count: i32): void {
  if (count >= 4) { v128.store(p, f32x4.add(v128.load(p), v)); return; }
  store<f32>(p, load<f32>(p) + f32x4.extract_lane(v, 0));
  if (count > 1) store<f32>(p, load<f32>(p, 4) + f32x4.extract_lane(v, 1), 4);
  if (count > 2) store<f32>(p, load<f32>(p, 8) + f32x4.extract_lane(v, 2), 8);
}

// C[i0..i1, j0..j1) ← β·C[i0..i1, j0..j1) (β = 0 clears, ignoring NaN in the old contents).
function scaleBlock(i0: i32, i1: i32, n: i32, beta: f32, c: usize, j0: i32, j1: i32): void {
  if (beta == 1 || j0 >= j1) return;
  for (let i = i0; i < i1; i++) {
    const row = at(c, i * n);
    if (beta == 0) memory.fill(at(row, j0), 0, <usize>(j1 - j0) << 2);
    else for (let j = j0; j < j1; j++) store<f32>(at(row, j), load<f32>(at(row, j)) * beta);
  }
}

/**
 * C[:, j0..j1) ← α·op(A)·B + β·C for op(A) m×k (A stored k×m when transA), B k×n, C m×n.
 * (Bᵀ operands are transposed by the caller first: O(nk) against the product's O(mnk).)
 */
export function gemm(transA: i32, m: i32, n: i32, k: i32, alpha: f32, a: usize, b: usize, beta: f32, c: usize, j0: i32, j1: i32): void {
  // β = 0 (with k > 0): every tile stores its result outright, with no clearing pass first.
  const set = beta == 0 && k > 0;
  if (!set) scaleBlock(0, m, n, beta, c, j0, j1);
  const ta = transA != 0;
  if (j0 == 0 && j1 == n && n > 8 && n <= 12) {
    // A narrow C (ten classes): three rows at a time across all of it.
    const m3 = m - m % 3;
    for (let i = 0; i < m3; i += 3) tile3x12(ta, set, m, n, k, alpha, a, b, c, i);
    for (let i = m3; i < m; i++) rowBlock(ta, set, m, n, k, alpha, a, b, c, i, 0, n);
    return;
  }
  const m4 = m & ~3;
  const j8 = j0 + ((j1 - j0) & ~7);
  for (let i = 0; i < m4; i += 4) for (let j = j0; j < j8; j += 8) tile4x8(ta, set, m, n, k, alpha, a, b, c, i, j);
  // The last columns (fewer than 8) four rows at a time, then the last rows (fewer than 4).
  for (let j = j8; j < j1; j += 4) for (let i = 0; i < m4; i += 4) tile4x4(ta, set, m, n, k, alpha, a, b, c, i, j, j1 - j);
  for (let i = m4; i < m; i++) for (let j = j0; j < j1; j += 16) rowBlock(ta, set, m, n, k, alpha, a, b, c, i, j, min(j + 16, j1));
}

// For each 4-bit mask of nonzero lanes, the i8x16.swizzle that packs those lanes to the front.
const PACK = memory.data<u8>([
  0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3,
  0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3,
  4, 5, 6, 7, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3,
  0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 0, 1, 2, 3,
  8, 9, 10, 11, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3,
  0, 1, 2, 3, 8, 9, 10, 11, 0, 1, 2, 3, 0, 1, 2, 3,
  4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 0, 1, 2, 3,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3,
  12, 13, 14, 15, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3,
  0, 1, 2, 3, 12, 13, 14, 15, 0, 1, 2, 3, 0, 1, 2, 3,
  4, 5, 6, 7, 12, 13, 14, 15, 0, 1, 2, 3, 0, 1, 2, 3,
  0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 0, 1, 2, 3,
  8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 0, 1, 2, 3,
  0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3,
  4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
]);

// Appends the nonzero lanes of z (columns in iv) at entry e; returns the new count. Always
// stores four lanes: the ones past the count are overwritten by the next quad or ignored.
@inline function packQuad(z: v128, iv: v128, idx: usize, val: usize, e: i32): i32 {
  const m = i32x4.bitmask(f32x4.ne(z, f32x4.splat(0)));
  const sh = v128.load(PACK + (<usize>m << 4));
  v128.store(at(val, e), i8x16.swizzle(z, sh));
  v128.store(at(idx, e), i8x16.swizzle(iv, sh));
  return e + <i32>popcnt(m);
}

/**
 * The nonzeros of A (rows × cols) in compressed-row form: ptr, idx (column numbers) and val.
 * With colBlock < cols the columns are cut into blocks of colBlock (a multiple of 16), and the
 * entries go block by block, each block's rows in order: ptr has blocks·rows + 1 entries (spmm
 * then sums over one block of B's rows at a time, a block that stays in L1). Returns the number of nonzeros, or −1 once there are more than `limit` (too dense
 * to pay); idx and val must have room for limit + cols entries (a row is written before the
 * count is checked). Sixteen zeros in a row are skipped at once (MNIST's zero pixels come in
 * runs); otherwise each quad's nonzero lanes are packed by one swizzle from a table, with no
 * branch on the scattered zeros.
 */
export function compress(a: usize, rows: i32, cols: i32, ptr: usize, idx: usize, val: usize, limit: i32, colBlock: i32): i32 {
  let e = 0;
  store<i32>(ptr, 0);
  const four = i32x4.splat(4);
  let q = 1;
  for (let c0 = 0; c0 < cols; c0 += colBlock) {
    const c1 = min(cols, c0 + colBlock);
    const c16 = c0 + ((c1 - c0) & ~15);
    for (let r = 0; r < rows; r++, q++) {
      const base = at(a, r * cols);
      let col = c0;
      for (; col < c16; col += 16) {
        const p = at(base, col);
        const z0 = v128.load(p), z1 = v128.load(p, 16), z2 = v128.load(p, 32), z3 = v128.load(p, 48);
        if (!v128.any_true(v128.or(v128.or(z0, z1), v128.or(z2, z3)))) continue;
        let iv = i32x4.add(i32x4(0, 1, 2, 3), i32x4.splat(col));
        e = packQuad(z0, iv, idx, val, e);
        iv = i32x4.add(iv, four);
        e = packQuad(z1, iv, idx, val, e);
        iv = i32x4.add(iv, four);
        e = packQuad(z2, iv, idx, val, e);
        iv = i32x4.add(iv, four);
        e = packQuad(z3, iv, idx, val, e);
      }
      for (; col < c1; col++) {
        const v = load<f32>(at(base, col));
        store<i32>(at(idx, e), col);
        store<f32>(at(val, e), v);
        e += i32(v != 0);
      }
      if (e > limit) return -1;
      store<i32>(at(ptr, q), e);
    }
  }
  return e;
}

/**
 * The transpose of a compressed-row matrix (rows × cols, from `compress`, its entries in
 * `blocks` column blocks): compressed rows of its transpose in tPtr[0..cols], tIdx (row
 * numbers), tVal, by a counting sort over the nonzeros only.
 */
export function transposeCompressed(rows: i32, blocks: i32, cols: i32, ptr: usize, idx: usize, val: usize, tPtr: usize, tIdx: usize, tVal: usize): void {
  const nnz = load<i32>(at(ptr, rows * blocks));
  memory.fill(tPtr, 0, <usize>(cols + 1) << 2);
  // Column counts in tPtr[1..cols], then their running sums: tPtr[c] is where column c starts.
  const counts = tPtr + 4;
  const end = at(idx, nnz);
  for (let p = idx; p < end; p += 4) {
    const cp = counts + (<usize>load<i32>(p) << 2);
    store<i32>(cp, load<i32>(cp) + 1);
  }
  let sum = 0;
  for (let q = 0; q < cols; q++) {
    const cp = at(counts, q);
    sum += load<i32>(cp);
    store<i32>(cp, sum);
  }
  // tPtr[c] serves as column c's write cursor, then everything shifts back by one column. A
  // column lies in one block, so its entries still come in row order. Pointers walk the entries
  // (no index arithmetic in the loop).
  const dv = val - idx;
  let p = idx;
  for (let kb = 0; kb < blocks; kb++) {
    const pb = at(ptr, kb * rows);
    for (let r = 0; r < rows; r++) {
      const pEnd = at(idx, load<i32>(at(pb, r + 1)));
      for (; p < pEnd; p += 4) {
        const cp = tPtr + (<usize>load<i32>(p) << 2);
        const t = load<i32>(cp);
        const o = <usize>t << 2;
        store<i32>(tIdx + o, r);
        store<f32>(tVal + o, load<f32>(p + dv));
        store<i32>(cp, t + 1);
      }
    }
  }
  for (let q = cols; q > 0; q--) store<i32>(at(tPtr, q), load<i32>(at(tPtr, q - 1)));
  store<i32>(tPtr, 0);
}

// Four u32 lanes times s in f64, rounded once to f32 (as a JS Float32Array store of b·s does).
@inline function scaleU32(v: v128, s: v128): v128 {
  const lo = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.convert_low_i32x4_u(v), s));
  const hi = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.convert_low_i32x4_u(v128.shuffle<i32>(v, v, 2, 3, 0, 1)), s));
  return v128.shuffle<f32>(lo, hi, 0, 1, 4, 5);
}

/** out[i] = bytes[i]·s (images stored as bytes to float), sixteen at a time. */
export function bytesToFloat(bytes: usize, size: i32, s: f64, out: usize): void {
  const s16 = size & ~15;
  const sv = f64x2.splat(s);
  for (let i = 0; i < s16; i += 16) {
    const v = v128.load(bytes + <usize>i);
    if (!v128.any_true(v)) {
      const o = at(out, i);
      const z = f32x4.splat(0);
      v128.store(o, z); v128.store(o, z, 16); v128.store(o, z, 32); v128.store(o, z, 48);
      continue;
    }
    const lo = i16x8.extend_low_i8x16_u(v), hi = i16x8.extend_high_i8x16_u(v);
    const o = at(out, i);
    v128.store(o, scaleU32(i32x4.extend_low_i16x8_u(lo), sv));
    v128.store(o, scaleU32(i32x4.extend_high_i16x8_u(lo), sv), 16);
    v128.store(o, scaleU32(i32x4.extend_low_i16x8_u(hi), sv), 32);
    v128.store(o, scaleU32(i32x4.extend_high_i16x8_u(hi), sv), 48);
  }
  for (let i = s16; i < size; i++) store<f32>(at(out, i), <f32>(<f64>load<u8>(bytes + <usize>i) * s));
}

/**
 * Sparse × dense, columns [j0, j1) of C: C[i, j] ← α Σ_e val[e]·B[idx[e], j] + β·C[i, j] over
 * the entries e of row i (ptr, idx, val from `compress`, in `blocks` column blocks of A; B has
 * bRows rows). Column blocks of C outside, then A's column blocks, rows inside: a block's slice
 * of B stays in L1 while every row of A uses it (threads therefore take column ranges, not rows:
 * a thread with a few rows would fetch the whole of B for them). Blocks of C are 24 columns: six
 * accumulators, a splat and six loads fit x64's 15 usable vector registers in V8 (32 columns
 * spilled two accumulators to the stack on every nonzero: 20% slower). The inner loops walk a
 * pointer rather than an index, which keeps every address in a register.
 * With `pack` (scratch of ⌈n/24⌉·bRows·96 bytes; 0: none) each block's slice of B is first
 * copied to rows of 96 bytes: in place, B's rows 1 KB apart (n = 256) put a slice's lines in 8 of
 * L1's 64 sets, and their conflict misses made the products 25–50% slower here.
 */
export function spmm(rows: i32, blocks: i32, n: i32, alpha: f32, ptr: usize, idx: usize, val: usize, b: usize, beta: f32, c: usize, bRows: i32, pack: usize, j0: i32, j1: i32): void {
  const j24 = j0 + ((j1 - j0) / 24) * 24;
  // With β = 0 the first column block of A stores its sums outright (no clearing pass, no reload
  // of C); the others, and the last columns of C, accumulate.
  const store = beta == 0;
  scaleBlock(0, rows, n, beta, c, store ? j24 : j0, j1);
  const al = f32x4.splat(alpha);
  const stride = <usize>n << 2;
  const dv = val - idx;
  for (let j = j0; j < j24; j += 24) {
    let bj = at(b, j);
    let bs = stride;
    if (pack != 0) {
      // Each 24-column block has a panel of its own, so threads on other columns never share one.
      const panel = pack + <usize>(j / 24) * <usize>bRows * 96;
      for (let r = 0; r < bRows; r++) {
        const src = bj + <usize>r * stride, dst = panel + <usize>r * 96;
        v128.store(dst, v128.load(src)); v128.store(dst, v128.load(src, 16), 16); v128.store(dst, v128.load(src, 32), 32);
        v128.store(dst, v128.load(src, 48), 48); v128.store(dst, v128.load(src, 64), 64); v128.store(dst, v128.load(src, 80), 80);
      }
      bj = panel;
      bs = 96;
    }
    for (let kb = 0; kb < blocks; kb++) {
      const set = store && kb == 0;
      const pb = at(ptr, kb * rows);
      for (let i = 0; i < rows; i++) {
        const pEnd = at(idx, load<i32>(at(pb, i + 1)));
        let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0);
        let s3 = f32x4.splat(0), s4 = f32x4.splat(0), s5 = f32x4.splat(0);
        for (let p = at(idx, load<i32>(at(pb, i))); p < pEnd; p += 4) {
          const v = v128.load32_splat(p + dv);
          const bp = bj + <usize>load<i32>(p) * bs;
          s0 = madd(v, v128.load(bp), s0); s1 = madd(v, v128.load(bp, 16), s1);
          s2 = madd(v, v128.load(bp, 32), s2); s3 = madd(v, v128.load(bp, 48), s3);
          s4 = madd(v, v128.load(bp, 64), s4); s5 = madd(v, v128.load(bp, 80), s5);
        }
        const cp = at(c, i * n + j);
        if (set) {
          v128.store(cp, f32x4.mul(al, s0)); v128.store(cp, f32x4.mul(al, s1), 16); v128.store(cp, f32x4.mul(al, s2), 32);
          v128.store(cp, f32x4.mul(al, s3), 48); v128.store(cp, f32x4.mul(al, s4), 64); v128.store(cp, f32x4.mul(al, s5), 80);
        } else {
          v128.store(cp, madd(al, s0, v128.load(cp))); v128.store(cp, madd(al, s1, v128.load(cp, 16)), 16);
          v128.store(cp, madd(al, s2, v128.load(cp, 32)), 32); v128.store(cp, madd(al, s3, v128.load(cp, 48)), 48);
          v128.store(cp, madd(al, s4, v128.load(cp, 64)), 64); v128.store(cp, madd(al, s5, v128.load(cp, 80)), 80);
        }
      }
    }
  }
  // The last columns (fewer than 24), sixteen at most at a time.
  for (let j = j24; j < j1; j += 16) {
    const jEnd = min(j + 16, j1);
    const nv = (jEnd - j + 3) >> 2;
    const bj = at(b, j);
    for (let q = 0; q < rows * blocks; q++) {
      const p0 = at(idx, load<i32>(at(ptr, q))), pEnd = at(idx, load<i32>(at(ptr, q + 1)));
      if (p0 == pEnd) continue;
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      for (let p = p0; p < pEnd; p += 4) {
        const v = v128.load32_splat(p + dv);
        const bp = bj + <usize>load<i32>(p) * stride;
        s0 = madd(v, v128.load(bp), s0);
        if (nv > 1) s1 = madd(v, v128.load(bp, 16), s1);
        if (nv > 2) s2 = madd(v, v128.load(bp, 32), s2);
        if (nv > 3) s3 = madd(v, v128.load(bp, 48), s3);
      }
      const cp = at(c, (q % rows) * n + j);
      storeLanes(cp, f32x4.mul(al, s0), jEnd - j);
      if (nv > 1) storeLanes(cp + 16, f32x4.mul(al, s1), jEnd - j - 4);
      if (nv > 2) storeLanes(cp + 32, f32x4.mul(al, s2), jEnd - j - 8);
      if (nv > 3) storeLanes(cp + 48, f32x4.mul(al, s3), jEnd - j - 12);
    }
  }
}

// ---- elementwise ------------------------------------------------------------------------------

@inline function sigmoid(x: f32): f32 {
  if (x >= 0) return 1 / (1 + Mathf.exp(-x));
  const e = Mathf.exp(x);
  return e / (1 + e);
}

// Op codes shared with wasm.ts: copy neg exp log relu step sigmoid tanh reciprocal square.
export function unary(op: i32, x: usize, out: usize, size: i32): void {
  const s4 = size & ~3;
  const zero = f32x4.splat(0), one = f32x4.splat(1);
  switch (op) {
    case 0: memory.copy(out, x, <usize>size << 2); return;
    case 1: for (let i = 0; i < s4; i += 4) v128.store(at(out, i), f32x4.neg(v128.load(at(x, i)))); break;
    case 4: for (let i = 0; i < s4; i += 4) { const v = v128.load(at(x, i)); v128.store(at(out, i), v128.and(v, f32x4.gt(v, zero))); } break;
    case 5: for (let i = 0; i < s4; i += 4) v128.store(at(out, i), v128.and(f32x4.gt(v128.load(at(x, i)), zero), one)); break;
    case 8: for (let i = 0; i < s4; i += 4) v128.store(at(out, i), f32x4.div(one, v128.load(at(x, i)))); break;
    case 9: for (let i = 0; i < s4; i += 4) { const v = v128.load(at(x, i)); v128.store(at(out, i), f32x4.mul(v, v)); } break;
    default:
      for (let i = 0; i < size; i++) {
        const v = load<f32>(at(x, i));
        let r: f32 = 0;
        if (op == 2) r = Mathf.exp(v);
        else if (op == 3) r = Mathf.log(v);
        else if (op == 6) r = sigmoid(v);
        else r = Mathf.tanh(v);
        store<f32>(at(out, i), r);
      }
      return;
  }
  for (let i = s4; i < size; i++) {
    const v = load<f32>(at(x, i));
    let r: f32 = 0;
    if (op == 1) r = -v;
    else if (op == 4) r = v > 0 ? v : 0; // NaN → 0 (the and-with-mask above does the same)
    else if (op == 5) r = v > 0 ? 1 : 0;
    else if (op == 8) r = 1 / v;
    else r = v * v;
    store<f32>(at(out, i), r);
  }
}

@inline function binaryOp(op: i32, a: f32, b: f32): f32 {
  if (op == 0) return a + b;
  if (op == 1) return a - b;
  if (op == 2) return a * b;
  if (op == 3) return a / b;
  return a == b ? 1 : 0;
}

@inline function binaryVec(op: i32, a: v128, b: v128): v128 {
  if (op == 0) return f32x4.add(a, b);
  if (op == 1) return f32x4.sub(a, b);
  if (op == 2) return f32x4.mul(a, b);
  if (op == 3) return f32x4.div(a, b);
  return v128.and(f32x4.eq(a, b), f32x4.splat(1));
}

// One run of `size` outputs; sa, sb ∈ {0, 1} are the operands' strides (0: a broadcast scalar).
function binaryRun(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, size: i32): void {
  const s4 = size & ~3;
  if (sa == 1 && sb == 1) {
    for (let i = 0; i < s4; i += 4) v128.store(at(out, i), binaryVec(op, v128.load(at(a, i)), v128.load(at(b, i))));
  } else if (sa == 1) {
    const bv = f32x4.splat(load<f32>(b));
    for (let i = 0; i < s4; i += 4) v128.store(at(out, i), binaryVec(op, v128.load(at(a, i)), bv));
  } else if (sb == 1) {
    const av = f32x4.splat(load<f32>(a));
    for (let i = 0; i < s4; i += 4) v128.store(at(out, i), binaryVec(op, av, v128.load(at(b, i))));
  } else {
    const v = binaryOp(op, load<f32>(a), load<f32>(b));
    for (let i = 0; i < size; i++) store<f32>(at(out, i), v);
    return;
  }
  for (let i = s4; i < size; i++) store<f32>(at(out, i), binaryOp(op, load<f32>(at(a, i * sa)), load<f32>(at(b, i * sb))));
}

/**
 * out = a ∘ b over a shape of rank ≤ 4 (padded with 1s in front) read through strides, given
 * as i32s at `params`: shape[4], aStrides[4], bStrides[4]. The last axis runs contiguously or
 * broadcast (strides 1 or 0), which the caller arranges by merging axes.
 */
export function binary(op: i32, a: usize, b: usize, out: usize, params: usize): void {
  const d0 = load<i32>(params), d1 = load<i32>(params, 4), d2 = load<i32>(params, 8), d3 = load<i32>(params, 12);
  const a0 = load<i32>(params, 16), a1 = load<i32>(params, 20), a2 = load<i32>(params, 24), a3 = load<i32>(params, 28);
  const b0 = load<i32>(params, 32), b1 = load<i32>(params, 36), b2 = load<i32>(params, 40), b3 = load<i32>(params, 44);
  let o = 0;
  for (let i0 = 0; i0 < d0; i0++) {
    for (let i1 = 0; i1 < d1; i1++) {
      for (let i2 = 0; i2 < d2; i2++) {
        const ao = i0 * a0 + i1 * a1 + i2 * a2;
        const bo = i0 * b0 + i1 * b1 + i2 * b2;
        binaryRun(op, at(a, ao), a3, at(b, bo), b3, at(out, o), d3);
        o += d3;
      }
    }
  }
}

export function scale(x: usize, s: f32, out: usize, size: i32): void {
  const s4 = size & ~3;
  const sv = f32x4.splat(s);
  for (let i = 0; i < s4; i += 4) v128.store(at(out, i), f32x4.mul(v128.load(at(x, i)), sv));
  for (let i = s4; i < size; i++) store<f32>(at(out, i), load<f32>(at(x, i)) * s);
}

/** y += α·x. */
export function axpy(alpha: f32, x: usize, y: usize, size: i32): void {
  const s4 = size & ~3;
  const al = f32x4.splat(alpha);
  for (let i = 0; i < s4; i += 4) v128.store(at(y, i), madd(al, v128.load(at(x, i)), v128.load(at(y, i))));
  for (let i = s4; i < size; i++) store<f32>(at(y, i), load<f32>(at(y, i)) + alpha * load<f32>(at(x, i)));
}

export function fill(out: usize, value: f32, size: i32): void {
  const s4 = size & ~3;
  const v = f32x4.splat(value);
  for (let i = 0; i < s4; i += 4) v128.store(at(out, i), v);
  for (let i = s4; i < size; i++) store<f32>(at(out, i), value);
}

/**
 * Reduces the middle axis of x seen as [outer, n, inner] (op 0: sum, 1: max, where NaN wins).
 * With inner ≥ 4 the rows are combined four lanes at a time.
 */
export function reduce(op: i32, x: usize, outer: i32, n: i32, inner: i32, out: usize): void {
  const i4 = inner & ~3;
  for (let o = 0; o < outer; o++) {
    const base = at(x, o * n * inner);
    const ob = at(out, o * inner);
    for (let i = 0; i < i4; i += 4) {
      if (op == 0) {
        // Sums accumulate in f64 (as the reference backend does): gradients of biases are sums
        // of many terms that cancel.
        let lo = f64x2.splat(0), hi = f64x2.splat(0);
        for (let r = 0; r < n; r++) {
          const v = v128.load(at(base, r * inner + i));
          lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
          hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
        }
        v128.store(at(ob, i), v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
      } else {
        let acc = f32x4.splat(-Infinity);
        for (let r = 0; r < n; r++) {
          const v = v128.load(at(base, r * inner + i));
          acc = v128.bitselect(v, f32x4.max(acc, v), f32x4.ne(v, v)); // NaN in v wins
        }
        v128.store(at(ob, i), acc);
      }
    }
    for (let i = i4; i < inner; i++) {
      if (op == 0) {
        let acc: f64 = 0;
        for (let r = 0; r < n; r++) acc += <f64>load<f32>(at(base, r * inner + i));
        store<f32>(at(ob, i), <f32>acc);
      } else {
        let acc: f32 = -Infinity;
        for (let r = 0; r < n; r++) {
          const v = load<f32>(at(base, r * inner + i));
          if (v > acc || v != v) acc = v;
        }
        store<f32>(at(ob, i), acc);
      }
    }
  }
}

/** out[r] = x[r, index[r]]. */
export function gather(x: usize, rows: i32, cols: i32, index: usize, out: usize): void {
  for (let r = 0; r < rows; r++) store<f32>(at(out, r), load<f32>(at(x, r * cols + load<i32>(at(index, r)))));
}

/** out[r, index[r]] += g[r]. */
export function scatterAdd(g: usize, rows: i32, cols: i32, index: usize, out: usize): void {
  for (let r = 0; r < rows; r++) {
    const p = at(out, r * cols + load<i32>(at(index, r)));
    store<f32>(p, load<f32>(p) + load<f32>(at(g, r)));
  }
}

/** out = xᵀ, in 8×8 blocks so that both sides stay in cache. */
export function transpose(x: usize, rows: i32, cols: i32, out: usize): void {
  for (let r0 = 0; r0 < rows; r0 += 8) {
    const r1 = min(r0 + 8, rows);
    for (let c0 = 0; c0 < cols; c0 += 8) {
      const c1 = min(c0 + 8, cols);
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) store<f32>(at(out, c * rows + r), load<f32>(at(x, r * cols + c)));
    }
  }
}

/** out = min(max(x, lo), hi); mask (unless 0) = 1 where lo ≤ x ≤ hi, else 0. */
export function clamp(x: usize, lo: f32, hi: f32, out: usize, mask: usize, size: i32): void {
  for (let i = 0; i < size; i++) {
    const v = load<f32>(at(x, i));
    store<f32>(at(out, i), v < lo ? lo : v > hi ? hi : v);
    if (mask != 0) store<f32>(at(mask, i), v >= lo && v <= hi ? 1 : 0);
  }
}

// ---- fused kernels ----------------------------------------------------------------------------

/** out[r, :] = max(0, x[r, :] + bias) in one pass (the hidden layer after its GEMM). */
export function biasRelu(x: usize, bias: usize, rows: i32, cols: i32, out: usize): void {
  const c4 = cols & ~3;
  const zero = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    const xr = at(x, r * cols), orow = at(out, r * cols);
    for (let j = 0; j < c4; j += 4) {
      const v = f32x4.add(v128.load(at(xr, j)), v128.load(at(bias, j)));
      v128.store(at(orow, j), v128.and(v, f32x4.gt(v, zero)));
    }
    for (let j = c4; j < cols; j++) {
      const v = load<f32>(at(xr, j)) + load<f32>(at(bias, j));
      store<f32>(at(orow, j), v > 0 ? v : 0);
    }
  }
}

/** out = g·[y > 0]: the ReLU backward from its output y, without a mask tensor. */
export function reluBackward(g: usize, y: usize, out: usize, size: i32): void {
  const s4 = size & ~3;
  const zero = f32x4.splat(0);
  for (let i = 0; i < s4; i += 4) v128.store(at(out, i), v128.and(v128.load(at(g, i)), f32x4.gt(v128.load(at(y, i)), zero)));
  for (let i = s4; i < size; i++) store<f32>(at(out, i), load<f32>(at(y, i)) > 0 ? load<f32>(at(g, i)) : 0);
}

// e^x for four x in [−87, 0] at once (Cephes' expf: n = round(x·log₂e), a degree-6 polynomial
// of the rest, times 2ⁿ; the softmax it serves is tested to 1e-6 relative against float64). The
// caller takes lanes below −87 (where 2ⁿ would be subnormal), and NaN, to Mathf.exp.
@inline function exp4(x: v128): v128 {
  const n = f32x4.floor(f32x4.add(f32x4.mul(x, f32x4.splat(1.44269504088896341)), f32x4.splat(0.5)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let y = f32x4.splat(1.9875691500e-4);
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(8.3333519073e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(y, r), r), r), f32x4.splat(1));
  // 2ⁿ by building its exponent bits.
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(y, scale);
}

/**
 * Softmax and cross-entropy of each row of z: probs = softmax(z) and losses[r] = −ln(probs[y] + ε)
 * when ε > 0 (the assignment's loss), else the log-softmax form −(z[y] − max − ln Σ exp(z − max)).
 * First z − (its row's max) for every entry, then e^· four at a time across rows, then each row's
 * sum (in f64), scaling and loss.
 */
export function softmaxXent(z: usize, rows: i32, cols: i32, labels: usize, eps: f64, probs: usize, losses: usize): void {
  const size = rows * cols;
  for (let r = 0; r < rows; r++) {
    const zr = at(z, r * cols), pr = at(probs, r * cols);
    let mx: f32 = -Infinity;
    for (let j = 0; j < cols; j++) { const v = load<f32>(at(zr, j)); if (v > mx || v != v) mx = v; }
    for (let j = 0; j < cols; j++) store<f32>(at(pr, j), load<f32>(at(zr, j)) - mx);
  }
  const s4 = size & ~3;
  const low = f32x4.splat(-87);
  for (let i = 0; i < s4; i += 4) {
    const p = at(probs, i);
    const x = v128.load(p);
    // NaN (a row with NaN or infinities) and very negative lanes go the scalar way.
    if (i32x4.all_true(f32x4.ge(x, low))) v128.store(p, exp4(x));
    else for (let l = 0; l < 4; l++) store<f32>(p + (<usize>l << 2), Mathf.exp(load<f32>(p + (<usize>l << 2))));
  }
  for (let i = s4; i < size; i++) store<f32>(at(probs, i), Mathf.exp(load<f32>(at(probs, i))));
  for (let r = 0; r < rows; r++) {
    const zr = at(z, r * cols), pr = at(probs, r * cols);
    let total: f64 = 0;
    for (let j = 0; j < cols; j++) total += <f64>load<f32>(at(pr, j));
    const inv = <f32>(1 / total);
    for (let j = 0; j < cols; j++) store<f32>(at(pr, j), load<f32>(at(pr, j)) * inv);
    const y = load<i32>(at(labels, r));
    let loss: f64;
    if (eps > 0) loss = -Math.log(<f64>load<f32>(at(pr, y)) + eps);
    else {
      let mx: f32 = -Infinity;
      for (let j = 0; j < cols; j++) { const v = load<f32>(at(zr, j)); if (v > mx || v != v) mx = v; }
      loss = -(<f64>(load<f32>(at(zr, y)) - mx) - Math.log(total));
    }
    store<f32>(at(losses, r), <f32>loss);
  }
}

/**
 * The gradient of Σ_r w·loss_r with respect to z from the saved probabilities:
 * dz = w·(p − onehot(y)) for the log-softmax loss, and w·p_y/(p_y + ε)·(p − onehot(y)) for the
 * assignment's −ln(p_y + ε).
 */
export function softmaxXentBackward(probs: usize, rows: i32, cols: i32, labels: usize, eps: f64, w: f32, out: usize): void {
  for (let r = 0; r < rows; r++) {
    const pr = at(probs, r * cols), orow = at(out, r * cols);
    const y = load<i32>(at(labels, r));
    const py = load<f32>(at(pr, y));
    const s: f32 = eps > 0 ? <f32>(<f64>w * <f64>py / (<f64>py + eps)) : w;
    for (let j = 0; j < cols; j++) store<f32>(at(orow, j), s * load<f32>(at(pr, j)));
    store<f32>(at(orow, y), s * (py - 1));
  }
}

/** The SGD step in one pass: param −= lr·grad, then grad = 0. */
export function sgd(lr: f32, grad: usize, param: usize, size: i32): void {
  const s4 = size & ~3;
  const nl = f32x4.splat(-lr);
  const zero = f32x4.splat(0);
  for (let i = 0; i < s4; i += 4) {
    v128.store(at(param, i), madd(nl, v128.load(at(grad, i)), v128.load(at(param, i))));
    v128.store(at(grad, i), zero);
  }
  for (let i = s4; i < size; i++) {
    store<f32>(at(param, i), load<f32>(at(param, i)) - lr * load<f32>(at(grad, i)));
    store<f32>(at(grad, i), 0);
  }
}
