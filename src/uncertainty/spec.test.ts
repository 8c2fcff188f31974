import { describe, expect, it } from 'vitest';
import { labelsMeaningful, parseOodSpec } from './index.js';

describe('parseOodSpec', () => {
  it.each([
    ['mnist:3', { kind: 'dataset', name: 'mnist', classes: [3] }],
    ['mnist:1,6', { kind: 'dataset', name: 'mnist', classes: [1, 6] }],
    ['fashion-mnist', { kind: 'dataset', name: 'fashion-mnist', classes: null }],
    ['rotate:45', { kind: 'rotate', degrees: 45 }],
    ['noise:0.5', { kind: 'noise', sigma: 0.5 }],
    ['blur:2', { kind: 'blur', sigma: 2 }],
    ['invert', { kind: 'invert' }],
    ['uniform', { kind: 'uniform' }],
    ['idx:/data/kmnist', { kind: 'idx', dir: '/data/kmnist' }],
    ['./data/kmnist', { kind: 'idx', dir: './data/kmnist' }],
  ])('parses %s', (text, expected) => {
    expect(parseOodSpec(text)).toMatchObject(expected);
  });

  it.each([
    ['cifar', 'spec: "cifar" (expected mnist:CLASSES, fashion-mnist, rotate:DEG, noise:SIGMA, invert, blur:PX, uniform, or idx:DIR)'],
    ['mnist:x', 'classes must be digits 0-9'],
    ['rotate:', 'rotate needs an angle in degrees'],
    ['noise:-1', 'noise needs σ in [0, 10]'],
    ['blur:0', 'blur needs σ in (0, 28] pixels'],
    ['invert:3', 'invert takes no argument'],
  ])('rejects %s', (text, message) => {
    expect(() => parseOodSpec(text)).toThrow(message);
  });

  it('knows which sets have meaningful labels', () => {
    expect(labelsMeaningful(parseOodSpec('mnist:3'))).toBe(true);
    expect(labelsMeaningful(parseOodSpec('rotate:90'))).toBe(true);
    expect(labelsMeaningful(parseOodSpec('fashion-mnist'))).toBe(false);
    expect(labelsMeaningful(parseOodSpec('uniform'))).toBe(false);
  });
});
