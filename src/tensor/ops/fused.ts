/**
 * Fused ops for the MLP's hot path. Each equals a composition of primitives (tested against it
 * and against finite differences) but runs as one backend kernel forward and one backward, so
 * the intermediate tensors of the composition are never written.
 */
import { ArgumentError } from '../../errors.js';
import { record } from '../autograd.js';
import { Tensor } from '../tensor.js';
import { checkRowIndices, checkSameKind, empty, reduceAxis, reshapeRaw } from './util.js';

/** relu(x + b) for x [rows, cols] and a bias b [cols]. VJP: dz = g·[out > 0]; dx = dz, db = Σ_rows dz. */
export function biasRelu(x: Tensor, b: Tensor): Tensor {
  checkSameKind('biasRelu', x, b);
  if (x.rank !== 2 || b.rank !== 1 || b.shape[0] !== x.shape[1]) {
    throw new ArgumentError('biasRelu', `shapes [${x.shape.join(', ')}] and [${b.shape.join(', ')}]`, 'needs x [rows, cols] and a bias [cols]');
  }
  const [rows, cols] = x.shape as [number, number];
  const out = empty(x, x.shape);
  x.backend.biasRelu(x.data, b.data, rows, cols, out.data);
  return record(out, 'biasRelu', [x, b], (g) => {
    const dz = empty(x, x.shape);
    x.backend.reluBackward(g.data, out.data, dz.data);
    return [x.requiresGrad ? dz : null, b.requiresGrad ? reshapeRaw(reduceAxis(dz, 0), b.shape) : null];
  });
}

export interface SoftmaxCrossEntropy {
  /** The mean loss over the rows (a one-element tensor of shape []). */
  loss: Tensor;
  /** softmax(logits), without a gradient (the scores for accuracy). */
  probabilities: Tensor;
}

/**
 * Softmax and the mean cross-entropy over the rows in one kernel. With `epsilon` > 0 the loss is
 * the assignment's −ln(softmax(z)[y] + ε) (equal to `assignmentLoss(softmax(z), y)` for
 * ε = 1e−12); with 0 it is −log softmax(z)[y] (equal to `crossEntropyFromLogits`).
 * VJP: dz = (g/rows)·s·(p − onehot(y)) with s = p_y/(p_y + ε).
 */
export function softmaxCrossEntropy(logits: Tensor, labels: Int32Array, { epsilon = 0 }: { epsilon?: number } = {}): SoftmaxCrossEntropy {
  if (logits.rank !== 2) throw new ArgumentError('softmaxCrossEntropy', `shape [${logits.shape.join(', ')}]`, 'needs 2-D logits [rows, classes]');
  const [rows, cols] = logits.shape as [number, number];
  checkRowIndices('softmaxCrossEntropy', 'label', labels, rows, cols);
  if (!(epsilon >= 0) || !Number.isFinite(epsilon)) throw new ArgumentError('epsilon', epsilon, 'must be a finite number ≥ 0');
  const probabilities = empty(logits, logits.shape);
  const losses = empty(logits, [rows]);
  logits.backend.softmaxCrossEntropy(logits.data, rows, cols, labels, epsilon, probabilities.data, losses.data);
  let total = 0;
  for (let r = 0; r < rows; r++) total += losses.data[r]!;
  const loss = new Tensor(logits.backend.alloc(1, logits.dtype), [], logits.backend);
  loss.data[0] = total / rows;
  record(loss, 'softmaxCrossEntropy', [logits], (g) => {
    const dz = empty(logits, logits.shape);
    logits.backend.softmaxCrossEntropyBackward(probabilities.data, rows, cols, labels, epsilon, g.data[0]! / rows, dz.data);
    return [dz];
  });
  return { loss, probabilities };
}
