import { describe, expect, it } from 'vitest';
import { Random } from '../math/random.js';
import { DomainError, finiteDifference, forward, parse, reverse, RULES, type PrimitiveName } from './index.js';

describe("the assignment's forward-mode trace", () => {
  const g = parse('ln(sin(x1)) + x1*exp(x2)');
  const x1 = Math.PI / 6;
  const x2 = 1;
  const result = forward(g, { x1, x2 }, 'x1');

  it('has the values v1..v7', () => {
    const expected = [x1, Math.sin(x1), Math.log(Math.sin(x1)), x2, Math.E, x1 * Math.E, Math.log(0.5) + x1 * Math.E];
    expected.forEach((v, i) => expect(result.values[i]).toBeCloseTo(v, 15));
    expect(result.value).toBeCloseTo(0.73014, 5);
  });

  it('has the tangents ∂vᵢ/∂x1, with ∂v3/∂x1 = cos v1 / v2 = √3 and ∂f/∂x1 = √3 + e', () => {
    const expected = [1, Math.sqrt(3) / 2, Math.sqrt(3), 0, 0, Math.E, Math.sqrt(3) + Math.E];
    expected.forEach((t, i) => expect(result.tangents[i]).toBeCloseTo(t, 14));
    expect(result.tangent).toBeCloseTo(4.45033, 5);
  });

  it('gives the same gradient in reverse mode in one sweep', () => {
    const r = reverse(g, { x1, x2 });
    expect(r.gradient.x1).toBeCloseTo(Math.sqrt(3) + Math.E, 14);
    expect(r.gradient.x2).toBeCloseTo(x1 * Math.E, 14);
    expect(forward(g, { x1, x2 }, 'x2').tangent).toBeCloseTo(r.gradient.x2!, 15);
  });
});

// Every primitive at several points: forward mode, reverse mode and central differences agree.
const PRIMITIVE_CASES: Record<PrimitiveName, { expression: string; points: Array<Record<string, number>> }> = {
  add: { expression: 'x + y', points: [{ x: 1, y: 2 }, { x: -3.5, y: 0.25 }] },
  sub: { expression: 'x - y', points: [{ x: 1, y: 2 }, { x: -3.5, y: 0.25 }] },
  mul: { expression: 'x * y', points: [{ x: 1.5, y: -2 }, { x: 0.1, y: 7 }] },
  div: { expression: 'x / y', points: [{ x: 1.5, y: -2 }, { x: 3, y: 0.3 }] },
  neg: { expression: '-x', points: [{ x: 1.5 }, { x: -0.2 }] },
  pow: { expression: 'x ^ y', points: [{ x: 1.5, y: 2.5 }, { x: 0.3, y: -1.2 }, { x: 2, y: 0.5 }] },
  sin: { expression: 'sin(x)', points: [{ x: 0.3 }, { x: -2 }, { x: 10 }] },
  cos: { expression: 'cos(x)', points: [{ x: 0.3 }, { x: -2 }, { x: 10 }] },
  tan: { expression: 'tan(x)', points: [{ x: 0.3 }, { x: -1.2 }, { x: 4 }] },
  exp: { expression: 'exp(x)', points: [{ x: 0.3 }, { x: -2 }, { x: 5 }] },
  ln: { expression: 'ln(x)', points: [{ x: 0.3 }, { x: 2 }, { x: 100 }] },
  sqrt: { expression: 'sqrt(x)', points: [{ x: 0.3 }, { x: 2 }, { x: 100 }] },
  abs: { expression: 'abs(x)', points: [{ x: 0.3 }, { x: -2 }] },
  tanh: { expression: 'tanh(x)', points: [{ x: 0.3 }, { x: -2 }, { x: 4 }] },
  sigmoid: { expression: 'sigmoid(x)', points: [{ x: 0.3 }, { x: -2 }, { x: 30 }, { x: -30 }] },
  relu: { expression: 'relu(x)', points: [{ x: 0.3 }, { x: -2 }] },
};

describe('every primitive', () => {
  it('has a test case (the table covers the rule table)', () => {
    expect(Object.keys(PRIMITIVE_CASES).sort()).toEqual(Object.keys(RULES).sort());
  });

  for (const [op, { expression, points }] of Object.entries(PRIMITIVE_CASES)) {
    it.each(points)(`${op}: forward = reverse = central differences at %j`, (point) => {
      const g = parse(expression);
      const r = reverse(g, point);
      const fd = finiteDifference(g, point);
      for (const v of g.variables) {
        const f = forward(g, point, v).tangent;
        expect(f).toBe(r.gradient[v]); // the same rule, the same arithmetic
        expect(Math.abs(f - fd[v]!)).toBeLessThan(1e-7 * Math.max(1, Math.abs(f)));
      }
    });
  }
});

describe('composite expressions', () => {
  it('agree with central differences at random points', () => {
    const expressions = [
      'x*y*z + sin(x*y) / (1 + z^2)',
      'sqrt(x^2 + y^2) * exp(-z)',
      'tanh(sigmoid(x) - relu(y)) + ln(1 + exp(z))',
      '(x + y)^3 - x^y',
    ];
    const rng = new Random(3);
    for (const source of expressions) {
      const g = parse(source);
      for (let k = 0; k < 10; k++) {
        const point = { x: 0.5 + rng.uniform(), y: 0.5 + rng.uniform(), z: rng.uniform() - 0.5 };
        const r = reverse(g, point);
        const fd = finiteDifference(g, point);
        for (const v of g.variables) expect(Math.abs(r.gradient[v]! - fd[v]!)).toBeLessThan(1e-7 * Math.max(1, Math.abs(r.gradient[v]!)));
      }
    }
  });

  it('accumulate adjoints through a shared node (x·x has derivative 2x)', () => {
    expect(reverse(parse('x*x'), { x: 3 }).gradient.x).toBe(6);
    expect(reverse(parse('sin(x)*sin(x)'), { x: 0.7 }).gradient.x).toBeCloseTo(2 * Math.sin(0.7) * Math.cos(0.7), 15);
  });
});

describe('domain errors', () => {
  it.each([
    ['ln(x)', { x: -1 }, 'v2 = ln v1: ln of a negative number (v1 = -1)'],
    ['ln(x - 1)', { x: 1 }, 'v3 = ln v2: ln of zero (v2 = 0)'],
    ['x / y', { x: 0, y: 0 }, 'v3 = v1 / v2: division 0/0'],
    ['1 / x', { x: 0 }, 'v2 = 1 / v1: division by zero'],
    ['sqrt(x)', { x: -4 }, 'v2 = sqrt v1: sqrt of a negative number'],
    ['x ^ 0.5', { x: -4 }, 'negative base with a non-integer exponent'],
    ['exp(x)', { x: 1000 }, 'v2 = exp v1: the value is Infinity'],
  ])('%s at %j names the node instead of returning NaN', (source, point, message) => {
    const g = parse(source);
    expect(() => reverse(g, point)).toThrow(DomainError);
    expect(() => reverse(g, point)).toThrow(message);
  });

  it('reports an infinite derivative (sqrt at 0) and a base ≤ 0 with a variable exponent', () => {
    expect(() => reverse(parse('sqrt(x)'), { x: 0 })).toThrow('the derivative of sqrt is infinite at 0');
    expect(() => reverse(parse('y^x'), { x: 2, y: -2 })).toThrow('d/db a^b = a^b ln a needs a > 0');
    // With a constant exponent a negative base is fine.
    expect(reverse(parse('x^3'), { x: -2 }).gradient.x).toBe(12);
  });

  it('asks for a value of every variable', () => {
    expect(() => reverse(parse('x*y'), { x: 1 })).toThrow('y: missing (needs a value: the expression uses it)');
  });
});
