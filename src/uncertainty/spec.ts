/**
 * OOD set specifications, parsed into plain descriptions (loading them is the caller's job):
 *   mnist:3 | mnist:1,6   classes of MNIST's test set
 *   fashion-mnist[:c,…]   Fashion-MNIST's test set (or some of its classes)
 *   rotate:DEG  noise:SIGMA  invert  blur:PX   shifted copies of the in-distribution test images
 *   uniform                 images of uniform noise (as many as the in-distribution test set)
 *   idx:DIR  (or any path with a '/')   the test split of an IDX folder
 */
import { ArgumentError } from '../errors.js';

export type OodSpec =
  | { kind: 'dataset'; name: 'mnist' | 'fashion-mnist'; classes: number[] | null; text: string }
  | { kind: 'rotate'; degrees: number; text: string }
  | { kind: 'noise'; sigma: number; text: string }
  | { kind: 'invert'; text: string }
  | { kind: 'blur'; sigma: number; text: string }
  | { kind: 'uniform'; text: string }
  | { kind: 'idx'; dir: string; text: string };

const HELP = 'expected mnist:CLASSES, fashion-mnist, rotate:DEG, noise:SIGMA, invert, blur:PX, uniform, or idx:DIR';

function number(text: string, raw: string | undefined, check: (x: number) => boolean, allowed: string): number {
  const x = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  if (!check(x)) throw new ArgumentError('spec', text, allowed);
  return x;
}

function classes(text: string, raw: string | undefined): number[] | null {
  if (raw === undefined) return null;
  const parts = raw.split(',').map((s) => s.trim());
  const values = parts.map((p) => (/^\d$/.test(p) ? Number(p) : NaN));
  if (values.some((v) => Number.isNaN(v))) throw new ArgumentError('spec', text, 'classes must be digits 0-9 separated by commas, e.g. mnist:3 or mnist:1,6');
  return [...new Set(values)];
}

export function parseOodSpec(text: string): OodSpec {
  const t = text.trim();
  const colon = t.indexOf(':');
  const head = colon < 0 ? t : t.slice(0, colon);
  const arg = colon < 0 ? undefined : t.slice(colon + 1);
  switch (head) {
    case 'mnist':
    case 'fashion-mnist':
      return { kind: 'dataset', name: head, classes: classes(t, arg), text: t };
    case 'rotate':
      return { kind: 'rotate', degrees: number(t, arg, Number.isFinite, 'rotate needs an angle in degrees, e.g. rotate:45'), text: t };
    case 'noise':
      return { kind: 'noise', sigma: number(t, arg, (x) => x >= 0 && x <= 10, 'noise needs σ in [0, 10] (pixel scale 0..1), e.g. noise:0.5'), text: t };
    case 'blur':
      return { kind: 'blur', sigma: number(t, arg, (x) => x > 0 && x <= 28, 'blur needs σ in (0, 28] pixels, e.g. blur:2'), text: t };
    case 'invert':
    case 'uniform':
      if (arg !== undefined) throw new ArgumentError('spec', t, `${head} takes no argument`);
      return { kind: head, text: t };
    case 'idx':
      if (!arg) throw new ArgumentError('spec', t, 'idx needs a folder, e.g. idx:/data/kmnist');
      return { kind: 'idx', dir: arg, text: t };
    default:
      if (t.includes('/')) return { kind: 'idx', dir: t, text: t };
      throw new ArgumentError('spec', t, HELP);
  }
}

/** Whether the labels of a set mean the model's classes (so accuracy on it means something). */
export function labelsMeaningful(spec: OodSpec): boolean {
  return spec.kind === 'rotate' || spec.kind === 'noise' || spec.kind === 'invert' || spec.kind === 'blur' || (spec.kind === 'dataset' && spec.name === 'mnist');
}
