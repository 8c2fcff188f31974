/**
 * A read-only static file server on 127.0.0.1 for browser tests and the browser benchmark
 * (Node only): GET only, nothing outside `root`, an ephemeral port. `isolated` adds the
 * COOP/COEP headers that make pages cross-origin isolated (SharedArrayBuffer allowed).
 * Example: `const server = await serveStatic(repoRoot); … page.goto(server.url + '/bench/…'); await server.close();`
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.json': 'application/json', '.svg': 'image/svg+xml' };

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

export async function serveStatic(root: string, { isolated = false } = {}): Promise<StaticServer> {
  const base = normalize(root);
  const server = createServer((request, response) => {
    const path = normalize(join(base, decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname)));
    if (request.method !== 'GET' || !(path === base || path.startsWith(base + sep))) {
      response.writeHead(403).end();
      return;
    }
    const headers: Record<string, string> = { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' };
    if (isolated) Object.assign(headers, { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
    // The root itself answers with an empty page (a place to run page.evaluate from).
    if (path === base || path === base + sep) {
      response.writeHead(200, { ...headers, 'content-type': 'text/html' }).end('<!doctype html><title>bayesprop</title>');
      return;
    }
    readFile(path).then(
      (body) => response.writeHead(200, headers).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
