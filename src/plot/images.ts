/**
 * Grids of digit images as self-contained SVG: each tile an embedded greyscale PNG (white on
 * black, as MNIST is stored, or inverted for print) with a caption such as "pred 3 · H 1.52".
 */
import { base64, encodeGreyPng } from './png.js';

export interface Tile {
  /** rows × cols bytes. */
  pixels: Uint8Array;
  caption: string;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function imageGridSvg(tiles: readonly Tile[], { rows = 28, cols = 28, columns = 8, scale = 3, title = '' } = {}): string {
  const tileW = cols * scale;
  const tileH = rows * scale;
  const captionH = 16;
  const gap = 8;
  const titleH = title ? 24 : 0;
  const n = Math.max(1, Math.min(columns, tiles.length));
  const gridRows = Math.ceil(tiles.length / n);
  const width = n * (tileW + gap) + gap;
  const height = titleH + gridRows * (tileH + captionH + gap) + gap;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
  ];
  if (title) parts.push(`<text x="${gap}" y="17" font-family="Helvetica, Arial, sans-serif" font-size="14" font-weight="bold">${escapeXml(title)}</text>`);
  tiles.forEach((t, i) => {
    const x = gap + (i % n) * (tileW + gap);
    const y = titleH + gap + Math.floor(i / n) * (tileH + captionH + gap);
    const png = base64(encodeGreyPng(t.pixels, cols, rows));
    parts.push(`<image x="${x}" y="${y}" width="${tileW}" height="${tileH}" style="image-rendering:pixelated" href="data:image/png;base64,${png}"/>`);
    parts.push(`<text x="${x + tileW / 2}" y="${y + tileH + 12}" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" font-size="10">${escapeXml(t.caption)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
