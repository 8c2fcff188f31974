/**
 * The reference backend: plain TypeScript loops over typed arrays. Always correct; other
 * backends must match it to 1e-5 relative on the conformance suite.
 */
import type { AllocOptions, Backend, BinaryKernel, DType, ReduceKernel, Storage, UnaryKernel } from '../backend.js';

const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

const UNARY: Record<UnaryKernel, (x: number) => number> = {
  copy: (x) => x,
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  relu: (x) => (x > 0 ? x : 0),
  step: (x) => (x > 0 ? 1 : 0),
  sigmoid,
  tanh: Math.tanh,
  reciprocal: (x) => 1 / x,
  square: (x) => x * x,
};

export class JsBackend implements Backend {
  readonly name: string = 'js';

  alloc(size: number, dtype: DType, _options?: AllocOptions): Storage {
    return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
  }

  /** Typed arrays are the garbage collector's: nothing to release. */
  scope<T>(fn: () => T): T {
    return fn();
  }

  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Storage, b: Storage, beta: number, c: Storage): void {
    if (beta === 0) c.fill(0, 0, m * n);
    else if (beta !== 1) for (let i = 0; i < m * n; i++) c[i]! *= beta;
    if (!transA && !transB) {
      // i-k-j order: the inner loop runs along rows of B and C. A zero in A skips a whole row
      // of B (MNIST inputs are ~81% zeros).
      for (let i = 0; i < m; i++) {
        const ci = i * n;
        for (let p = 0; p < k; p++) {
          const av = a[i * k + p]!;
          if (av === 0) continue;
          const s = alpha * av;
          const bp = p * n;
          for (let j = 0; j < n; j++) c[ci + j]! += s * b[bp + j]!;
        }
      }
    } else if (transA && !transB) {
      // C = Aᵀ B with A stored k×m: accumulate outer products of rows of A and B.
      for (let p = 0; p < k; p++) {
        const ap = p * m;
        const bp = p * n;
        for (let i = 0; i < m; i++) {
          const av = a[ap + i]!;
          if (av === 0) continue;
          const s = alpha * av;
          const ci = i * n;
          for (let j = 0; j < n; j++) c[ci + j]! += s * b[bp + j]!;
        }
      }
    } else if (!transA && transB) {
      // C = A Bᵀ with B stored n×k: dot products of rows.
      for (let i = 0; i < m; i++) {
        const ai = i * k;
        for (let j = 0; j < n; j++) {
          const bj = j * k;
          let s = 0;
          for (let p = 0; p < k; p++) s += a[ai + p]! * b[bj + p]!;
          c[i * n + j]! += alpha * s;
        }
      }
    } else {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += a[p * m + i]! * b[j * k + p]!;
          c[i * n + j]! += alpha * s;
        }
      }
    }
  }

  unary(op: UnaryKernel, x: Storage, out: Storage): void {
    const f = UNARY[op];
    for (let i = 0; i < x.length; i++) out[i] = f(x[i]!);
  }

  binary(op: BinaryKernel, a: Storage, aStrides: readonly number[], b: Storage, bStrides: readonly number[], out: Storage, shape: readonly number[]): void {
    const size = out.length;
    const contiguous = (strides: readonly number[]) => {
      let expected = 1;
      for (let d = shape.length - 1; d >= 0; d--) {
        if (shape[d] !== 1 && strides[d] !== expected) return false;
        expected *= shape[d]!;
      }
      return true;
    };
    if (contiguous(aStrides) && contiguous(bStrides)) {
      binaryLoop(op, a, b, out, size);
      return;
    }
    // Fast path: a contiguous [rows, cols] and b a row vector broadcast down the rows (bias).
    if (shape.length === 2 && contiguous(aStrides) && bStrides[0] === 0 && bStrides[1] === 1) {
      const [rows, cols] = shape as [number, number];
      for (let r = 0; r < rows; r++) binaryRow(op, a, r * cols, b, 0, out, r * cols, cols);
      return;
    }
    // General strided walk with an odometer over the shape.
    const rank = shape.length;
    const index = new Array<number>(rank).fill(0);
    let ai = 0;
    let bi = 0;
    const f = BINARY[op];
    for (let i = 0; i < size; i++) {
      out[i] = f(a[ai]!, b[bi]!);
      for (let d = rank - 1; d >= 0; d--) {
        index[d]!++;
        ai += aStrides[d]!;
        bi += bStrides[d]!;
        if (index[d]! < shape[d]!) break;
        ai -= aStrides[d]! * shape[d]!;
        bi -= bStrides[d]! * shape[d]!;
        index[d] = 0;
      }
    }
  }

  scale(x: Storage, s: number, out: Storage): void {
    for (let i = 0; i < x.length; i++) out[i] = x[i]! * s;
  }

  axpy(alpha: number, x: Storage, y: Storage): void {
    for (let i = 0; i < x.length; i++) y[i]! += alpha * x[i]!;
  }

  reduce(op: ReduceKernel, x: Storage, outer: number, n: number, inner: number, out: Storage): void {
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        let acc = op === 'sum' ? 0 : -Infinity;
        if (op === 'sum') for (let r = 0; r < n; r++) acc += x[base + r * inner]!;
        else
          for (let r = 0; r < n; r++) {
            const v = x[base + r * inner]!;
            if (v > acc || Number.isNaN(v)) acc = v;
          }
        out[o * inner + i] = acc;
      }
    }
  }

  gather(x: Storage, rows: number, cols: number, index: Int32Array, out: Storage): void {
    for (let r = 0; r < rows; r++) out[r] = x[r * cols + index[r]!]!;
  }

  scatterAdd(g: Storage, rows: number, cols: number, index: Int32Array, out: Storage): void {
    for (let r = 0; r < rows; r++) out[r * cols + index[r]!]! += g[r]!;
  }

  transpose(x: Storage, rows: number, cols: number, out: Storage): void {
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = x[r * cols + c]!;
  }

  clamp(x: Storage, lo: number, hi: number, out: Storage, mask?: Storage): void {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = v < lo ? lo : v > hi ? hi : v;
      if (mask) mask[i] = v >= lo && v <= hi ? 1 : 0;
    }
  }

  fill(out: Storage, value: number): void {
    out.fill(value);
  }

  fromBytes(bytes: Uint8Array, s: number, out: Storage): void {
    for (let i = 0; i < bytes.length; i++) out[i] = bytes[i]! * s;
  }

  biasRelu(x: Storage, bias: Storage, rows: number, cols: number, out: Storage): void {
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < cols; j++) {
        const v = x[r * cols + j]! + bias[j]!;
        out[r * cols + j] = v > 0 ? v : 0;
      }
    }
  }

  reluBackward(g: Storage, y: Storage, out: Storage): void {
    for (let i = 0; i < g.length; i++) out[i] = y[i]! > 0 ? g[i]! : 0;
  }

  softmaxCrossEntropy(z: Storage, rows: number, cols: number, labels: Int32Array, epsilon: number, probs: Storage, losses: Storage): void {
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let max = -Infinity;
      for (let j = 0; j < cols; j++) if (z[o + j]! > max || Number.isNaN(z[o + j]!)) max = z[o + j]!;
      let total = 0;
      for (let j = 0; j < cols; j++) {
        probs[o + j] = Math.exp(z[o + j]! - max);
        total += probs[o + j]!;
      }
      for (let j = 0; j < cols; j++) probs[o + j]! /= total;
      const y = labels[r]!;
      losses[r] = epsilon > 0 ? -Math.log(probs[o + y]! + epsilon) : -(z[o + y]! - max - Math.log(total));
    }
  }

  softmaxCrossEntropyBackward(probs: Storage, rows: number, cols: number, labels: Int32Array, epsilon: number, w: number, out: Storage): void {
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      const y = labels[r]!;
      const py = probs[o + y]!;
      // d(−ln(p_y + ε))/dz_j = −p_y/(p_y + ε)·(δ_yj − p_j); ε = 0 gives p − onehot(y).
      const s = epsilon > 0 ? (w * py) / (py + epsilon) : w;
      for (let j = 0; j < cols; j++) out[o + j] = s * probs[o + j]!;
      out[o + y] = s * (py - 1);
    }
  }

  sgd(lr: number, grad: Storage, param: Storage): void {
    for (let i = 0; i < param.length; i++) {
      param[i]! -= lr * grad[i]!;
      grad[i] = 0;
    }
  }
}

const BINARY: Record<BinaryKernel, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  eq: (a, b) => (a === b ? 1 : 0),
};

function binaryLoop(op: BinaryKernel, a: Storage, b: Storage, out: Storage, size: number): void {
  binaryRow(op, a, 0, b, 0, out, 0, size);
}

/** One contiguous run; the switch is outside the loop so each loop is monomorphic. */
function binaryRow(op: BinaryKernel, a: Storage, ao: number, b: Storage, bo: number, out: Storage, oo: number, n: number): void {
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[oo + i] = a[ao + i]! + b[bo + i]!;
      return;
    case 'sub':
      for (let i = 0; i < n; i++) out[oo + i] = a[ao + i]! - b[bo + i]!;
      return;
    case 'mul':
      for (let i = 0; i < n; i++) out[oo + i] = a[ao + i]! * b[bo + i]!;
      return;
    case 'div':
      for (let i = 0; i < n; i++) out[oo + i] = a[ao + i]! / b[bo + i]!;
      return;
    case 'eq':
      for (let i = 0; i < n; i++) out[oo + i] = a[ao + i] === b[bo + i] ? 1 : 0;
      return;
  }
}
