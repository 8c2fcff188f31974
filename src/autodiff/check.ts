/**
 * Checks of derivatives: central finite differences, and a checker for hand-derived derivatives
 * that compares a claimed expression with autodiff at the point and at seeded random points.
 */
import { ArgumentError } from '../errors.js';
import { Random } from '../math/random.js';
import { DomainError, GraphBuilder, type Graph } from './graph.js';
import { evaluate, outputValue, reverse, type Point } from './modes.js';
import { parseInto } from './parse.js';

/** f at a point, or null where it is undefined. */
function tryValue(graph: Graph, point: Point): number | null {
  try {
    return outputValue(graph, evaluate(graph, point));
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
}

/**
 * Central differences (f(x + h) − f(x − h)) / 2h with h = 1e-6·max(1, |x|) for every variable
 * (error O(h²) + O(ε/h) ≈ 1e-10 relative); null for a variable where f is undefined at x ± h.
 */
export function finiteDifference(graph: Graph, point: Point): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const name of graph.variables) {
    const x = point[name]!;
    const h = 1e-6 * Math.max(1, Math.abs(x));
    const up = tryValue(graph, { ...point, [name]: x + h });
    const down = tryValue(graph, { ...point, [name]: x - h });
    // (x + h) − (x − h) may differ from 2h by rounding: divide by the step actually taken.
    out[name] = up === null || down === null ? null : (up - down) / (x + h - (x - h));
  }
  return out;
}

export interface DerivativeCheck {
  wrt: string;
  claimed: string;
  /** Whether the claim matches autodiff at every point checked, to `tolerance`. */
  agrees: boolean;
  /** The point with the largest discrepancy. */
  worstPoint: Record<string, number>;
  /** |claimed − autodiff| / max(1, |autodiff|) there. */
  relativeError: number;
  /** How many points were compared (the given one and the random ones). */
  points: number;
  /** Points where the claim is undefined but f is not (each counts as a disagreement). */
  undefinedAt: number;
}

/** A relative error that falls back to absolute for derivatives near 0. */
function discrepancy(claimed: number, actual: number): number {
  return Math.abs(claimed - actual) / Math.max(1, Math.abs(actual));
}

/**
 * Compares a claimed derivative d f / d wrt (an expression in f's variables) with reverse-mode
 * autodiff at `point` and at `randomPoints` seeded random points near it (each variable drawn
 * uniformly within max(1, |x|) of its value; points where f is undefined are skipped).
 * Example: `checkDerivative(parse('ln(sin(x))'), { x: 1 }, 'x', 'cos(x)/sin(x)')` agrees.
 */
export function checkDerivative(
  graph: Graph,
  point: Point,
  wrt: string,
  claimed: string,
  { randomPoints = 24, seed = 1, tolerance = 1e-9 }: { randomPoints?: number; seed?: number; tolerance?: number } = {},
): DerivativeCheck {
  if (!graph.variables.includes(wrt)) throw new ArgumentError('check', wrt, `must name a variable of the expression (${graph.variables.join(', ')})`);
  const builder = new GraphBuilder();
  const claimGraph = builder.finish(parseInto(builder, claimed));
  const unknown = claimGraph.variables.filter((v) => !graph.variables.includes(v));
  if (unknown.length > 0) throw new ArgumentError('check', claimed, `uses ${unknown.join(', ')}, which the expression does not have`);
  const rng = new Random(seed);
  const candidates: Point[] = [point];
  const scale: Record<string, number> = {};
  for (const v of graph.variables) scale[v] = Math.max(1, Math.abs(point[v]!));
  let attempts = 0;
  let worst = { error: -1, point: { ...point } as Record<string, number> };
  let compared = 0;
  let undefinedAt = 0;
  let drawn = 0;
  const consider = (p: Point): void => {
    let actual: number;
    try {
      actual = reverse(graph, p).gradient[wrt]!;
    } catch (error) {
      if (error instanceof DomainError) return; // outside f's domain: not a test point
      throw error;
    }
    compared++;
    let c: number;
    try {
      c = outputValue(claimGraph, evaluate(claimGraph, p));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      undefinedAt++;
      c = NaN;
    }
    const e = Number.isNaN(c) ? Infinity : discrepancy(c, actual);
    if (e > worst.error) worst = { error: e, point: { ...p } };
  };
  consider(candidates[0]!);
  while (drawn < randomPoints && attempts < 200 * randomPoints) {
    attempts++;
    const p: Record<string, number> = {};
    for (const v of graph.variables) p[v] = point[v]! + (2 * rng.uniform() - 1) * scale[v]!;
    const before = compared;
    consider(p);
    if (compared > before) drawn++;
  }
  return {
    wrt,
    claimed,
    agrees: worst.error <= tolerance && undefinedAt === 0,
    worstPoint: worst.point,
    relativeError: worst.error,
    points: compared,
    undefinedAt,
  };
}
