import { ArgumentError } from '../../errors.js';
import { isGradEnabled, record } from '../autograd.js';
import type { SparseMatrix } from '../backend.js';
import type { GradTarget, Tensor } from '../tensor.js';
import { checkSameKind, empty } from './util.js';

export interface MatmulOptions {
  /** Use aᵀ (a stored k×m). */
  transA?: boolean;
  /** Use bᵀ (b stored n×k). */
  transB?: boolean;
}

/**
 * op(a)·op(b) for 2-D tensors, op = transpose when asked (no copy is made).
 * VJP of C = op(A)·op(B) with upstream G: dop(A) = G·op(B)ᵀ and dop(B) = op(A)ᵀ·G, each again a
 * matmul with transpose flags (so Xᵀ·dH and dH·W₂ᵀ need no copies either).
 * Example: `matmul(x, w1)` for x [N, 784], w1 [784, 256].
 */
export function matmul(a: Tensor, b: Tensor, { transA = false, transB = false }: MatmulOptions = {}): Tensor {
  checkSameKind('matmul', a, b);
  if (a.rank !== 2 || b.rank !== 2) throw new ArgumentError('matmul', `shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`, 'needs 2-D tensors');
  const [m, k] = transA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const [k2, n] = transB ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
  if (k !== k2) {
    throw new ArgumentError('matmul', `shapes [${a.shape.join(', ')}]${transA ? 'ᵀ' : ''} and [${b.shape.join(', ')}]${transB ? 'ᵀ' : ''}`, `inner dimensions must agree (${k} vs ${k2})`);
  }
  const out = empty(a, [m, n]);
  // An operand that wants no gradient (an input batch) may be mostly zeros: a backend with a
  // sparse path compresses it once, for this product and for b's gradient op(a)ᵀ·g.
  const sparse = !a.requiresGrad && !transB && a.backend.sparse ? a.backend.sparse(a.data, a.shape[0]!, a.shape[1]!, { transposed: !transA && b.requiresGrad && isGradEnabled() }) : null;
  if (sparse) a.backend.sparseGemm!(sparse, transA, n, 1, b.data, 0, out.data);
  else a.backend.gemm(transA, transB, m, n, k, 1, a.data, b.data, 0, out.data);
  // Each gradient is itself a product; a parameter's gradient is added straight into its .grad,
  // or times −lr into the parameter (β = 1), when autograd offers it, instead of being made and
  // then added in another pass.
  return record(out, 'matmul', [a, b], (g, into) => [
    a.requiresGrad ? (transA ? product(b, g, transB, true, into?.[0]) : product(g, b, false, !transB, into?.[0])) : null,
    b.requiresGrad ? (sparse ? sparseProduct(a, sparse, !transA, g, into?.[1]) : transB ? product(g, a, true, transA, into?.[1]) : product(a, g, !transA, false, into?.[1])) : null,
  ]);
}

/** op(x)·op(y), times alpha added into `into` when given (and returned), else a new tensor. */
function product(x: Tensor, y: Tensor, transX: boolean, transY: boolean, into?: GradTarget | null): Tensor {
  if (!into) return matmul(x, y, { transA: transX, transB: transY });
  const [m, k] = transX ? [x.shape[1]!, x.shape[0]!] : [x.shape[0]!, x.shape[1]!];
  const n = transY ? y.shape[0]! : y.shape[1]!;
  x.backend.gemm(transX, transY, m, n, k, into.alpha, x.data, y.data, 1, into.tensor.data);
  return into.tensor;
}

/** op(S)·g for S, the compressed form of a (op = transpose when trans), times alpha added into `into` when given. */
function sparseProduct(a: Tensor, s: SparseMatrix, trans: boolean, g: Tensor, into?: GradTarget | null): Tensor {
  const out = into?.tensor ?? empty(g, [trans ? a.shape[1]! : a.shape[0]!, g.shape[1]!]);
  a.backend.sparseGemm!(s, trans, g.shape[1]!, into?.alpha ?? 1, g.data, into ? 1 : 0, out.data);
  return out;
}
