import { describe, expect, it } from 'vitest';
import { definition, evaluate, outputValue, parse, ParseError } from './index.js';

const value = (source: string, point: Record<string, number> = {}) => {
  const g = parse(source);
  return outputValue(g, evaluate(g, point));
};

describe('parse', () => {
  it("numbers ln(sin(x1)) + x1*exp(x2) exactly as the assignment's v1..v7", () => {
    const g = parse('ln(sin(x1)) + x1*exp(x2)');
    expect(g.nodes.map((n) => definition(g, n))).toEqual([
      'v1 = x1',
      'v2 = sin v1',
      'v3 = ln v2',
      'v4 = x2',
      'v5 = exp v4',
      'v6 = v1 · v5',
      'v7 = v3 + v6',
    ]);
    expect(g.variables).toEqual(['x1', 'x2']);
  });

  it('makes a repeated variable or subexpression one node', () => {
    const g = parse('sin(x)*sin(x) + x');
    expect(g.nodes.map((n) => definition(g, n))).toEqual(['v1 = x', 'v2 = sin v1', 'v3 = v2 · v2', 'v4 = v3 + v1']);
  });

  it.each([
    ['-x^2', { x: 3 }, -9],
    ['2^3^2', {}, 512],
    ['2^-1', {}, 0.5],
    ['-2^2', {}, -4],
    ['(-2)^2', {}, 4],
    ['1 - 2 - 3', {}, -4],
    ['8 / 4 / 2', {}, 1],
    ['2 + 3 * 4', {}, 14],
    ['--x', { x: 5 }, 5],
    ['+x', { x: 5 }, 5],
    ['pi', {}, Math.PI],
    ['e', {}, Math.E],
    ['log(e)', {}, 1],
    ['1.5e2 + .5', {}, 150.5],
    ['sigmoid(0) + relu(-3) + abs(-2) + tanh(0)', {}, 2.5],
  ])('evaluates %s as %s → %s', (source, point, expected) => {
    expect(value(source, point)).toBeCloseTo(expected, 14);
  });

  it('folds constant subexpressions into the definitions', () => {
    const g = parse('x * (2*pi)');
    expect(definition(g, g.nodes[1]!)).toBe('v2 = v1 · 2 · π');
  });

  it.each([
    ['ln(sin(x1)) + x1*exp(x2))', 25, "expected an operator or the end, found ')'"],
    ['foo(x)', 1, "unknown function 'foo'"],
    ['sin x', 1, 'sin is a function: write sin(...)'],
    ['2x', 2, "found 'x' (write * for multiplication)"],
    ['x + ', 5, 'found the end'],
    ['', 1, 'the expression is empty'],
    ['x $ y', 3, 'unexpected character "$"'],
    ['(x + 1', 7, "expected ')'"],
    ['sin(x', 6, "expected ')' to close sin("],
  ])('reports %j as a parse error at column %i', (source, column, reason) => {
    try {
      parse(source);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ParseError);
      const e = error as ParseError;
      expect(e.column).toBe(column);
      expect(e.message).toContain(reason);
      expect(e.caret().split('\n')[1]!.indexOf('^')).toBe(2 + column - 1);
    }
  });
});
