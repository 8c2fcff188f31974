import { describe, expect, it } from 'vitest';
import type { Dataset } from '../data/dataset.js';
import { canonicalJson, dataFingerprint, makeManifest, sha256, verifyData } from './provenance.js';

const ds = (): Dataset => ({ name: 'd', images: Uint8Array.from({ length: 200 }, (_, i) => i % 256), labels: Uint8Array.from([1, 2]), count: 2, rows: 10, cols: 10 });

describe('provenance', () => {
  it('hashes with SHA-256 (a known vector) and canonical JSON', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
  });

  it('catches a one-byte change in the training images or labels', () => {
    const m = makeManifest('model.safetensors', new Uint8Array([1, 2, 3]), { lr: 0.1 }, ds());
    expect(() => verifyData(m, ds())).not.toThrow();
    const images = ds();
    images.images[57]! ^= 1;
    expect(() => verifyData(m, images)).toThrow(/the images' SHA-256 .* differs from the manifest/);
    const labels = ds();
    labels.labels[1] = 3;
    expect(() => verifyData(m, labels)).toThrow(/labels were changed/);
    expect(dataFingerprint(ds()).count).toBe(2);
  });
});
