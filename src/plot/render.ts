/**
 * Renders a Vega-Lite spec to an SVG string, headless (no DOM, no canvas): Vega-Lite compiles
 * it to Vega, Vega's scenegraph renders it. Works in Node and in the browser.
 * Example: `const svg = await renderSvg(betaShapesSpec());`
 */
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { VegaLiteSpec } from './beta.js';

export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const compiled = vegaLite.compile(spec as unknown as vegaLite.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
