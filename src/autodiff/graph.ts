/**
 * Computational graphs of scalar expressions: a DAG of primitives in which a repeated variable or
 * subexpression is one node. Nodes are numbered v1, v2, … in a left-to-right post-order walk
 * from the output, each node at its first visit (for ln(sin(x1)) + x1·exp(x2) that is the
 * assignment's v1..v7). Constants are not nodes: they appear inline in the definitions.
 * Example:
 *   const g = new GraphBuilder();
 *   const x = g.variable('x');
 *   const graph = g.finish(g.apply('mul', x, g.apply('sin', x)));   // v1 = x, v2 = sin v1, v3 = v1 · v2
 */
import { RULES, type PrimitiveName } from './primitives/index.js';

/** An operand: a node of the graph, or a constant with the text it was written as. */
export type Operand = { kind: 'node'; index: number } | { kind: 'const'; value: number; text: string };

export interface GraphNode {
  /** `v1`, `v2`, …: the node's number in the post-order walk. */
  id: string;
  kind: 'var' | 'op';
  /** The variable's name (kind 'var'). */
  name?: string;
  /** The primitive (kind 'op'). */
  op?: PrimitiveName;
  operands: Operand[];
  /** Whether each operand depends on a variable (constants and constant subgraphs do not). */
  live: boolean[];
}

export interface Graph {
  /** In evaluation order: every operand of a node comes before it. */
  nodes: GraphNode[];
  output: Operand;
  /** The variables in order of first appearance (left to right). */
  variables: string[];
}

/** A value that is undefined at the given point, with the node where it happened. */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly node: string,
    readonly definition: string,
    readonly reason: string,
  ) {
    super(`${definition}: ${reason}`);
  }
}

interface BuildNode {
  kind: 'var' | 'op';
  name?: string;
  op?: PrimitiveName;
  operands: Operand[];
}

/** Builds a graph node by node, sharing repeated variables and subexpressions. */
export class GraphBuilder {
  private readonly nodes: BuildNode[] = [];
  private readonly byKey = new Map<string, number>();

  variable(name: string): Operand {
    return this.intern(`var:${name}`, { kind: 'var', name, operands: [] });
  }

  constant(value: number, text: string = formatConstant(value)): Operand {
    return { kind: 'const', value, text };
  }

  /** The node op(operands); folded to a constant when every operand is constant. */
  apply(op: PrimitiveName, ...operands: Operand[]): Operand {
    const rule = RULES[op];
    if (operands.length !== rule.arity) throw new Error(`${op} takes ${rule.arity} operand(s), got ${operands.length}`);
    if (operands.every((o) => o.kind === 'const')) {
      const args = operands.map((o) => (o as { value: number }).value);
      const text = rule.text(operands.map((o) => (o as { text: string }).text));
      const reason = rule.domain?.(args);
      if (reason) throw new DomainError('constant', text, reason);
      return { kind: 'const', value: rule.value(args), text };
    }
    const key = `${op}(${operands.map(operandKey).join(',')})`;
    return this.intern(key, { kind: 'op', op, operands });
  }

  /** The graph whose output is `output`, numbered by a post-order walk from it. */
  finish(output: Operand): Graph {
    const order: number[] = [];
    const seen = new Map<number, number>();
    const visit = (index: number) => {
      // Iterative post-order (graphs of big networks are deep).
      const stack: Array<{ index: number; next: number }> = [{ index, next: 0 }];
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        if (seen.has(top.index)) {
          stack.pop();
          continue;
        }
        const node = this.nodes[top.index]!;
        if (top.next < node.operands.length) {
          const operand = node.operands[top.next++]!;
          if (operand.kind === 'node' && !seen.has(operand.index)) stack.push({ index: operand.index, next: 0 });
          continue;
        }
        seen.set(top.index, order.length);
        order.push(top.index);
        stack.pop();
      }
    };
    if (output.kind === 'node') visit(output.index);
    const remap = (o: Operand): Operand => (o.kind === 'node' ? { kind: 'node', index: seen.get(o.index)! } : o);
    const nodes: GraphNode[] = [];
    const variables: string[] = [];
    for (const [position, index] of order.entries()) {
      const b = this.nodes[index]!;
      const operands = b.operands.map(remap);
      const live = operands.map((o) => o.kind === 'node');
      const node: GraphNode = { id: `v${position + 1}`, kind: b.kind, operands, live };
      if (b.name !== undefined) {
        node.name = b.name;
        variables.push(b.name);
      }
      if (b.op !== undefined) node.op = b.op;
      nodes.push(node);
    }
    return { nodes, output: remap(output), variables };
  }

  private intern(key: string, node: BuildNode): Operand {
    let index = this.byKey.get(key);
    if (index === undefined) {
      index = this.nodes.length;
      this.nodes.push(node);
      this.byKey.set(key, index);
    }
    return { kind: 'node', index };
  }
}

function operandKey(o: Operand): string {
  return o.kind === 'node' ? `#${o.index}` : `c${o.value}`;
}

/** A constant as written in a definition: π and e by name, others in shortest form. */
export function formatConstant(value: number): string {
  if (value === Math.PI) return 'π';
  if (value === Math.E) return 'e';
  return String(value);
}

/** The names under which the operands of `node` appear in definitions. */
export function operandNames(graph: Graph, node: GraphNode): string[] {
  return node.operands.map((o) => (o.kind === 'node' ? graph.nodes[o.index]!.id : o.text));
}

/** `v6 = v1 · v5`, or `v1 = x1` for a variable. */
export function definition(graph: Graph, node: GraphNode): string {
  if (node.kind === 'var') return `${node.id} = ${node.name}`;
  return `${node.id} = ${RULES[node.op!].text(operandNames(graph, node))}`;
}
