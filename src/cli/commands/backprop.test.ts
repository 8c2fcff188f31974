import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as run } from '../testing/run.js';

describe('bayesprop backprop', () => {
  it('prints shapes, ŷ, loss, gradients and both checks as JSON', () => {
    const r = run(['backprop', '--inputs', '3', '--hidden', '4', '--seed', '2', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.shapes).toEqual({ W1: [4, 3], b1: [4, 1], W2: [1, 4], b2: [1, 1], a1: [4, 1], z1: [4, 1], a2: [1, 1], yhat: [1, 1] });
    expect(out.yhat).toBeGreaterThan(0);
    expect(out.yhat).toBeLessThan(1);
    expect(out.gradients.W1).toHaveLength(4);
    expect(out.gradients.W1[0]).toHaveLength(3);
    expect(out.gradients.b1).toHaveLength(4);
    expect(out.gradients.W2).toHaveLength(4);
    expect(typeof out.gradients.b2).toBe('number');
    expect(out.check.autodiff).toBeLessThan(1e-12);
    expect(out.check.finiteDifference).toBeLessThan(1e-6);
  });

  it('averages over a batch', () => {
    const out = JSON.parse(run(['backprop', '--inputs', '2', '--hidden', '3', '--batch', '10', '--json']).stdout);
    expect(out.shapes.a1).toEqual([3, 10]);
    expect(out.yhat).toHaveLength(10);
    expect(out.check.autodiff).toBeLessThan(1e-12);
  });

  it('reads a params file and gives gradients in its shapes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bayesprop-'));
    const file = join(dir, 'params.json');
    writeFileSync(file, JSON.stringify({ W1: [[2]], b1: [0], W2: [1], b2: -1, x: [1], y: 1 }));
    const out = JSON.parse(run(['backprop', '--params', file, '--json']).stdout);
    const z1 = 1 / (1 + Math.exp(-2));
    const yhat = 1 / (1 + Math.exp(-(z1 - 1)));
    expect(out.yhat).toBeCloseTo(yhat, 15);
    expect(out.gradients.b2).toBeCloseTo(yhat - 1, 15);
    expect(out.gradients.W1).toEqual([[expect.closeTo((yhat - 1) * z1 * (1 - z1), 15)]]);
  });

  it('prints a readable summary', () => {
    const r = run(['backprop']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('W1 [4, 3]');
    expect(r.stdout).toContain('reverse-mode autodiff');
  });

  it.each([
    [{ W1: [[1, 2]], b1: [0, 0], W2: [1], b2: 0, x: [1, 2], y: 0 }, 'bayesprop: params.b1: "length 2" (must have length 1)\n'],
    [{ W1: [[1]], b1: [0], W2: [1], b2: 0, x: [1], y: 3 }, 'bayesprop: params.y: 3 (must be 0 or 1)\n'],
  ])('rejects params of the wrong shape with one line and exit 2', (params, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'bayesprop-'));
    const file = join(dir, 'params.json');
    writeFileSync(file, JSON.stringify(params));
    const r = run(['backprop', '--params', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(message);
  });

  it('rejects a missing or malformed file and bad sizes', () => {
    expect(run(['backprop', '--params', '/nonexistent.json']).stderr).toBe('bayesprop: --params: "/nonexistent.json" (cannot be read: ENOENT)\n');
    const dir = mkdtempSync(join(tmpdir(), 'bayesprop-'));
    writeFileSync(join(dir, 'bad.json'), '{');
    const r = run(['backprop', '--params', join(dir, 'bad.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not valid JSON/);
    expect(run(['backprop', '--hidden', '0']).stderr).toBe('bayesprop: --hidden: 0 (must be an integer in 1..10000)\n');
    expect(run(['backprop', '--params', join(dir, 'bad.json'), '--inputs', '3']).code).toBe(2);
  });
});
