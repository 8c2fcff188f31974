import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli as run } from '../testing/run.js';

let model = '';
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'bayesprop-'));
  const r = run(['train', '--limit', '6000', '--test-limit', '500', '--epochs', '2', '--batch-size', '32', '--hidden', '64', '--out', dir, '--quiet']);
  expect(r.code).toBe(0);
  model = join(dir, 'model.safetensors');
});

describe('bayesprop ood', () => {
  it('reports the JSON of the issue for several OOD sets', () => {
    const r = run(['ood', '--model', model, '--out', 'fashion-mnist', '--out', 'mnist:3', '--out', 'uniform', '--limit', '1000', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.inAccuracy).toBeGreaterThan(0.8);
    expect(out.ece).toBeGreaterThanOrEqual(0);
    expect(out.temperatureScaling.temperature).toBeGreaterThan(0);
    expect(out.temperatureScaling.fittedOn + out.temperatureScaling.evaluatedOn).toBe(1000);
    expect(out.temperatureScaling.eceAfter).toBeGreaterThanOrEqual(0);
    expect(out.meanEntropyIn).toBeGreaterThan(0);
    expect(out.out.map((o: { spec: string }) => o.spec)).toEqual(['fashion-mnist', 'mnist:3', 'uniform']);
    const [fashion, threes, uniform] = out.out;
    expect(fashion.accuracy).toBeNull();
    expect(threes.accuracy).toBeGreaterThan(0.7); // 3s are in distribution for a 10-class model
    expect(uniform.accuracy).toBeNull();
    for (const o of out.out) for (const s of ['msp', 'entropy', 'energy', 'margin']) for (const k of ['auroc', 'aupr_in', 'aupr_out', 'fpr95']) expect(o.scores[s]).toHaveProperty(k);
    // Fashion items look unlike digits: the model is measurably less sure of them.
    expect(fashion.meanEntropy).toBeGreaterThan(out.meanEntropyIn);
    expect(fashion.scores.entropy.auroc).toBeGreaterThan(0.6);
  });

  it('writes histograms, ROC curves, a reliability diagram and image grids with --save', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bayesprop-'));
    const r = run(['ood', '--model', model, '--out', 'rotate:90', '--limit', '300', '--save', dir]);
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([
      'confident-rotate-90.svg',
      'hist-energy-rotate-90.svg',
      'hist-entropy-rotate-90.svg',
      'hist-margin-rotate-90.svg',
      'hist-msp-rotate-90.svg',
      'reliability-in.svg',
      'roc-rotate-90.svg',
      'uncertain-in.svg',
      'uncertain-rotate-90.svg',
    ]);
    const grid = readFileSync(join(dir, 'confident-rotate-90.svg'), 'utf8');
    expect(grid).toContain('data:image/png;base64,iVBORw0KGgo'); // an embedded PNG
    expect(grid).toMatch(/pred \d · H \d\.\d\d/);
  });

  it.each([
    [['--out', 'cifar'], 'bayesprop: --out: "cifar" (expected mnist:CLASSES, fashion-mnist, rotate:DEG, noise:SIGMA, invert, blur:PX, uniform, or idx:DIR)\n'],
    [['--out', 'noise:abc'], /^bayesprop: --out: "noise:abc" \(noise needs σ/],
    [['--out', 'idx:/nonexistent'], /^bayesprop: mnist: no data folder "\/nonexistent"/],
    [[], 'bayesprop: --out: missing (give at least one OOD set, e.g. --out fashion-mnist)\n'],
  ])('rejects %j with one line and exit 2', (args, message) => {
    const r = run(['ood', '--model', model, ...args]);
    expect(r.code).toBe(2);
    if (typeof message === 'string') expect(r.stderr).toBe(message);
    else expect(r.stderr).toMatch(message);
  });

  it('rejects a missing model file', () => {
    const r = run(['ood', '--model', '/nonexistent.safetensors', '--out', 'uniform']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('bayesprop: --model: "/nonexistent.safetensors" (cannot be read: ENOENT)\n');
  });

  it('runs the assignment experiment in both readings (short version)', () => {
    const r = run(['ood', '--assignment', '--model', model, '--epochs', '1', '--limit', '2000', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const [a, b] = out.readings;
    expect(a.reading).toBe('a');
    expect(a.accuracyOnesSixes).toBeGreaterThan(0.95);
    expect(a.accuracyThrees).toBe(0); // a model trained only on 1s and 6s never says 3
    expect(a.threesPredictedAs[1]! + a.threesPredictedAs[6]!).toBe(a.threesPredictedAs.reduce((s: number, c: number) => s + c, 0));
    expect(b.accuracyFullTest).toBeGreaterThan(0);
    expect(typeof b.entropyAuroc).toBe('number');
    expect(b.reading_text).toMatch(/of the 1s and 6s right/);
  });
});

describe('bayesprop ensemble', () => {
  it('trains members in workers and compares single model, seed and bootstrap ensembles', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bayesprop-'));
    const r = run(['ensemble', '--members', '2', '--epochs', '2', '--batch-size', '32', '--limit', '1500', '--test-limit', '400', '--hidden', '32', '--ood', 'fashion-mnist', '--out', dir, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.variants.map((v: { name: string }) => v.name)).toEqual(['single model (seed 0)', 'seed ensemble', 'bootstrap ensemble']);
    for (const v of out.variants) {
      expect(v.accuracy).toBeGreaterThan(0.3);
      expect(v.nll).toBeGreaterThan(0);
      expect(v.ood[0].spec).toBe('fashion-mnist');
    }
    expect(out.variants[0].ood[0].mutualInformation).toBeNull();
    expect(out.variants[1].ood[0].mutualInformation.auroc).toBeGreaterThan(0);
    expect(readdirSync(dir).sort()).toEqual(['bootstrap-0.safetensors', 'bootstrap-1.safetensors', 'results.json', 'seed-0.safetensors', 'seed-1.safetensors']);
  });

  it('rejects a bad OOD spec', () => {
    const r = run(['ensemble', '--ood', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bayesprop: --ood: "nope"/);
  });
});
