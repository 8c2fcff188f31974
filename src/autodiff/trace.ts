/**
 * The step-by-step trace a student writes by hand — one row per node with its definition, value,
 * and tangent (forward mode) or adjoint (reverse mode), plus the rule that produced that number —
 * as plain data, and rendered as a text table, LaTeX and Graphviz DOT.
 */
import { definition, operandNames, type Graph } from './graph.js';
import { RULES } from './primitives/index.js';

export type Mode = 'forward' | 'reverse';

export interface TraceRow {
  id: string;
  /** The primitive, or 'var' for an input. */
  op: string;
  /** The operands: node ids (`v1`) or constants as written. */
  inputs: string[];
  /** `v6 = v1 · v5` */
  definition: string;
  value: number;
  /** Forward mode: dvᵢ/d(wrt). */
  tangent?: number;
  /** Reverse mode: d(output)/dvᵢ. */
  adjoint?: number;
  /** How the tangent or adjoint is computed: `v̇6 = v5 · v̇1 + v1 · v̇5`, `v̄1 = v̄2 · cos v1 + v̄6 · v5`. */
  rule: string;
}

const DOT = '\u0307'; // combining dot above: v̇
const BAR = '\u0304'; // combining macron: v̄

function dotted(id: string): string {
  return `v${DOT}${id.slice(1)}`;
}
function barred(id: string): string {
  return `v${BAR}${id.slice(1)}`;
}

/** a · b written without the factor when it is 1 or −1. */
function times(partial: string, factor: string): string {
  if (partial === '1') return factor;
  if (partial === '−1') return `−${factor}`;
  return `${partial} · ${factor}`;
}

/** The trace rows for forward mode (with respect to `wrt`) or reverse mode. */
export function traceRows(
  graph: Graph,
  values: Float64Array,
  mode: Mode,
  derivatives: Float64Array,
  wrt?: string,
): TraceRow[] {
  // For reverse mode: who uses each node, and as which operand.
  const consumers: Array<Array<{ node: number; operand: number }>> = graph.nodes.map(() => []);
  graph.nodes.forEach((node, i) =>
    node.operands.forEach((o, j) => {
      if (o.kind === 'node') consumers[o.index]!.push({ node: i, operand: j });
    }),
  );
  const outputIndex = graph.output.kind === 'node' ? graph.output.index : -1;
  return graph.nodes.map((node, i) => {
    const names = operandNames(graph, node);
    let rule: string;
    if (mode === 'forward') {
      if (node.kind === 'var') rule = `${dotted(node.id)} = ${node.name === wrt ? 1 : 0}`;
      else {
        const partials = RULES[node.op!].partialsText(names, node.id);
        const terms = node.operands.flatMap((o, j) => (o.kind === 'node' ? [times(partials[j]!, dotted(names[j]!))] : []));
        rule = `${dotted(node.id)} = ${terms.join(' + ').replace(/\+ −/g, '− ')}`;
      }
    } else if (i === outputIndex) {
      rule = `${barred(node.id)} = 1`;
    } else {
      const terms = consumers[i]!.map(({ node: c, operand }) => {
        const consumer = graph.nodes[c]!;
        const partial = RULES[consumer.op!].partialsText(operandNames(graph, consumer), consumer.id)[operand]!;
        return times(partial, barred(consumer.id)).replace(/^(.*) · (v̄\d+)$/, '$2 · $1');
      });
      rule = `${barred(node.id)} = ${terms.length > 0 ? terms.join(' + ').replace(/\+ −/g, '− ') : '0'}`;
    }
    const row: TraceRow = {
      id: node.id,
      op: node.kind === 'var' ? 'var' : node.op!,
      inputs: node.kind === 'var' ? [node.name!] : names,
      definition: definition(graph, node),
      value: values[i]!,
      rule,
    };
    if (mode === 'forward') row.tangent = derivatives[i]!;
    else row.adjoint = derivatives[i]!;
    return row;
  });
}

/** Up to 6 significant digits, for tables. */
export function short(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  if (Math.abs(x) >= 1e6 || Math.abs(x) < 1e-4) return x.toExponential(5).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(6)));
}

/** A plain-text table of the trace. */
export function traceTable(rows: TraceRow[], mode: Mode): string {
  const derivative = mode === 'forward' ? 'tangent' : 'adjoint';
  const header = ['node', 'definition', 'value', derivative, mode === 'forward' ? 'tangent rule' : 'adjoint rule'];
  const body = rows.map((r) => [r.id, r.definition, short(r.value), short((mode === 'forward' ? r.tangent : r.adjoint)!), r.rule]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => [...b[i]!].length)));
  const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - [...s].length));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

function latexId(id: string): string {
  return `v_{${id.slice(1)}}`;
}

function latexNumber(x: number): string {
  const s = short(x);
  const m = /^(-?[\d.]+)e([+-]?\d+)$/.exec(s);
  return m ? `${m[1]} \\times 10^{${Number(m[2])}}` : s;
}

/** The trace as a LaTeX table (needs the booktabs package), ready to paste into a write-up. */
export function traceLatex(graph: Graph, rows: TraceRow[], mode: Mode, wrt?: string): string {
  const ids = (s: string) => s.replace(/\bv(\d+)\b/g, 'v_{$1}');
  const derivativeHeader = mode === 'forward' ? `$\\dot v_i = \\partial v_i / \\partial ${latexName(wrt ?? '')}$` : '$\\bar v_i = \\partial f / \\partial v_i$';
  const lines = [
    '\\begin{tabular}{llrr}',
    '\\toprule',
    `node & definition & value & ${derivativeHeader} \\\\`,
    '\\midrule',
  ];
  graph.nodes.forEach((node, i) => {
    const row = rows[i]!;
    const def =
      node.kind === 'var'
        ? `${latexId(node.id)} = ${latexName(node.name!)}`
        : `${latexId(node.id)} = ${ids(RULES[node.op!].latex(operandNamesLatex(graph, node)))}`;
    const d = mode === 'forward' ? row.tangent! : row.adjoint!;
    lines.push(`$${latexId(node.id)}$ & $${def}$ & $${latexNumber(row.value)}$ & $${latexNumber(d)}$ \\\\`);
  });
  lines.push('\\bottomrule', '\\end{tabular}');
  return lines.join('\n');
}

/** x1 → x_{1}, w_out → w_{out}. */
function latexName(name: string): string {
  const digits = /^([A-Za-z]+)(\d+)$/.exec(name);
  if (digits) return `${digits[1]}_{${digits[2]}}`;
  const under = /^([A-Za-z0-9]+)_(\w+)$/.exec(name);
  return under ? `${under[1]}_{${under[2]!.replace(/_/g, '\\_')}}` : name.replace(/_/g, '\\_');
}

function operandNamesLatex(graph: Graph, node: Graph['nodes'][number]): string[] {
  return operandNames(graph, node).map((n) => (n === 'π' ? '\\pi' : n));
}

/** The computational graph in Graphviz DOT: inputs as boxes, each node with its value. */
export function graphDot(graph: Graph, rows: TraceRow[], mode: Mode): string {
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  const lines = [
    'digraph computational_graph {',
    '  rankdir=LR;',
    '  node [fontname="Helvetica", fontsize=11];',
    '  edge [color="#555555"];',
  ];
  let constants = 0;
  graph.nodes.forEach((node, i) => {
    const row = rows[i]!;
    const d = mode === 'forward' ? `v̇ = ${short(row.tangent!)}` : `v̄ = ${short(row.adjoint!)}`;
    const shape = node.kind === 'var' ? 'box, style="rounded,filled", fillcolor="#e8f0fe"' : 'ellipse';
    const label = `${row.definition}\\n= ${short(row.value)}\\n${d}`;
    lines.push(`  ${node.id} [shape=${shape}, label="${esc(label).replace(/\\\\n/g, '\\n')}"];`);
    node.operands.forEach((o) => {
      if (o.kind === 'node') lines.push(`  ${graph.nodes[o.index]!.id} -> ${node.id};`);
      else {
        const c = `c${++constants}`;
        lines.push(`  ${c} [shape=plaintext, label="${esc(o.text)}"];`);
        lines.push(`  ${c} -> ${node.id} [style=dashed];`);
      }
    });
  });
  if (graph.output.kind === 'node') lines.push(`  f [shape=doublecircle, label="f"];`, `  ${graph.nodes[graph.output.index]!.id} -> f;`);
  lines.push('}');
  return lines.join('\n');
}
