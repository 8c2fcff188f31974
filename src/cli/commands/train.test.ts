import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as run } from '../testing/run.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'bayesprop-'));
type Metrics = { epochs: Array<Record<string, number>>; confusion: number[][]; data: Record<string, unknown>; config: Record<string, unknown> };
const withoutTimes = (m: Metrics) => ({ ...m, epochs: m.epochs.map(({ seconds, evalSeconds, ...rest }) => rest) });

describe('bayesprop train', () => {
  // The assignment's recipe (batch 128, lr 0.1) needs most of an epoch of the full set to pass
  // 90%; on a subset we take smaller batches (more steps) to get there in seconds.
  it('trains on 10,000 MNIST images to over 90% test accuracy and writes the four files', () => {
    const dir = tmp();
    const r = run(['train', '--limit', '10000', '--epochs', '3', '--batch-size', '32', '--seed', '1', '--out', dir, '--json']);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as Metrics;
    const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as Metrics;
    expect(metrics).toEqual(printed);
    expect(metrics.epochs).toHaveLength(3);
    for (const key of ['epoch', 'trainLoss', 'trainAccuracy', 'testLoss', 'testAccuracy', 'seconds', 'evalSeconds']) expect(metrics.epochs[0]).toHaveProperty(key);
    expect(metrics.epochs[2]!.testAccuracy).toBeGreaterThan(0.9);
    expect(metrics.data).toMatchObject({ name: 'mnist', train: 10000, test: 10000 });
    expect(metrics.confusion).toHaveLength(10);
    expect(metrics.confusion.flat().reduce((s, v) => s + v, 0)).toBe(10000);
    expect(readdirSync(dir).sort()).toEqual(['confusion.svg', 'curves.svg', 'manifest.json', 'metrics.json', 'model.safetensors']);
    expect(readFileSync(join(dir, 'curves.svg'), 'utf8')).toContain('Accuracy per epoch');
    expect(readFileSync(join(dir, 'confusion.svg'), 'utf8')).toContain('predicted class');
    // The saved model reproduces the final test accuracy.
    const e = JSON.parse(run(['eval', '--model', join(dir, 'model.safetensors'), '--json']).stdout);
    expect(e.accuracy).toBe(metrics.epochs[2]!.testAccuracy);
    expect(e.confusion).toEqual(metrics.confusion);
  });

  it('gives identical metrics (timings aside) for the same seed, and different ones for another', () => {
    const args = ['train', '--limit', '600', '--test-limit', '300', '--epochs', '2', '--hidden', '32', '--json'];
    const a = JSON.parse(run([...args, '--seed', '5']).stdout) as Metrics;
    const b = JSON.parse(run([...args, '--seed', '5']).stdout) as Metrics;
    const c = JSON.parse(run([...args, '--seed', '6']).stdout) as Metrics;
    expect(withoutTimes(a)).toEqual(withoutTimes(b));
    expect(withoutTimes(a)).not.toEqual(withoutTimes(c));
  });

  it('gives identical metrics on one kernel thread and on two (the split changes no arithmetic)', () => {
    const args = ['train', '--limit', '2000', '--test-limit', '500', '--epochs', '1', '--hidden', '96', '--seed', '3', '--json'];
    const one = JSON.parse(run([...args, '--threads', '1']).stdout) as Metrics;
    const two = JSON.parse(run([...args, '--threads', '2']).stdout) as Metrics;
    expect(withoutTimes(two)).toEqual(withoutTimes(one));
  });

  it('continues training a saved model on classes 1 and 6 (--init-from, --classes)', () => {
    const dir = tmp();
    expect(run(['train', '--limit', '500', '--test-limit', '200', '--epochs', '1', '--hidden', '16', '--out', dir, '--quiet']).code).toBe(0);
    const r = run(['train', '--init-from', join(dir, 'model.safetensors'), '--classes', '1,6', '--limit', '400', '--epochs', '1', '--json']);
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout) as Metrics;
    expect(m.config).toMatchObject({ hidden: 16, initFrom: join(dir, 'model.safetensors') });
    expect(m.data).toMatchObject({ classes: [1, 6], test: 1135 + 958 });
  });

  it('trains on Fashion-MNIST too', () => {
    const r = run(['train', '--data', 'fashion-mnist', '--limit', '300', '--test-limit', '200', '--epochs', '1', '--hidden', '16', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).data).toMatchObject({ name: 'fashion-mnist', train: 300, test: 200 });
  });

  it.each([
    [['--classes', '1,x'], 'bayesprop: --classes: "1,x" (must be digits 0-9 separated by commas, e.g. 1,6)\n'],
    [['--lr', '-1'], 'bayesprop: --lr: -1 (must be a finite number > 0)\n'],
    [['--epochs', '0'], 'bayesprop: --epochs: 0 (must be a positive integer)\n'],
    [['--threads', '0'], 'bayesprop: --threads: 0 (must be a positive integer)\n'],
    [['--data', 'cifar'], /argument 'cifar' is invalid. Allowed choices are mnist, fashion-mnist/],
    [['--data', 'fashion-mnist', '--data-dir', '/nonexistent'], 'bayesprop: --data-dir: "/nonexistent" (is not a folder)\n'],
    [['--init-from', '/nonexistent.safetensors'], 'bayesprop: --init-from: "/nonexistent.safetensors" (cannot be read: ENOENT)\n'],
  ])('rejects %j with one line and exit code 2', (args, message) => {
    const r = run(['train', ...args]);
    expect(r.code).toBe(2);
    if (typeof message === 'string') expect(r.stderr).toBe(message);
    else expect(r.stderr).toMatch(message);
  });

  it('writes a provenance manifest that catches a changed checkpoint and changed data', () => {
    const dir = tmp();
    expect(run(['train', '--limit', '500', '--test-limit', '100', '--epochs', '1', '--hidden', '8', '--out', dir, '--quiet']).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.checkpoint.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.data).toMatchObject({ count: 500 });
    const ok = run(['verify', '--model', join(dir, 'model.safetensors'), '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ checkpoint: 'ok', data: 'ok' });
    // Flip one byte of the weights: every load refuses the model.
    const bytes = readFileSync(join(dir, 'model.safetensors'));
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(join(dir, 'model.safetensors'), bytes);
    const bad = run(['eval', '--model', join(dir, 'model.safetensors')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/model.safetensors: SHA-256 [0-9a-f]{16}… differs from manifest.json .*: the checkpoint changed after training\n$/);
    // Restore it, then claim other data in the manifest.
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(join(dir, 'model.safetensors'), bytes);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, data: { ...manifest.data, labelsSha256: '0'.repeat(64) } }));
    const changed = run(['verify', '--model', join(dir, 'model.safetensors')]);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(/training data: the labels' SHA-256 .* differs from the manifest .*: labels were changed/);
  });

  it('rejects a file that is not a model', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'junk.safetensors'), 'not a model at all');
    const r = run(['eval', '--model', join(dir, 'junk.safetensors')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/junk.safetensors: header length \d+ exceeds the file/);
  });
});
