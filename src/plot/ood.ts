/** Vega-Lite specs for OOD detection: score histograms (in vs out), ROC curves, reliability diagrams. */
import type { VegaLiteSpec } from './beta.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Overlaid, normalised histograms of one score on the in- and out-of-distribution sets. */
export function scoreHistogramSpec(scoreName: string, sets: ReadonlyArray<{ label: string; scores: ArrayLike<number> }>, bins = 40): VegaLiteSpec {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of sets) for (const v of Array.from(s.scores)) if (Number.isFinite(v)) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!(hi > lo)) hi = lo + 1;
  const width = (hi - lo) / bins;
  const values: Array<{ set: string; x0: number; x1: number; fraction: number }> = [];
  for (const s of sets) {
    const counts = new Array<number>(bins).fill(0);
    let n = 0;
    for (const v of Array.from(s.scores)) {
      if (!Number.isFinite(v)) continue;
      counts[Math.min(bins - 1, Math.floor((v - lo) / width))]!++;
      n++;
    }
    counts.forEach((c, i) => values.push({ set: s.label, x0: lo + i * width, x1: lo + (i + 1) * width, fraction: n ? c / n : 0 }));
  }
  return {
    $schema: SCHEMA,
    title: `${scoreName}: in- vs out-of-distribution`,
    width: 480,
    height: 240,
    data: { values },
    mark: { type: 'rect', opacity: 0.55 },
    encoding: {
      x: { field: 'x0', type: 'quantitative', title: scoreName },
      x2: { field: 'x1' },
      y: { field: 'fraction', type: 'quantitative', title: 'fraction of the set', stack: null },
      color: { field: 'set', type: 'nominal', title: null },
    },
    config: { legend: { orient: 'bottom', labelLimit: 400 } },
  };
}

/** ROC curves (OOD as positive) of several scores, with the AUROC in each label. */
export function rocSpec(curves: ReadonlyArray<{ label: string; points: ReadonlyArray<{ fpr: number; tpr: number }> }>, title = 'ROC: out-of-distribution as positive'): VegaLiteSpec {
  const values = curves.flatMap((c) => c.points.map((p, i) => ({ ...p, curve: c.label, order: i })));
  return {
    $schema: SCHEMA,
    title,
    width: 320,
    height: 320,
    layer: [
      {
        data: { values: [{ fpr: 0, tpr: 0 }, { fpr: 1, tpr: 1 }] },
        mark: { type: 'line', strokeDash: [4, 4], color: '#999999' },
        encoding: { x: { field: 'fpr', type: 'quantitative' }, y: { field: 'tpr', type: 'quantitative' } },
      },
      {
        data: { values },
        mark: { type: 'line', interpolate: 'step-after' },
        encoding: {
          x: { field: 'fpr', type: 'quantitative', title: 'false positive rate (in-distribution flagged)', scale: { domain: [0, 1] } },
          y: { field: 'tpr', type: 'quantitative', title: 'true positive rate (OOD flagged)', scale: { domain: [0, 1] } },
          color: { field: 'curve', type: 'nominal', title: null },
          order: { field: 'order' },
        },
      },
    ],
    config: { legend: { orient: 'bottom', labelLimit: 400, columns: 1 } },
  };
}

/** A reliability diagram: accuracy against confidence per bin, with the diagonal. */
export function reliabilitySpec(bins: ReadonlyArray<{ lo: number; hi: number; count: number; confidence: number; accuracy: number }>, title: string): VegaLiteSpec {
  const values = bins.filter((b) => b.count > 0).map((b) => ({ ...b, mid: (b.lo + b.hi) / 2 }));
  return {
    $schema: SCHEMA,
    title,
    width: 300,
    height: 300,
    layer: [
      {
        data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] },
        mark: { type: 'line', strokeDash: [4, 4], color: '#999999' },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      },
      {
        data: { values },
        mark: { type: 'bar', opacity: 0.7 },
        encoding: {
          x: { field: 'lo', type: 'quantitative', title: 'confidence', scale: { domain: [0, 1] } },
          x2: { field: 'hi' },
          y: { field: 'accuracy', type: 'quantitative', title: 'accuracy', scale: { domain: [0, 1] } },
        },
      },
    ],
  };
}
