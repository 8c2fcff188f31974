import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as run } from '../testing/run.js';

describe('bayesprop beta', () => {
  it('prints the JSON object of the issue for the README example', () => {
    const r = run(['beta', '--alpha', '2', '--beta', '2', '--heads', '7', '--trials', '10', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out.prior).sort()).toEqual(['alpha', 'beta', 'mean', 'mode', 'variance']);
    expect(out.data).toEqual({ heads: 7, trials: 10 });
    expect(out.mle).toBe(0.7);
    for (const k of ['alpha', 'beta', 'mean', 'mode', 'variance', 'level', 'interval', 'hdi']) expect(out.posterior).toHaveProperty(k);
    expect(out.posterior.alpha).toBe(9);
    expect(out.posterior.beta).toBe(5);
    expect(out.posterior.mean).toBeCloseTo(9 / 14, 15);
    expect(out.posterior.mode).toBeCloseTo(8 / 12, 15);
    expect(out.posterior.level).toBe(0.95);
    expect(out.posterior.interval[0]).toBeCloseTo(0.38573833824929565, 12); // scipy.stats.beta(9, 5).interval(0.95)
    expect(out.posterior.hdi[0]).toBeCloseTo(0.4013069813243522, 10);
    expect(typeof out.logMarginalLikelihood).toBe('number');
    expect(typeof out.bayesFactorFair).toBe('number');
    expect(out).not.toHaveProperty('predictive');
  });

  it('adds the predictive pmf with --predict and gives null for a mode that does not exist', () => {
    const r = run(['beta', '--alpha', '0.5', '--beta', '0.5', '--heads', '0', '--trials', '0', '--predict', '4', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.mle).toBeNull();
    expect(out.prior.mode).toBeNull();
    expect(out.posterior.mode).toBeNull();
    expect(out.predictive.trials).toBe(4);
    expect(out.predictive.pmf).toHaveLength(5);
    expect(out.predictive.pmf.reduce((s: number, p: number) => s + p, 0)).toBeCloseTo(1, 12);
  });

  it('prints a readable table by default', () => {
    const r = run(['beta', '--alpha', '2', '--beta', '2', '--heads', '7', '--trials', '10']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/posterior/);
    expect(r.stdout).toMatch(/95% HDI/);
    expect(r.stdout).toMatch(/MLE Y\/N\s+0\.7/);
    expect(r.stderr).toBe('');
  });

  it('writes the three plots as SVG files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bayesprop-'));
    const files = ['post.svg', 'shapes.svg', 'seq.svg'].map((f) => join(dir, f));
    const r = run(['beta', '--alpha', '2', '--beta', '2', '--heads', '7', '--trials', '10', '--plot', files[0]!, '--shapes', files[1]!, '--sequence', files[2]!]);
    expect(r.code).toBe(0);
    for (const f of files) {
      const svg = readFileSync(f, 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toContain('</svg>');
    }
    expect(readFileSync(files[0]!, 'utf8')).toContain('MLE');
    expect(readFileSync(files[1]!, 'utf8')).toContain('Beta(0.5, 0.5)');
    expect(readdirSync(dir).sort()).toEqual(['post.svg', 'seq.svg', 'shapes.svg']); // no temporary files left
  });

  it.each([
    [['--alpha', '0', '--heads', '1', '--trials', '2'], /^bayesprop: --alpha: 0 \(must be a finite number > 0\)\n$/],
    [['--alpha', 'abc', '--heads', '1', '--trials', '2'], /^bayesprop: --alpha: "abc" \(must be a finite number > 0\)\n$/],
    [['--beta', 'Infinity', '--heads', '1', '--trials', '2'], /^bayesprop: --beta: "Infinity" \(must be a finite number > 0\)\n$/],
    [['--heads', '1.5', '--trials', '2'], /^bayesprop: --heads: 1.5 \(must be a non-negative integer\)\n$/],
    [['--heads', '-1', '--trials', '2'], /^bayesprop: --heads: -1 \(must be a non-negative integer\)\n$/],
    [['--heads', '3', '--trials', '2'], /^bayesprop: --heads: 3 \(must be at most --trials = 2\)\n$/],
    [['--heads', '1', '--trials', '2', '--level', '1'], /^bayesprop: --level: 1 \(must be a number in \(0, 1\)\)\n$/],
    [['--heads', '1', '--trials', '2', '--level', '0'], /^bayesprop: --level: 0 \(must be a number in \(0, 1\)\)\n$/],
    [['--trials', '2'], /^bayesprop: --heads: missing/],
    [['--heads', '1', '--trials', '2', '--plot', '/nonexistent-dir/x.svg'], /^bayesprop: --plot: "\/nonexistent-dir\/x.svg" \(folder "\/nonexistent-dir" does not exist\)\n$/],
  ])('rejects %j with one line naming the argument and exit code 2', (args, message) => {
    const r = run(['beta', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  it('simulates a coin with --simulate: estimates converge on θ and the coverage is near the level', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bayesprop-'));
    const svg = join(dir, 'asym.svg');
    const r = run(['beta', '--alpha', '2', '--beta', '2', '--heads', '7', '--trials', '10', '--simulate', '0.3', '--replications', '1000', '--seed', '4', '--asymptotics', svg, '--json']);
    expect(r.code).toBe(0);
    const sim = JSON.parse(r.stdout).simulation;
    expect(sim.theta).toBe(0.3);
    const last = sim.asymptotics[sim.asymptotics.length - 1];
    expect(last.n).toBe(1_000_000);
    expect(Math.abs(last.posteriorMean - last.mle)).toBeLessThan(1e-5);
    expect(Math.abs(last.mle - 0.3)).toBeLessThan(0.003);
    for (const c of sim.coverage) expect(Math.abs(c.coverage - 0.95)).toBeLessThan(0.04);
    expect(readFileSync(svg, 'utf8')).toContain('Estimates as the number of flips grows');
    // Same seed, same simulation.
    const again = run(['beta', '--alpha', '2', '--beta', '2', '--heads', '7', '--trials', '10', '--simulate', '0.3', '--replications', '1000', '--seed', '4', '--json']);
    expect(JSON.parse(again.stdout).simulation).toEqual(sim);
  });

  it('rejects --asymptotics without --simulate and a --simulate outside [0, 1]', () => {
    expect(run(['beta', '--heads', '1', '--trials', '2', '--asymptotics', 'x.svg']).stderr).toBe('bayesprop: --asymptotics: needs --simulate <θ> (the coin to simulate)\n');
    const r = run(['beta', '--heads', '1', '--trials', '2', '--simulate', '1.2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('bayesprop: --simulate: "1.2" (must be a probability in [0, 1])\n');
  });

  it('writes no file, and leaves an existing one untouched, when any input is bad', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bayesprop-'));
    const plot = join(dir, 'plot.svg');
    const shapes = join(dir, 'shapes.svg');
    writeFileSync(shapes, 'old');
    const r = run(['beta', '--heads', '5', '--trials', '10', '--level', '1.5', '--plot', plot, '--shapes', shapes]);
    expect(r.code).toBe(2);
    expect(existsSync(plot)).toBe(false);
    expect(readFileSync(shapes, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['shapes.svg']);
  });

  it('rejects an unknown option with exit code 2', () => {
    const r = run(['beta', '--heads', '1', '--trials', '2', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("bayesprop: unknown option '--bogus' (see --help)\n");
  });

  it('has --help with an example, exit code 0', () => {
    const r = run(['beta', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Examples:/);
    expect(r.stdout).toMatch(/--predict <M>/);
  });
});
