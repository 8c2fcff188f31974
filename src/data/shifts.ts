/**
 * Shifted copies of an image data set, for out-of-distribution tests: rotation (bilinear, about
 * the centre, counter-clockwise for positive degrees, zeros outside), additive Gaussian noise (σ in units of the [0, 1] pixel scale,
 * clipped), inversion, Gaussian blur (σ in pixels, separable kernel of radius ⌈3σ⌉), and images of
 * uniform noise. Images stay bytes; randomness comes from the generator passed in.
 */
import { ArgumentError } from '../errors.js';
import type { Random } from '../math/random.js';
import { imageSize, type Dataset } from './dataset.js';

function mapImages(ds: Dataset, name: string, f: (src: Uint8Array, dst: Uint8Array) => void): Dataset {
  const size = imageSize(ds);
  const images = new Uint8Array(ds.images.length);
  for (let i = 0; i < ds.count; i++) f(ds.images.subarray(i * size, (i + 1) * size), images.subarray(i * size, (i + 1) * size));
  return { ...ds, name, images };
}

const clampByte = (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));

export function rotate(ds: Dataset, degrees: number): Dataset {
  if (!Number.isFinite(degrees)) throw new ArgumentError('rotate', degrees, 'must be a finite number of degrees');
  const { rows, cols } = ds;
  const t = (degrees * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const cy = (rows - 1) / 2;
  const cx = (cols - 1) / 2;
  return mapImages(ds, `${ds.name} rotated ${degrees}°`, (src, dst) => {
    for (let y = 0; y < rows; y++)
      for (let x = 0; x < cols; x++) {
        // Inverse mapping (counter-clockwise on screen, as scipy.ndimage.rotate and PIL): where in
        // the source does this output pixel come from?
        const sx = cos * (x - cx) - sin * (y - cy) + cx;
        const sy = sin * (x - cx) + cos * (y - cy) + cy;
        const x0 = Math.floor(sx);
        const y0 = Math.floor(sy);
        const fx = sx - x0;
        const fy = sy - y0;
        const at = (yy: number, xx: number) => (yy >= 0 && yy < rows && xx >= 0 && xx < cols ? src[yy * cols + xx]! : 0);
        const v = (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) + fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
        dst[y * cols + x] = clampByte(v);
      }
  });
}

export function addNoise(ds: Dataset, sigma: number, rng: Random): Dataset {
  if (!(sigma >= 0) || !Number.isFinite(sigma)) throw new ArgumentError('noise', sigma, 'must be a finite σ >= 0 (pixel scale 0..1)');
  return mapImages(ds, `${ds.name} + N(0, ${sigma}²) noise`, (src, dst) => {
    for (let i = 0; i < src.length; i++) dst[i] = clampByte(src[i]! + 255 * sigma * rng.normal());
  });
}

export function invert(ds: Dataset): Dataset {
  return mapImages(ds, `${ds.name} inverted`, (src, dst) => {
    for (let i = 0; i < src.length; i++) dst[i] = 255 - src[i]!;
  });
}

export function blur(ds: Dataset, sigma: number): Dataset {
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new ArgumentError('blur', sigma, 'must be a finite σ > 0 in pixels');
  const radius = Math.ceil(3 * sigma);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const total = kernel.reduce((a, b) => a + b, 0);
  const k = kernel.map((v) => v / total);
  const { rows, cols } = ds;
  const tmp = new Float64Array(rows * cols);
  return mapImages(ds, `${ds.name} blurred σ=${sigma}px`, (src, dst) => {
    for (let y = 0; y < rows; y++)
      for (let x = 0; x < cols; x++) {
        let s = 0;
        for (let d = -radius; d <= radius; d++) {
          const xx = x + d;
          if (xx >= 0 && xx < cols) s += k[d + radius]! * src[y * cols + xx]!;
        }
        tmp[y * cols + x] = s;
      }
    for (let y = 0; y < rows; y++)
      for (let x = 0; x < cols; x++) {
        let s = 0;
        for (let d = -radius; d <= radius; d++) {
          const yy = y + d;
          if (yy >= 0 && yy < rows) s += k[d + radius]! * tmp[yy * cols + x]!;
        }
        dst[y * cols + x] = clampByte(s);
      }
  });
}

/** `count` images of independent uniform pixels (labels 0: they mean nothing). */
export function uniformNoise(count: number, rows: number, cols: number, rng: Random): Dataset {
  const images = new Uint8Array(count * rows * cols);
  for (let i = 0; i < images.length; i++) images[i] = rng.integer(256);
  return { name: 'uniform noise', images, labels: new Uint8Array(count), count, rows, cols };
}
