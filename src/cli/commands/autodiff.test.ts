import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as run } from '../testing/run.js';

const F = 'ln(sin(x1)) + x1*exp(x2)';

describe('bayesprop autodiff', () => {
  it('prints the JSON of the issue, forward mode, with the assignment values', () => {
    const r = run(['autodiff', F, '--at', 'x1=pi/6,x2=1', '--mode', 'forward', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    for (const k of ['value', 'gradient', 'mode', 'wrt', 'trace', 'finiteDifference', 'checks']) expect(out).toHaveProperty(k);
    expect(out.mode).toBe('forward');
    expect(out.wrt).toBe('x1');
    expect(out.value).toBeCloseTo(0.73014, 5);
    expect(out.gradient.x1).toBeCloseTo(Math.sqrt(3) + Math.E, 14);
    expect(out.trace).toHaveLength(7);
    expect(out.trace[2]).toMatchObject({ id: 'v3', op: 'ln', inputs: ['v2'], definition: 'v3 = ln v2' });
    expect(out.trace[2].tangent).toBeCloseTo(Math.sqrt(3), 14);
    expect(out.finiteDifference.x1).toBeCloseTo(Math.sqrt(3) + Math.E, 8);
  });

  it('gives adjoints in reverse mode (the default)', () => {
    const out = JSON.parse(run(['autodiff', F, '--at', 'x1=pi/6,x2=1', '--format', 'json']).stdout);
    expect(out.mode).toBe('reverse');
    expect(out.wrt).toBeNull();
    expect(out.trace[0].adjoint).toBeCloseTo(Math.sqrt(3) + Math.E, 14);
  });

  it('checks claimed derivatives: exit 1 when one disagrees, with its worst point', () => {
    const r = run(['autodiff', 'ln(sin(x))', '--at', 'x=1', '--check', 'x=1/sin(x)', '--check', 'x=cos(x)/sin(x)', '--json']);
    expect(r.code).toBe(1);
    const [wrong, right] = JSON.parse(r.stdout).checks;
    expect(wrong).toMatchObject({ wrt: 'x', claimed: '1/sin(x)', agrees: false });
    expect(wrong.relativeError).toBeGreaterThan(0.1);
    expect(wrong.worstPoint).toHaveProperty('x');
    expect(right).toMatchObject({ wrt: 'x', claimed: 'cos(x)/sin(x)', agrees: true });
    expect(run(['autodiff', 'ln(sin(x))', '--at', 'x=1', '--check', 'x=cos(x)/sin(x)']).code).toBe(0);
  });

  it('prints the trace table a student writes by hand', () => {
    const r = run(['autodiff', F, '--at', 'x1=pi/6,x2=1', '--mode', 'forward']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('v6 = v1 · v5');
    expect(r.stdout).toContain('v̇6 = v5 · v̇1 + v1 · v̇5');
    expect(r.stdout).toMatch(/∂f\/∂x1 = 4\.45033/);
  });

  it('writes LaTeX, DOT and SVG', () => {
    expect(run(['autodiff', F, '--at', 'x1=pi/6,x2=1', '--format', 'latex']).stdout).toContain('\\begin{tabular}');
    expect(run(['autodiff', F, '--at', 'x1=pi/6,x2=1', '--format', 'dot']).stdout).toContain('v1 -> v6');
    const dir = mkdtempSync(join(tmpdir(), 'bayesprop-'));
    const r = run(['autodiff', F, '--at', 'x1=pi/6,x2=1', '--format', 'svg', '--out', join(dir, 'g.svg')]);
    expect(r.code).toBe(0);
    const svg = readFileSync(join(dir, 'g.svg'), 'utf8');
    expect(svg).toContain('<svg');
    expect(svg).toContain('v7 = v3 + v6');
    expect(readdirSync(dir)).toEqual(['g.svg']);
  });

  it.each([
    [['foo(x)', '--at', 'x=1'], /^bayesprop: parse error at column 1: unknown function 'foo'/],
    [['x*y', '--at', 'x=1'], /^bayesprop: --at: "y" \(has no value; the expression uses x, y\)\n$/],
    [['x*y', '--at', 'x=1;y=2'], /^bayesprop: --at: /],
    [['x', '--at', 'x'], /^bayesprop: --at: "x" \(expected NAME=VALUE pairs/],
    [['x', '--at', 'x=1,z=2'], /^bayesprop: --at: "z" \(is not a variable of the expression/],
    [['ln(x)', '--at', 'x=-1'], /^bayesprop: undefined at this point: v2 = ln v1: ln of a negative number \(v1 = -1\)\n$/],
    [['x', '--at', 'x=1', '--mode', 'sideways'], /^bayesprop: option '--mode <mode>' argument 'sideways' is invalid/],
    [['x', '--at', 'x=1', '--check', 'nonsense'], /^bayesprop: --check: "nonsense" \(expected NAME=<claimed derivative>/],
    [['x', '--at', 'x=1', '--mode', 'forward', '--wrt', 'q'], /^bayesprop: --wrt: "q"/],
    [['x'], /^bayesprop: required option '--at <point>' not specified/],
  ])('rejects %j with exit code 2', (args, message) => {
    const r = run(['autodiff', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('shows the parse error with a caret under the column', () => {
    const r = run(['autodiff', 'x + * 2', '--at', 'x=1']);
    expect(r.stderr).toBe("bayesprop: parse error at column 5: expected a number, a variable, a function or '(', found '*'\n  x + * 2\n      ^\n");
  });
});
