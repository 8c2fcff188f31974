/**
 * Everything `bayesprop autodiff` reports, as plain data: value, gradient, the trace of the
 * chosen mode, finite differences and derivative checks.
 * Example: `autodiffReport({ expression: 'ln(sin(x1)) + x1*exp(x2)', at: 'x1=pi/6,x2=1', mode: 'forward' })`.
 */
import { ArgumentError } from '../errors.js';
import { checkDerivative, finiteDifference, type DerivativeCheck } from './check.js';
import { GraphBuilder, type Graph } from './graph.js';
import { forward, reverse, type Point } from './modes.js';
import { parse, parseInto, ParseError } from './parse.js';
import { traceRows, type Mode, type TraceRow } from './trace.js';

export interface AutodiffReport {
  expression: string;
  point: Record<string, number>;
  value: number;
  gradient: Record<string, number>;
  mode: Mode;
  /** The input of forward mode (null in reverse mode). */
  wrt: string | null;
  trace: TraceRow[];
  finiteDifference: Record<string, number | null>;
  checks: DerivativeCheck[];
}

/**
 * Parses `x1=pi/6, x2=1` into a point; each value is a constant expression.
 */
export function parseAssignments(text: string): Record<string, number> {
  const point: Record<string, number> = {};
  const example = 'NAME=VALUE pairs separated by commas, e.g. x1=pi/6,x2=1';
  if (text.trim() === '') return point;
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new ArgumentError('at', part.trim(), `expected ${example}`);
    const name = part.slice(0, eq).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || name === 'pi' || name === 'e') throw new ArgumentError('at', part.trim(), `${JSON.stringify(name)} is not a variable name; expected ${example}`);
    if (name in point) throw new ArgumentError('at', name, 'is given twice');
    const builder = new GraphBuilder();
    let value;
    try {
      value = parseInto(builder, part.slice(eq + 1));
    } catch (error) {
      if (error instanceof ParseError) throw new ArgumentError('at', part.trim(), `the value of ${name}: ${error.message}`);
      throw error;
    }
    if (value.kind !== 'const') throw new ArgumentError('at', part.trim(), 'a value must be a number or a constant expression such as pi/6');
    point[name] = value.value;
  }
  return point;
}

/** Parses `NAME=<expression>` of a --check claim. */
export function parseClaim(text: string): { wrt: string; claimed: string } {
  const eq = text.indexOf('=');
  const name = eq < 0 ? '' : text.slice(0, eq).trim();
  if (eq < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ArgumentError('check', text, 'expected NAME=<claimed derivative>, e.g. x1=cos(x1)/sin(x1) + exp(x2)');
  return { wrt: name, claimed: text.slice(eq + 1).trim() };
}

export interface AutodiffRequest {
  expression: string;
  /** The point, as a map or as `x1=pi/6,x2=1`. */
  at: Point | string;
  mode?: Mode;
  /** Forward mode's input; default the first variable. */
  wrt?: string;
  /** Claimed derivatives `NAME=<expression>`. */
  checks?: string[];
  seed?: number;
}

export function autodiffReport(request: AutodiffRequest): AutodiffReport & { graph: Graph } {
  const graph = parse(request.expression);
  const point = typeof request.at === 'string' ? parseAssignments(request.at) : { ...request.at };
  const extra = Object.keys(point).filter((k) => !graph.variables.includes(k));
  if (extra.length > 0) throw new ArgumentError('at', extra[0], `is not a variable of the expression (${graph.variables.join(', ') || 'none'})`);
  const missing = graph.variables.filter((v) => !(v in point));
  if (missing.length > 0) throw new ArgumentError('at', missing[0], `has no value; the expression uses ${graph.variables.join(', ')}`);
  const mode = request.mode ?? 'reverse';
  const rev = reverse(graph, point);
  let trace: TraceRow[];
  let wrt: string | null = null;
  if (mode === 'forward') {
    wrt = request.wrt ?? graph.variables[0] ?? null;
    if (wrt === null) throw new ArgumentError('expression', request.expression, 'has no variable to differentiate with respect to');
    const fwd = forward(graph, point, wrt);
    trace = traceRows(graph, fwd.values, 'forward', fwd.tangents, wrt);
  } else {
    if (request.wrt !== undefined && !graph.variables.includes(request.wrt)) throw new ArgumentError('wrt', request.wrt, `must be a variable of the expression (${graph.variables.join(', ')})`);
    trace = traceRows(graph, rev.values, 'reverse', rev.adjoints);
  }
  const checks = (request.checks ?? []).map((c) => {
    const { wrt: name, claimed } = parseClaim(c);
    try {
      return checkDerivative(graph, point, name, claimed, { seed: request.seed ?? 1 });
    } catch (error) {
      if (error instanceof ParseError) throw new ParseError(error.source, error.column, `${error.reason} (in the claimed derivative of ${name})`);
      throw error;
    }
  });
  return {
    expression: request.expression,
    point,
    value: rev.value,
    gradient: rev.gradient,
    mode,
    wrt,
    trace,
    finiteDifference: finiteDifference(graph, point),
    checks,
    graph,
  };
}
