/** Vega-Lite specs for attacks: robust accuracy and success against ε, accuracy against severity. */
import type { VegaLiteSpec } from './beta.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Lines of y against x, one per series. */
export function linesSpec(title: string, xTitle: string, yTitle: string, points: ReadonlyArray<{ x: number; y: number; series: string }>): VegaLiteSpec {
  return {
    $schema: SCHEMA,
    title,
    width: 420,
    height: 260,
    data: { values: points },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: xTitle },
      y: { field: 'y', type: 'quantitative', title: yTitle, scale: { domain: [0, 1] } },
      color: { field: 'series', type: 'nominal', title: null },
    },
    config: { legend: { orient: 'bottom', labelLimit: 400 } },
  };
}

export function attackCurveSpec(method: string, results: ReadonlyArray<{ eps: number; robustAccuracy: number; successRate: number }>, rerouted?: ReadonlyArray<{ eps: number; rerouted: number }>): VegaLiteSpec {
  const points = results.flatMap((r) => [
    { x: r.eps, y: r.robustAccuracy, series: 'robust accuracy' },
    { x: r.eps, y: r.successRate, series: 'attack success rate' },
  ]);
  if (rerouted) points.push(...rerouted.map((r) => ({ x: r.eps, y: r.rerouted, series: 'zip codes rerouted' })));
  return linesSpec(`${method.toUpperCase()} against ε (L∞, pixels in [0, 1])`, 'ε', 'fraction', points);
}
