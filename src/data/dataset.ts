/**
 * An image classification data set kept as bytes: images stay a Uint8Array (28×28 per image for
 * MNIST) and a batch becomes float32 in [0, 1] only when it is used. Class filters, subsets and
 * a seeded shuffle per epoch.
 */
import { ArgumentError } from '../errors.js';
import type { Random } from '../math/random.js';
import type { Backend } from '../tensor/backend.js';
import { DataFormatError, type IdxArray } from './idx.js';

export interface Dataset {
  name: string;
  /** count × rows × cols bytes. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
}

/** A data set from an images IDX array (n×rows×cols) and a labels IDX array (n). */
export function datasetFromIdx(name: string, images: IdxArray, labels: IdxArray): Dataset {
  if (images.dims.length !== 3) throw new DataFormatError(`${name}: images have ${images.dims.length} dimensions (expected 3: count, rows, cols)`);
  if (labels.dims.length !== 1) throw new DataFormatError(`${name}: labels have ${labels.dims.length} dimensions (expected 1)`);
  const [count, rows, cols] = images.dims as [number, number, number];
  if (labels.dims[0] !== count) throw new DataFormatError(`${name}: ${count} images but ${labels.dims[0]} labels`);
  return { name, images: images.data, labels: labels.data, count, rows, cols };
}

/** The pixels of one image. */
export function imageSize(ds: Dataset): number {
  return ds.rows * ds.cols;
}

/** Only the images whose label is in `classes` (labels unchanged). */
export function filterClasses(ds: Dataset, classes: readonly number[]): Dataset {
  const wanted = new Set(classes);
  const keep: number[] = [];
  for (let i = 0; i < ds.count; i++) if (wanted.has(ds.labels[i]!)) keep.push(i);
  return select(ds, keep, `${ds.name}[classes ${classes.join(',')}]`);
}

/** The first `n` images (all when n >= count). */
export function limit(ds: Dataset, n: number): Dataset {
  if (!Number.isSafeInteger(n) || n < 1) throw new ArgumentError('limit', n, 'must be a positive integer');
  if (n >= ds.count) return ds;
  const size = imageSize(ds);
  return { ...ds, name: `${ds.name}[:${n}]`, images: ds.images.subarray(0, n * size), labels: ds.labels.subarray(0, n), count: n };
}

/** The images at `indices`, copied into a new data set. */
export function select(ds: Dataset, indices: readonly number[], name = ds.name): Dataset {
  const size = imageSize(ds);
  const images = new Uint8Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  indices.forEach((src, dst) => {
    images.set(ds.images.subarray(src * size, (src + 1) * size), dst * size);
    labels[dst] = ds.labels[src]!;
  });
  return { ...ds, name, images, labels, count: indices.length };
}

/** 0, 1, …, n−1 in a random order drawn from `rng` (Fisher–Yates). */
export function shuffledOrder(n: number, rng: Random): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.integer(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/** fillBatch's byte buffer, reused across calls (a fresh 100 KB a batch kept the collector busy). */
let batchBytes = new Uint8Array(0);

/**
 * Copies the bytes of images order[start .. start+size) into `bytes` (size × pixels, the caller's,
 * reused from batch to batch) and their labels into `y`; returns the filled part of `bytes`.
 */
export function gatherBatch(ds: Dataset, order: Int32Array | null, start: number, size: number, bytes: Uint8Array, y: Int32Array): Uint8Array {
  const pixels = imageSize(ds);
  // A plain Uint8Array view: a Node Buffer's subarray costs microseconds (it makes a Buffer).
  const images = new Uint8Array(ds.images.buffer, ds.images.byteOffset, ds.images.length);
  for (let b = 0; b < size; b++) {
    const i = order ? order[start + b]! : start + b;
    bytes.set(images.subarray(i * pixels, (i + 1) * pixels), b * pixels);
    y[b] = ds.labels[i]!;
  }
  return bytes.subarray(0, size * pixels);
}

/**
 * Writes images order[start .. start+size) as float32 in [0, 1] into `x` (size × pixels) and their
 * labels into `y`. The buffers are the caller's, reused from batch to batch; `backend` (the one
 * that owns x) converts the bytes in one kernel call.
 */
export function fillBatch(ds: Dataset, order: Int32Array | null, start: number, size: number, x: Float32Array | Float64Array, y: Int32Array, backend?: Backend): void {
  const pixels = imageSize(ds);
  if (batchBytes.length < size * pixels) batchBytes = new Uint8Array(size * pixels);
  const bytes = gatherBatch(ds, order, start, size, batchBytes, y);
  if (backend) backend.fromBytes(bytes, 1 / 255, x);
  else for (let p = 0; p < bytes.length; p++) x[p] = bytes[p]! * (1 / 255);
}

/** How many images of each class. */
export function classCounts(ds: Dataset, classes = 10): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < ds.count; i++) if (ds.labels[i]! < classes) counts[ds.labels[i]!]!++;
  return counts;
}
