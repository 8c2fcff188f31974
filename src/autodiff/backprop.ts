/**
 * Backpropagation for the assignment's binary classifier (ASSIGNMENT §2):
 *   a₁ = W₁x + b₁,  z₁ = σ(a₁),  a₂ = W₂z₁ + b₂,  ŷ = σ(a₂),  L = −(y ln ŷ + (1−y) ln(1−ŷ)),
 * with W₁ H×M, b₁ H×1, W₂ 1×H, b₂ 1×1. The gradients are the closed-form formulas
 *   ∂L/∂b₂ = ŷ − y,  ∂L/∂W₂ʰ = (ŷ − y) z₁ʰ,  ∂L/∂b₁ʰ = (ŷ − y) W₂ʰ z₁ʰ(1 − z₁ʰ),  ∂L/∂W₁ʰʲ = ∂L/∂b₁ʰ · xʲ,
 * averaged over a batch, checked against reverse-mode autodiff on the scalar graph of the same
 * network and against central finite differences.
 */
import { ArgumentError } from '../errors.js';
import { Random } from '../math/random.js';
import { DomainError, GraphBuilder, type Operand } from './graph.js';
import { reverse } from './modes.js';

export interface MlpParams {
  W1: number[][];
  b1: number[];
  W2: number[];
  b2: number;
  /** N inputs of dimension M. */
  x: number[][];
  /** N labels, each 0 or 1. */
  y: number[];
}

export interface MlpGradients {
  W1: number[][];
  b1: number[];
  W2: number[];
  b2: number;
}

export interface BackpropResult {
  shapes: Record<'W1' | 'b1' | 'W2' | 'b2' | 'a1' | 'z1' | 'a2' | 'yhat', [number, number]>;
  /** ŷ for each input (one number when N = 1). */
  yhat: number | number[];
  /** The mean loss over the batch. */
  loss: number;
  gradients: MlpGradients;
  check: {
    /** Largest |formula − reverse-mode autodiff| over all gradient entries; null if not run. */
    autodiff: number | null;
    /** Largest |formula − central difference| over the entries checked. */
    finiteDifference: number;
    /** How many gradient entries the finite differences checked (all, or a seeded sample of big nets). */
    finiteDifferenceEntries: number;
    /** Why the autodiff check did not run, when it did not. */
    autodiffSkipped?: string;
  };
}

const sigmoid = (a: number) => (a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a)));
/** −(y ln σ(a) + (1−y) ln(1 − σ(a))) = softplus(a) − y·a, without overflow. */
const bce = (a: number, y: number) => Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a))) - y * a;

function isNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

function vector(name: string, v: unknown, length?: number): number[] {
  if (!Array.isArray(v) || !v.every(isNumber)) throw new ArgumentError(name, v === undefined ? undefined : '…', 'must be an array of finite numbers');
  if (length !== undefined && v.length !== length) throw new ArgumentError(name, `length ${v.length}`, `must have length ${length}`);
  return v as number[];
}

/** Checks a parsed params file: shapes, finite numbers, labels 0/1. `x` may be one input or N. */
export function validateParams(raw: unknown): MlpParams {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ArgumentError('params', typeof raw, 'must be a JSON object with W1, b1, W2, b2, x, y');
  const p = raw as Record<string, unknown>;
  for (const key of ['W1', 'b1', 'W2', 'b2', 'x', 'y']) if (!(key in p)) throw new ArgumentError(`params.${key}`, undefined, 'is required');
  if (!Array.isArray(p.W1) || p.W1.length === 0) throw new ArgumentError('params.W1', '…', 'must be an H×M array of arrays of numbers');
  const H = p.W1.length;
  const M = Array.isArray(p.W1[0]) ? (p.W1[0] as unknown[]).length : 0;
  if (M === 0) throw new ArgumentError('params.W1', '…', 'must be an H×M array of arrays of numbers (M >= 1)');
  const W1 = (p.W1 as unknown[]).map((row, h) => vector(`params.W1[${h}]`, row, M));
  const b1 = vector('params.b1', p.b1, H);
  const W2 = vector('params.W2', p.W2, H);
  if (!isNumber(p.b2)) throw new ArgumentError('params.b2', p.b2, 'must be a finite number');
  const single = Array.isArray(p.x) && p.x.every(isNumber);
  let x: number[][];
  if (single) x = [vector('params.x', p.x, M)];
  else if (Array.isArray(p.x) && p.x.length > 0 && p.x.every(Array.isArray)) x = p.x.map((row, n) => vector(`params.x[${n}]`, row, M));
  else throw new ArgumentError('params.x', '…', `must be M = ${M} numbers, or N arrays of M numbers`);
  const ys = single ? [p.y] : p.y;
  if (!Array.isArray(ys) || ys.length !== x.length) throw new ArgumentError('params.y', p.y, single ? 'must be 0 or 1' : `must be an array of ${x.length} labels, each 0 or 1`);
  ys.forEach((label, n) => {
    if (label !== 0 && label !== 1) throw new ArgumentError(single ? 'params.y' : `params.y[${n}]`, label, 'must be 0 or 1');
  });
  return { W1, b1, W2, b2: p.b2, x, y: ys as number[] };
}

/**
 * Random parameters and data: W₁ ~ N(0, 1/M), W₂ ~ N(0, 1/H), biases ~ N(0, 0.1²), x ~ N(0, 1),
 * y ~ Bernoulli(½), from the seeded generator.
 */
export function randomParams({ inputs, hidden, batch = 1, seed }: { inputs: number; hidden: number; batch?: number; seed: number }): MlpParams {
  const rng = new Random(seed);
  const W1 = Array.from({ length: hidden }, () => Array.from({ length: inputs }, () => rng.normal() / Math.sqrt(inputs)));
  const b1 = Array.from({ length: hidden }, () => 0.1 * rng.normal());
  const W2 = Array.from({ length: hidden }, () => rng.normal() / Math.sqrt(hidden));
  const b2 = 0.1 * rng.normal();
  const x = Array.from({ length: batch }, () => Array.from({ length: inputs }, () => rng.normal()));
  const y = Array.from({ length: batch }, () => (rng.uniform() < 0.5 ? 0 : 1));
  return { W1, b1, W2, b2, x, y };
}

/** The mean loss, by the forward formulas (used by the finite differences). */
export function meanLoss(p: MlpParams): number {
  const H = p.W1.length;
  let total = 0;
  p.x.forEach((x, n) => {
    let a2 = p.b2;
    for (let h = 0; h < H; h++) {
      let a1 = p.b1[h]!;
      const row = p.W1[h]!;
      for (let j = 0; j < x.length; j++) a1 += row[j]! * x[j]!;
      a2 += p.W2[h]! * sigmoid(a1);
    }
    total += bce(a2, p.y[n]!);
  });
  return total / p.x.length;
}

/** ŷ, the mean loss and the closed-form gradients (means over the batch). */
export function closedForm(p: MlpParams): { yhat: number[]; loss: number; gradients: MlpGradients } {
  const H = p.W1.length;
  const M = p.W1[0]!.length;
  const N = p.x.length;
  const g: MlpGradients = { W1: p.W1.map(() => new Array<number>(M).fill(0)), b1: new Array<number>(H).fill(0), W2: new Array<number>(H).fill(0), b2: 0 };
  const yhat: number[] = [];
  let loss = 0;
  const z1 = new Array<number>(H);
  p.x.forEach((x, n) => {
    let a2 = p.b2;
    for (let h = 0; h < H; h++) {
      let a1 = p.b1[h]!;
      for (let j = 0; j < M; j++) a1 += p.W1[h]![j]! * x[j]!;
      z1[h] = sigmoid(a1);
      a2 += p.W2[h]! * z1[h]!;
    }
    const out = sigmoid(a2);
    yhat.push(out);
    loss += bce(a2, p.y[n]!);
    const delta = out - p.y[n]!; // ∂L/∂b₂ = ŷ − y
    g.b2 += delta / N;
    for (let h = 0; h < H; h++) {
      g.W2[h]! += (delta * z1[h]!) / N; // (ŷ − y) z₁ʰ
      const db1 = delta * p.W2[h]! * z1[h]! * (1 - z1[h]!); // (ŷ − y) W₂ʰ z₁ʰ(1 − z₁ʰ)
      g.b1[h]! += db1 / N;
      for (let j = 0; j < M; j++) g.W1[h]![j]! += (db1 * x[j]!) / N; // ∂L/∂b₁ʰ · xʲ
    }
  });
  return { yhat, loss: loss / N, gradients: g };
}

const AUTODIFF_NODE_LIMIT = 2_000_000;
const FINITE_DIFFERENCE_ENTRIES = 2000;

/** The gradient entries in a fixed order: W1 row by row, b1, W2, b2. */
function flatten(g: MlpGradients): number[] {
  return [...g.W1.flat(), ...g.b1, ...g.W2, g.b2];
}

/** Reverse-mode autodiff of the mean loss on the scalar graph of the network. */
function autodiffGradient(p: MlpParams): number[] {
  const H = p.W1.length;
  const M = p.W1[0]!.length;
  const b = new GraphBuilder();
  const W1 = p.W1.map((row, h) => row.map((_, j) => b.variable(`W1_${h}_${j}`)));
  const b1 = p.b1.map((_, h) => b.variable(`b1_${h}`));
  const W2 = p.W2.map((_, h) => b.variable(`W2_${h}`));
  const b2 = b.variable('b2');
  let total: Operand | null = null;
  p.x.forEach((x, n) => {
    let a2: Operand = b2;
    for (let h = 0; h < H; h++) {
      let a1: Operand = b1[h]!;
      for (let j = 0; j < M; j++) a1 = b.apply('add', a1, b.apply('mul', W1[h]![j]!, b.constant(x[j]!)));
      a2 = b.apply('add', a2, b.apply('mul', W2[h]!, b.apply('sigmoid', a1)));
    }
    const yhat = b.apply('sigmoid', a2);
    // L = −(y ln ŷ + (1−y) ln(1−ŷ)), one of whose terms vanishes for a 0/1 label.
    const loss = p.y[n] === 1 ? b.apply('neg', b.apply('ln', yhat)) : b.apply('neg', b.apply('ln', b.apply('sub', b.constant(1), yhat)));
    total = total === null ? loss : b.apply('add', total, loss);
  });
  const graph = b.finish(b.apply('mul', total!, b.constant(1 / p.x.length)));
  const point: Record<string, number> = { b2: p.b2 };
  for (let h = 0; h < H; h++) {
    point[`b1_${h}`] = p.b1[h]!;
    point[`W2_${h}`] = p.W2[h]!;
    for (let j = 0; j < M; j++) point[`W1_${h}_${j}`] = p.W1[h]![j]!;
  }
  const { gradient } = reverse(graph, point);
  const names = [...p.W1.flatMap((row, h) => row.map((_, j) => `W1_${h}_${j}`)), ...p.b1.map((_, h) => `b1_${h}`), ...p.W2.map((_, h) => `W2_${h}`), 'b2'];
  return names.map((n) => gradient[n]!);
}

/** Central differences of the mean loss, on every entry or a seeded sample of them. */
function finiteDifferenceMaxError(p: MlpParams, formula: number[], seed: number): { error: number; entries: number } {
  const H = p.W1.length;
  const M = p.W1[0]!.length;
  const total = formula.length;
  let indices = Array.from({ length: total }, (_, i) => i);
  if (total > FINITE_DIFFERENCE_ENTRIES) indices = new Random(seed).shuffle(indices).slice(0, FINITE_DIFFERENCE_ENTRIES);
  // Entry i addresses W1 (row-major), then b1, W2, b2.
  const access = (i: number): [number[], number] => {
    if (i < H * M) return [p.W1[Math.floor(i / M)]!, i % M];
    if (i < H * M + H) return [p.b1, i - H * M];
    if (i < H * M + 2 * H) return [p.W2, i - H * M - H];
    return [[p.b2], 0];
  };
  let error = 0;
  for (const i of indices) {
    const [arr, k] = access(i);
    const isB2 = i === total - 1;
    const x0 = isB2 ? p.b2 : arr[k]!;
    const h = 1e-6 * Math.max(1, Math.abs(x0));
    const set = (v: number) => {
      if (isB2) p.b2 = v;
      else arr[k] = v;
    };
    set(x0 + h);
    const up = meanLoss(p);
    set(x0 - h);
    const down = meanLoss(p);
    set(x0);
    error = Math.max(error, Math.abs((up - down) / (x0 + h - (x0 - h)) - formula[i]!));
  }
  return { error, entries: indices.length };
}

/** Everything `bayesprop backprop` reports. */
export function backprop(params: MlpParams, { seed = 1 }: { seed?: number } = {}): BackpropResult {
  const p: MlpParams = { ...params, W1: params.W1.map((r) => [...r]), b1: [...params.b1], W2: [...params.W2] };
  const H = p.W1.length;
  const M = p.W1[0]!.length;
  const N = p.x.length;
  const { yhat, loss, gradients } = closedForm(p);
  const formula = flatten(gradients);
  const check: BackpropResult['check'] = { autodiff: null, finiteDifference: 0, finiteDifferenceEntries: 0 };
  if (N * H * (M + 2) > AUTODIFF_NODE_LIMIT) {
    check.autodiffSkipped = `the scalar graph would have ${N * H * (M + 2)} nodes (limit ${AUTODIFF_NODE_LIMIT})`;
  } else {
    try {
      const ad = autodiffGradient(p);
      check.autodiff = Math.max(...ad.map((v, i) => Math.abs(v - formula[i]!)));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      check.autodiffSkipped = `autodiff hit ${error.message} (ŷ rounds to 0 or 1 in double precision)`;
    }
  }
  const fd = finiteDifferenceMaxError(p, formula, seed);
  check.finiteDifference = fd.error;
  check.finiteDifferenceEntries = fd.entries;
  return {
    shapes: { W1: [H, M], b1: [H, 1], W2: [1, H], b2: [1, 1], a1: [H, N], z1: [H, N], a2: [1, N], yhat: [1, N] },
    yhat: N === 1 ? yhat[0]! : yhat,
    loss,
    gradients,
    check,
  };
}
