/**
 * Hardware attacks: a tampered or failing scanner, with a severity knob (0 = clean):
 * - noise: Gaussian noise of σ = severity (pixel scale 0..1);
 * - blur: Gaussian blur of σ = severity pixels;
 * - brightness: + severity added to every pixel;
 * - contrast: pixels pulled toward mid-grey, x ← ½ + (1 − severity)(x − ½);
 * - dead-rows: a fraction `severity` of the rows (the same for every image) read as 0;
 * - stuck-columns: a fraction `severity` of the columns read as 1;
 * - pattern: a fixed random ±1 pattern (the scanner's "signature"), times severity, added to every image.
 * All results are clipped to [0, 1] and rounded to bytes, as a scanner would deliver them.
 */
import { imageSize, type Dataset } from '../data/dataset.js';
import { blur } from '../data/shifts.js';
import { ArgumentError } from '../errors.js';
import { Random } from '../math/random.js';

export const CORRUPTIONS = ['noise', 'blur', 'brightness', 'contrast', 'dead-rows', 'stuck-columns', 'pattern'] as const;
export type Corruption = (typeof CORRUPTIONS)[number];

const toByte = (v: number) => (v <= 0 ? 0 : v >= 1 ? 255 : Math.round(v * 255));

export function corrupt(ds: Dataset, kind: Corruption, severity: number, seed: number): Dataset {
  if (!(severity >= 0) || !Number.isFinite(severity)) throw new ArgumentError('severity', severity, 'must be a finite number >= 0');
  if (severity === 0) return ds;
  const rng = new Random(seed);
  const size = imageSize(ds);
  const { rows, cols } = ds;
  if (kind === 'blur') return blur(ds, severity);
  const images = new Uint8Array(ds.images.length);
  let perPixel: (v: number, p: number) => number;
  switch (kind) {
    case 'noise':
      perPixel = (v) => v + severity * rng.normal();
      break;
    case 'brightness':
      perPixel = (v) => v + severity;
      break;
    case 'contrast':
      perPixel = (v) => 0.5 + (1 - severity) * (v - 0.5);
      break;
    case 'dead-rows': {
      const dead = new Set(rng.shuffle(Array.from({ length: rows }, (_, i) => i)).slice(0, Math.round(Math.min(1, severity) * rows)));
      perPixel = (v, p) => (dead.has(Math.floor(p / cols)) ? 0 : v);
      break;
    }
    case 'stuck-columns': {
      const stuck = new Set(rng.shuffle(Array.from({ length: cols }, (_, i) => i)).slice(0, Math.round(Math.min(1, severity) * cols)));
      perPixel = (v, p) => (stuck.has(p % cols) ? 1 : v);
      break;
    }
    case 'pattern': {
      const pattern = Float64Array.from({ length: size }, () => (rng.uniform() < 0.5 ? -1 : 1));
      perPixel = (v, p) => v + severity * pattern[p]!;
      break;
    }
    default:
      throw new ArgumentError('kind', kind, `must be one of ${CORRUPTIONS.join(', ')}`);
  }
  for (let i = 0; i < ds.count; i++) for (let p = 0; p < size; p++) images[i * size + p] = toByte(perPixel(ds.images[i * size + p]! / 255, p));
  return { ...ds, name: `${ds.name} ${kind} ${severity}`, images };
}
