// The browser peer: serves the repository (read-only, GET only, nothing outside it) on
// 127.0.0.1, opens bench/browser/epoch.html in headless Chromium through playwright-core, and
// prints the page's result as one JSON line. --epochs N; --isolated 1 sends the COOP/COEP headers
// that make the page cross-origin isolated (shared memory allowed).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { args } from './common.mjs';

const a = args();
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TYPES = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript' };
const server = createServer(async (request, response) => {
  const path = normalize(join(root, decodeURIComponent(new URL(request.url, 'http://x').pathname)));
  if (request.method !== 'GET' || !path.startsWith(root + sep)) return response.writeHead(403).end();
  try {
    const body = await readFile(path);
    const headers = { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' };
    if (a.isolated === '1') Object.assign(headers, { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
    response.writeHead(200, headers).end(body);
  } catch {
    response.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/bench/browser/epoch.html?epochs=${Number(a.epochs ?? 3)}`);
  await page.waitForFunction(() => window.result !== undefined, null, { timeout: 600_000, polling: 500 });
  const result = await page.evaluate(() => window.result);
  if (result.error) throw new Error(result.error);
  const { variant, crossOriginIsolated, ...rest } = result;
  const version = browser.version();
  console.log(JSON.stringify({ peer: `bayesprop (wasm, Chromium ${version.split('.')[0]}, ${variant.relaxed ? 'relaxed SIMD' : 'SIMD'}, 1 thread${crossOriginIsolated ? ', isolated' : ''})`, ...rest }));
} finally {
  await browser.close();
  server.close();
}
