/**
 * Evaluation, forward mode and reverse mode on a graph. Both modes read the same rule table: the
 * local partials ∂vᵢ/∂vⱼ of every node are computed once from its rule, then forward mode pushes
 * tangents v̇ᵢ = Σⱼ ∂vᵢ/∂vⱼ · v̇ⱼ up the graph (one input direction per sweep), and reverse mode
 * pulls adjoints v̄ⱼ += v̄ᵢ · ∂vᵢ/∂vⱼ down it (the whole gradient in one sweep).
 * Example:
 *   const g = parse('ln(sin(x1)) + x1*exp(x2)');
 *   forward(g, { x1: Math.PI / 6, x2: 1 }, 'x1').tangent;   // √3 + e
 *   reverse(g, { x1: Math.PI / 6, x2: 1 }).gradient;         // { x1: 4.45…, x2: 1.42… }
 */
import { ArgumentError } from '../errors.js';
import { DomainError, definition, type Graph, type Operand } from './graph.js';
import { RULES } from './primitives/index.js';

export type Point = Readonly<Record<string, number>>;

function operandValue(values: Float64Array, o: Operand): number {
  return o.kind === 'node' ? values[o.index]! : o.value;
}

function checkPoint(graph: Graph, point: Point): void {
  for (const name of graph.variables) {
    const x = point[name];
    if (x === undefined) throw new ArgumentError(name, undefined, 'needs a value: the expression uses it');
    if (!Number.isFinite(x)) throw new ArgumentError(name, x, 'must be a finite number');
  }
}

/** The value of every node at `point`; a value that is undefined raises DomainError naming the node. */
export function evaluate(graph: Graph, point: Point): Float64Array {
  checkPoint(graph, point);
  const values = new Float64Array(graph.nodes.length);
  const args: number[] = [];
  graph.nodes.forEach((node, i) => {
    if (node.kind === 'var') {
      values[i] = point[node.name!]!;
      return;
    }
    const rule = RULES[node.op!];
    args.length = 0;
    for (const o of node.operands) args.push(operandValue(values, o));
    const reason = rule.domain?.(args);
    if (reason) throw new DomainError(node.id, definition(graph, node), `${reason} (${describeArgs(graph, node.operands, values)})`);
    const v = rule.value(args);
    if (!Number.isFinite(v)) throw new DomainError(node.id, definition(graph, node), `the value is ${v} (${describeArgs(graph, node.operands, values)})`);
    values[i] = v;
  });
  return values;
}

function describeArgs(graph: Graph, operands: Operand[], values: Float64Array): string {
  return operands
    .filter((o) => o.kind === 'node')
    .map((o) => `${graph.nodes[(o as { index: number }).index]!.id} = ${values[(o as { index: number }).index]}`)
    .join(', ');
}

/** The value of the output at `point`. */
export function outputValue(graph: Graph, values: Float64Array): number {
  return operandValue(values, graph.output);
}

/** ∂vᵢ/∂(operand j) for every node i and each of its operands, from the rule table. */
export function localPartials(graph: Graph, values: Float64Array): number[][] {
  const args: number[] = [];
  return graph.nodes.map((node, i) => {
    if (node.kind === 'var') return [];
    const rule = RULES[node.op!];
    args.length = 0;
    for (const o of node.operands) args.push(operandValue(values, o));
    const reason = rule.partialsDomain?.(args, node.live);
    if (reason) throw new DomainError(node.id, definition(graph, node), reason);
    const partials = rule.partials(args, values[i]!);
    partials.forEach((p, j) => {
      if (node.live[j] && !Number.isFinite(p)) throw new DomainError(node.id, definition(graph, node), `its derivative is ${p}`);
    });
    return partials;
  });
}

export interface ForwardResult {
  value: number;
  values: Float64Array;
  /** v̇ᵢ = dvᵢ/d(wrt) for every node. */
  tangents: Float64Array;
  /** d(output)/d(wrt). */
  tangent: number;
  wrt: string;
}

/** Forward mode (dual numbers): values and tangents with respect to one input. */
export function forward(graph: Graph, point: Point, wrt: string): ForwardResult {
  if (!graph.variables.includes(wrt)) throw new ArgumentError('wrt', wrt, `must be a variable of the expression (${graph.variables.join(', ') || 'none'})`);
  const values = evaluate(graph, point);
  const partials = localPartials(graph, values);
  const tangents = new Float64Array(graph.nodes.length);
  graph.nodes.forEach((node, i) => {
    if (node.kind === 'var') {
      tangents[i] = node.name === wrt ? 1 : 0;
      return;
    }
    let t = 0;
    node.operands.forEach((o, j) => {
      if (o.kind === 'node') t += partials[i]![j]! * tangents[o.index]!;
    });
    tangents[i] = t;
  });
  const out = graph.output;
  return {
    value: outputValue(graph, values),
    values,
    tangents,
    tangent: out.kind === 'node' ? tangents[out.index]! : 0,
    wrt,
  };
}

export interface ReverseResult {
  value: number;
  values: Float64Array;
  /** v̄ᵢ = d(output)/dvᵢ for every node. */
  adjoints: Float64Array;
  /** d(output)/d(variable) for every variable. */
  gradient: Record<string, number>;
}

/** Reverse mode (adjoints): the value and the whole gradient in one backward sweep. */
export function reverse(graph: Graph, point: Point): ReverseResult {
  const values = evaluate(graph, point);
  const partials = localPartials(graph, values);
  const adjoints = new Float64Array(graph.nodes.length);
  if (graph.output.kind === 'node') adjoints[graph.output.index] = 1;
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i]!;
    const a = adjoints[i]!;
    node.operands.forEach((o, j) => {
      if (o.kind === 'node') adjoints[o.index]! += a * partials[i]![j]!;
    });
  }
  const gradient: Record<string, number> = {};
  graph.nodes.forEach((node, i) => {
    if (node.kind === 'var') gradient[node.name!] = adjoints[i]!;
  });
  return { value: outputValue(graph, values), values, adjoints, gradient };
}
