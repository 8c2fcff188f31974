import { describe, expect, it } from 'vitest';
import { checkDerivative, finiteDifference, parse } from './index.js';

describe('checkDerivative', () => {
  const g = parse('ln(sin(x))');

  it('flags a wrong derivative: 1/sin(x) for d/dx ln(sin x)', () => {
    const c = checkDerivative(g, { x: 1 }, 'x', '1/sin(x)');
    expect(c.agrees).toBe(false);
    expect(c.relativeError).toBeGreaterThan(0.1);
    expect(c.points).toBeGreaterThanOrEqual(21);
  });

  it('accepts the right one: cos(x)/sin(x)', () => {
    const c = checkDerivative(g, { x: 1 }, 'x', 'cos(x)/sin(x)');
    expect(c.agrees).toBe(true);
    expect(c.relativeError).toBeLessThan(1e-12);
    expect(c.points).toBeGreaterThanOrEqual(21); // the point and >= 20 random ones
  });

  it("checks the assignment's ∂f/∂x1 = cot x1 + e^x2 at random points, and catches a dropped term", () => {
    const f = parse('ln(sin(x1)) + x1*exp(x2)');
    expect(checkDerivative(f, { x1: Math.PI / 6, x2: 1 }, 'x1', 'cos(x1)/sin(x1) + exp(x2)').agrees).toBe(true);
    expect(checkDerivative(f, { x1: Math.PI / 6, x2: 1 }, 'x2', 'x1*exp(x2)').agrees).toBe(true);
    const wrong = checkDerivative(f, { x1: Math.PI / 6, x2: 1 }, 'x1', 'cos(x1)/sin(x1)');
    expect(wrong.agrees).toBe(false);
  });

  it('catches a claim that is right at the given point but wrong elsewhere', () => {
    // d/dx x^3 = 3x^2; at x = 1 the claim 3x agrees, at random points it does not.
    const c = checkDerivative(parse('x^3'), { x: 1 }, 'x', '3*x');
    expect(c.agrees).toBe(false);
    expect(c.worstPoint.x).not.toBe(1);
  });

  it('is reproducible for a seed', () => {
    const a = checkDerivative(g, { x: 1 }, 'x', '1/sin(x)', { seed: 9 });
    const b = checkDerivative(g, { x: 1 }, 'x', '1/sin(x)', { seed: 9 });
    expect(a).toEqual(b);
  });

  it('rejects a claim about a variable the expression lacks, or one using other variables', () => {
    expect(() => checkDerivative(g, { x: 1 }, 'y', '1')).toThrow(/check: "y"/);
    expect(() => checkDerivative(g, { x: 1 }, 'x', 'y + 1')).toThrow(/uses y/);
  });
});

describe('finiteDifference', () => {
  it('approximates the derivative to ~1e-9 and reports null where f is undefined nearby', () => {
    const fd = finiteDifference(parse('x^3 + y'), { x: 2, y: 1 });
    expect(fd.x).toBeCloseTo(12, 8);
    expect(fd.y).toBeCloseTo(1, 8);
    expect(finiteDifference(parse('sqrt(x)'), { x: 0 }).x).toBeNull();
  });
});
