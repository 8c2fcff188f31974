import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli as run } from '../testing/run.js';

let model = '';
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'bayesprop-'));
  expect(run(['train', '--limit', '3000', '--test-limit', '300', '--epochs', '2', '--batch-size', '32', '--hidden', '64', '--out', dir, '--quiet']).code).toBe(0);
  model = join(dir, 'model.safetensors');
});

describe('bayesprop attack', () => {
  it('prints robust accuracy, success and rerouted zip codes per ε as JSON', () => {
    const r = run(['attack', '--model', model, '--eps', '0,0.1,0.25', '--limit', '200', '--zip', '300', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.method).toBe('fgsm');
    expect(out.results.map((x: { eps: number }) => x.eps)).toEqual([0, 0.1, 0.25]);
    for (const x of out.results) for (const k of ['eps', 'cleanAccuracy', 'robustAccuracy', 'successRate']) expect(x).toHaveProperty(k);
    expect(out.results[2].robustAccuracy).toBeLessThan(out.results[0].robustAccuracy);
    expect(out.zipCodes).toHaveLength(3);
  });

  it('writes the curves, example grid and a zip code before and after', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bayesprop-'));
    const r = run(['attack', '--model', model, '--method', 'pgd', '--steps', '3', '--target', '7', '--eps', '0,0.2', '--limit', '50', '--zip', '20', '--save', dir]);
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['attack-curves.svg', 'attack-examples.svg', 'zip-code.svg']);
    expect(readFileSync(join(dir, 'zip-code.svg'), 'utf8')).toMatch(/zip code \d{5}/);
  });

  it.each([
    [['--eps', '0.1,abc'], 'bayesprop: --eps: "0.1,abc" (must be numbers in [0, 1] separated by commas)\n'],
    [['--target', '12'], 'bayesprop: --target: 12 (must be a digit 0-9)\n'],
    [['--method', 'cw'], /argument 'cw' is invalid/],
  ])('rejects %j with exit code 2', (args, message) => {
    const r = run(['attack', '--model', model, ...args]);
    expect(r.code).toBe(2);
    if (typeof message === 'string') expect(r.stderr).toBe(message);
    else expect(r.stderr).toMatch(message);
  });
});

describe('bayesprop zipcodes', () => {
  it('reports the share of zip codes rerouted at each ε', () => {
    const r = run(['zipcodes', '--model', model, '--eps', '0,0.2', '--count', '200', '--limit', '100', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.results.map((x: { eps: number }) => x.eps)).toEqual([0, 0.2]);
    expect(out.results[1].rerouted).toBeGreaterThan(out.results[0].rerouted);
  });
});

describe('bayesprop corrupt', () => {
  it('measures accuracy against severity for every kind', () => {
    const r = run(['corrupt', '--model', model, '--severity', '0,0.5', '--limit', '200', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.kinds.map((k: { kind: string }) => k.kind)).toEqual(['noise', 'blur', 'brightness', 'contrast', 'dead-rows', 'stuck-columns', 'pattern']);
    for (const k of out.kinds) expect(k.results[0].accuracy).toBe(out.kinds[0].results[0].accuracy); // severity 0 is clean
    const stuck = out.kinds.find((k: { kind: string }) => k.kind === 'stuck-columns');
    expect(stuck.results[1].accuracy).toBeLessThan(stuck.results[0].accuracy);
  });

  it('rejects an unknown kind', () => {
    const r = run(['corrupt', '--model', model, '--kind', 'melted']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('bayesprop: --kind: "melted" (must be one of noise, blur, brightness, contrast, dead-rows, stuck-columns, pattern or all)\n');
  });
});

describe('bayesprop poison', () => {
  it('trains on patch-poisoned data and measures clean accuracy, backdoor success and the spectral defence', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bayesprop-'));
    const r = run(['poison', '--kind', 'patch', '--rate', '0,0.1', '--target', '7', '--epochs', '2', '--hidden', '32', '--limit', '3000', '--test-limit', '500', '--defend', 'spectral', '--save', dir, '--json']);
    expect(readdirSync(dir)).toEqual(['poison.svg']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ kind: 'patch', target: 7, epochs: 2, train: 3000, test: 500 });
    const [clean, poisoned] = out.results;
    expect(clean.poisoned).toBe(0);
    expect(poisoned.poisoned).toBe(300);
    expect(poisoned.successRate).toBeGreaterThan(clean.successRate + 0.3); // the backdoor works
    expect(poisoned.defense).toMatchObject({ method: 'spectral' });
    expect(poisoned.defense.removed).toBeGreaterThan(0);
    expect(poisoned.defense.precision).toBeGreaterThanOrEqual(0);
  });

  it('rejects rates outside [0, 0.9]', () => {
    const r = run(['poison', '--rate', '0.1,2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('bayesprop: --rate: "0.1,2" (must be fractions in [0, 0.9] separated by commas)\n');
  });
});

describe('bayesprop threats', () => {
  it('measures every threat with its safeguard, benefit and cost', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bayesprop-'));
    const r = run(['threats', '--model', model, '--limit', '300', '--adv-limit', '1000', '--adv-epochs', '1', '--out', dir, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.table).toHaveLength(6);
    for (const row of out.table) for (const k of ['threat', 'safeguard', 'benefit', 'cost']) expect(typeof row[k]).toBe('string');
    expect(out.measurements.robustAccuracy).toBeLessThan(out.measurements.cleanAccuracy);
    expect(out.measurements.adversarialTraining.pgdAfter).toBeGreaterThanOrEqual(0);
    expect(out.measurements.abstention.curve[0].cleanCoverage).toBe(1);
    expect(out.measurements.provenance.detected).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['threats.json', 'threats.md']);
    expect(readFileSync(join(dir, 'threats.md'), 'utf8')).toMatch(/^\| threat \| safeguard \| measured benefit \| measured cost \|/);
  });
});
