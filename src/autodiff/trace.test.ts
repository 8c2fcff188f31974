import { describe, expect, it } from 'vitest';
import { autodiffReport, graphDot, traceLatex, traceTable } from './index.js';

const report = (mode: 'forward' | 'reverse') => autodiffReport({ expression: 'ln(sin(x1)) + x1*exp(x2)', at: 'x1=pi/6,x2=1', mode });

describe('traces', () => {
  it('write the tangent rule of every node in forward mode', () => {
    const r = report('forward');
    expect(r.trace.map((row) => row.rule)).toEqual([
      'v̇1 = 1',
      'v̇2 = cos v1 · v̇1',
      'v̇3 = 1/v2 · v̇2',
      'v̇4 = 0',
      'v̇5 = v5 · v̇4',
      'v̇6 = v5 · v̇1 + v1 · v̇5',
      'v̇7 = v̇3 + v̇6',
    ]);
    expect(r.trace[2]!.tangent).toBeCloseTo(Math.sqrt(3), 14);
  });

  it('write the adjoint rule of every node in reverse mode, summing over its consumers', () => {
    const r = report('reverse');
    expect(r.trace[0]!.rule).toBe('v̄1 = v̄2 · cos v1 + v̄6 · v5');
    expect(r.trace[6]!.rule).toBe('v̄7 = 1');
    expect(r.trace[0]!.adjoint).toBeCloseTo(Math.sqrt(3) + Math.E, 14);
    expect(r.trace.every((row) => row.tangent === undefined)).toBe(true);
  });

  it('render as a table, LaTeX and DOT', () => {
    const r = report('forward');
    const table = traceTable(r.trace, 'forward');
    expect(table).toContain('v6 = v1 · v5');
    const latex = traceLatex(r.graph, r.trace, 'forward', 'x1');
    expect(latex).toContain('\\begin{tabular}');
    expect(latex).toContain('$v_{3} = \\ln v_{2}$');
    expect(latex).toContain('\\partial x_{1}');
    const dot = graphDot(r.graph, r.trace, 'forward');
    expect(dot).toMatch(/^digraph/);
    for (const edge of ['v1 -> v2', 'v2 -> v3', 'v1 -> v6', 'v5 -> v6', 'v3 -> v7', 'v6 -> v7']) expect(dot).toContain(edge);
  });

  it('fill the JSON fields of the issue', () => {
    const r = report('forward');
    expect(Object.keys(r).sort()).toEqual(['checks', 'expression', 'finiteDifference', 'gradient', 'graph', 'mode', 'point', 'trace', 'value', 'wrt']);
    expect(Object.keys(r.trace[5]!).sort()).toEqual(['definition', 'id', 'inputs', 'op', 'rule', 'tangent', 'value']);
    expect(r.trace[5]!.inputs).toEqual(['v1', 'v5']);
    expect(r.wrt).toBe('x1');
  });
});
