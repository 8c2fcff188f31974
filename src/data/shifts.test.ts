import { describe, expect, it } from 'vitest';
import { Random } from '../math/random.js';
import { addNoise, blur, invert, rotate, uniformNoise, type Dataset } from './index.js';

const one = (pixels: number[], rows: number, cols: number): Dataset => ({ name: 't', images: Uint8Array.from(pixels), labels: Uint8Array.from([4]), count: 1, rows, cols });

describe('shifts', () => {
  it('rotates by 90° about the centre (a pixel at the top moves to the left side)', () => {
    // 3×3 with one pixel at (row 0, col 1).
    const r = rotate(one([0, 255, 0, 0, 0, 0, 0, 0, 0], 3, 3), 90);
    expect(Array.from(r.images)).toEqual([0, 0, 0, 255, 0, 0, 0, 0, 0]);
    expect(Array.from(rotate(one([1, 2, 3, 4], 2, 2), 0).images)).toEqual([1, 2, 3, 4]);
    expect(r.labels[0]).toBe(4);
  });

  it('inverts, blurs (conserving the mass inside the image) and adds clipped noise reproducibly', () => {
    expect(Array.from(invert(one([0, 100, 255], 1, 3)).images)).toEqual([255, 155, 0]);
    const img = new Array(49).fill(0);
    img[24] = 200;
    const b = blur(one(img, 7, 7), 1);
    const total = Array.from(b.images).reduce((s, v) => s + v, 0);
    expect(Math.abs(total - 200)).toBeLessThan(10);
    expect(b.images[24]).toBeLessThan(200);
    const n1 = addNoise(one(img, 7, 7), 0.3, new Random(1));
    expect(n1.images).toEqual(addNoise(one(img, 7, 7), 0.3, new Random(1)).images);
    expect(Array.from(n1.images).every((v) => v >= 0 && v <= 255)).toBe(true);
  });

  it('makes uniform noise images', () => {
    const u = uniformNoise(10, 28, 28, new Random(2));
    expect(u.count).toBe(10);
    const mean = Array.from(u.images).reduce((s, v) => s + v, 0) / u.images.length;
    expect(Math.abs(mean - 127.5)).toBeLessThan(5);
  });
});
