/**
 * Renders Graphviz DOT to SVG with the WebAssembly build of Graphviz (@viz-js/viz): no native
 * Graphviz needed, in Node or the browser. Example: `await renderDot('digraph { a -> b }')`.
 */
import { instance, type Viz } from '@viz-js/viz';

let viz: Promise<Viz> | undefined;

export async function renderDot(dot: string): Promise<string> {
  viz ??= instance();
  const result = (await viz).render(dot, { format: 'svg' });
  if (result.status !== 'success') throw new Error(`graphviz: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.output;
}
