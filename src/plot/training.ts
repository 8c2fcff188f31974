/**
 * Vega-Lite specs for training: loss and accuracy per epoch (train and test, as in the notebook)
 * and the row-normalised confusion matrix with its numbers.
 */
import type { VegaLiteSpec } from './beta.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export interface CurvePoint {
  epoch: number;
  trainLoss: number;
  testLoss: number;
  trainAccuracy: number;
  testAccuracy: number;
}

/** Two panels side by side: loss per epoch and accuracy per epoch, train and test. */
export function curvesSpec(epochs: readonly CurvePoint[], title = 'Training curves'): VegaLiteSpec {
  const values: Array<{ epoch: number; metric: string; set: string; value: number }> = [];
  for (const e of epochs) {
    values.push({ epoch: e.epoch, metric: 'loss', set: 'train', value: e.trainLoss });
    values.push({ epoch: e.epoch, metric: 'loss', set: 'test', value: e.testLoss });
    values.push({ epoch: e.epoch, metric: 'accuracy', set: 'train', value: e.trainAccuracy });
    values.push({ epoch: e.epoch, metric: 'accuracy', set: 'test', value: e.testAccuracy });
  }
  const panel = (metric: string, titleText: string) => ({
    width: 300,
    height: 220,
    title: titleText,
    transform: [{ filter: `datum.metric === '${metric}'` }],
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } },
      color: { field: 'set', type: 'nominal', title: null, sort: ['train', 'test'] },
    },
  });
  return {
    $schema: SCHEMA,
    title,
    data: { values },
    hconcat: [panel('loss', 'Loss per epoch'), panel('accuracy', 'Accuracy per epoch')],
    config: { legend: { orient: 'bottom' } },
  };
}

/** Rows = true class, normalised to 1; each cell shows its fraction, the diagonal the recall. */
export function confusionSpec(counts: readonly (readonly number[])[], labels?: readonly string[], title = 'Confusion matrix (test set, rows normalised)'): VegaLiteSpec {
  const names = labels ?? counts.map((_, i) => String(i));
  const values: Array<{ truth: string; predicted: string; fraction: number; count: number; label: string }> = [];
  counts.forEach((row, t) => {
    const total = row.reduce((s, v) => s + v, 0);
    row.forEach((count, p) => {
      const fraction = total > 0 ? count / total : 0;
      values.push({ truth: names[t]!, predicted: names[p]!, fraction, count, label: fraction >= 0.005 ? fraction.toFixed(2) : '' });
    });
  });
  const x = { field: 'predicted', type: 'ordinal', sort: names, title: 'predicted class' };
  const y = { field: 'truth', type: 'ordinal', sort: names, title: 'true class' };
  return {
    $schema: SCHEMA,
    title,
    data: { values },
    width: 360,
    height: 360,
    layer: [
      {
        mark: 'rect',
        encoding: { x, y, color: { field: 'fraction', type: 'quantitative', title: 'fraction of row', scale: { scheme: 'blues', domain: [0, 1] } } },
      },
      {
        mark: { type: 'text', fontSize: 9 },
        encoding: {
          x,
          y,
          text: { field: 'label' },
          color: { condition: { test: 'datum.fraction > 0.5', value: 'white' }, value: 'black' },
        },
      },
    ],
  };
}
