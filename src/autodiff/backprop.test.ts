import { describe, expect, it } from 'vitest';
import { backprop, closedForm, randomParams, validateParams } from './index.js';

describe('backprop', () => {
  it.each([
    [3, 4, 1, 1],
    [5, 8, 1, 2],
    [4, 3, 16, 3],
    [10, 20, 7, 4],
  ])('with M=%i H=%i N=%i (seed %i): formulas = autodiff to 1e-12 and = central differences to 1e-6', (inputs, hidden, batch, seed) => {
    const r = backprop(randomParams({ inputs, hidden, batch, seed }));
    expect(r.check.autodiff).not.toBeNull();
    expect(r.check.autodiff!).toBeLessThan(1e-12);
    expect(r.check.finiteDifference).toBeLessThan(1e-6);
    expect(r.check.finiteDifferenceEntries).toBe(hidden * inputs + 2 * hidden + 1);
  });

  it('gives the shapes of the assignment', () => {
    const r = backprop(randomParams({ inputs: 3, hidden: 5, seed: 1 }));
    expect(r.shapes).toEqual({ W1: [5, 3], b1: [5, 1], W2: [1, 5], b2: [1, 1], a1: [5, 1], z1: [5, 1], a2: [1, 1], yhat: [1, 1] });
    expect(typeof r.yhat).toBe('number');
  });

  it('matches a network worked by hand (H = M = 1)', () => {
    // a1 = 2·1 + 0 = 2, z1 = σ(2), a2 = 1·z1 − 1, ŷ = σ(a2), y = 1.
    const p = validateParams({ W1: [[2]], b1: [0], W2: [1], b2: -1, x: [1], y: 1 });
    const { yhat, loss, gradients } = closedForm(p);
    const z1 = 1 / (1 + Math.exp(-2));
    const y = 1 / (1 + Math.exp(-(z1 - 1)));
    expect(yhat[0]).toBeCloseTo(y, 15);
    expect(loss).toBeCloseTo(-Math.log(y), 15);
    expect(gradients.b2).toBeCloseTo(y - 1, 15);
    expect(gradients.W2[0]).toBeCloseTo((y - 1) * z1, 15);
    expect(gradients.b1[0]).toBeCloseTo((y - 1) * 1 * z1 * (1 - z1), 15);
    expect(gradients.W1[0]![0]).toBeCloseTo((y - 1) * z1 * (1 - z1) * 1, 15);
  });

  it('samples the finite differences of a big network and still checks autodiff', () => {
    const r = backprop(randomParams({ inputs: 100, hidden: 30, seed: 5 }));
    expect(r.check.finiteDifferenceEntries).toBe(2000);
    expect(r.check.finiteDifference).toBeLessThan(1e-6);
    expect(r.check.autodiff!).toBeLessThan(1e-12);
  });

  it('is reproducible for a seed', () => {
    expect(randomParams({ inputs: 3, hidden: 4, batch: 2, seed: 8 })).toEqual(randomParams({ inputs: 3, hidden: 4, batch: 2, seed: 8 }));
  });
});

describe('validateParams', () => {
  const good = { W1: [[1, 2], [3, 4], [5, 6]], b1: [0, 0, 0], W2: [1, 1, 1], b2: 0, x: [1, 2], y: 1 };

  it('accepts one input or a batch', () => {
    expect(validateParams(good).x).toEqual([[1, 2]]);
    expect(validateParams({ ...good, x: [[1, 2], [3, 4]], y: [0, 1] }).y).toEqual([0, 1]);
  });

  it.each([
    [{ ...good, b1: [0, 0] }, 'params.b1: "length 2" (must have length 3)'],
    [{ ...good, W1: [[1, 2], [3], [5, 6]] }, 'params.W1[1]: "length 1" (must have length 2)'],
    [{ ...good, W2: [1, 1] }, 'params.W2'],
    [{ ...good, x: [1, 2, 3] }, 'params.x: "length 3" (must have length 2)'],
    [{ ...good, y: 2 }, 'params.y: 2 (must be 0 or 1)'],
    [{ ...good, b2: 'a' }, 'params.b2: "a" (must be a finite number)'],
    [{ ...good, x: [[1, 2]], y: [1, 0] }, 'params.y'],
    [(({ W1, ...rest }) => rest)(good), 'params.W1: missing (is required)'],
    [[1, 2], 'params'],
  ])('rejects %j naming the field', (raw, message) => {
    expect(() => validateParams(raw)).toThrow(message);
  });
});
