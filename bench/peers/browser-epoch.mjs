// The browser peer: serves the repository read-only on 127.0.0.1 (dist/node/staticServer.js),
// opens bench/browser/epoch.html in headless Chromium through playwright-core, and prints the
// page's result as one JSON line. --epochs N; --isolated 1 sends the COOP/COEP headers that make
// the page cross-origin isolated (shared memory allowed).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '../../dist/node/staticServer.js';
import { args } from './common.mjs';

const a = args();
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const server = await serveStatic(root, { isolated: a.isolated === '1' });
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}/bench/browser/epoch.html?epochs=${Number(a.epochs ?? 3)}`);
  await page.waitForFunction(() => window.result !== undefined, null, { timeout: 600_000, polling: 500 });
  const result = await page.evaluate(() => window.result);
  if (result.error) throw new Error(result.error);
  const { variant, crossOriginIsolated, threads, ...rest } = result;
  const version = browser.version();
  console.log(JSON.stringify({ peer: `bayesprop (wasm, Chromium ${version.split('.')[0]}, ${variant.relaxed ? 'relaxed SIMD' : 'SIMD'}, ${threads} thread${threads > 1 ? 's' : ''}${crossOriginIsolated ? ', isolated page' : ''})`, ...rest }));
} finally {
  await browser.close();
  await server.close();
}
