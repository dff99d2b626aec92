/**
 * Serves the built lab (dist/) from 127.0.0.1: plain static files with the right types (the tfjs .wasm files
 * included), nothing fetched from anywhere else. Used by `npm start` and the end-to-end tests.
 *
 * It sends the cross-origin isolation headers (COOP/COEP) by default: an isolated page has SharedArrayBuffer, so
 * the train worker runs tfjs-wasm's threaded build (src/train/wasmBrowser.ts). Every file is ours and same-origin,
 * so requiring CORP of cross-origin resources costs nothing.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** The headers that make a page cross-origin isolated (also sent by the Vite dev and preview servers). */
export const CROSS_ORIGIN_ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

export interface ServeOptions {
  /** Send COOP/COEP (default true); false serves the page as a host without them would. */
  crossOriginIsolation?: boolean;
}

export function serveDirectory(
  dir: string,
  host = '127.0.0.1',
  port = 5173,
  options: ServeOptions = {},
): Promise<{ server: Server; url: string }> {
  const isolation = options.crossOriginIsolation === false ? {} : CROSS_ORIGIN_ISOLATION_HEADERS;
  const root = resolve(dir);
  if (!existsSync(join(root, 'index.html')))
    throw new Error(`${root} has no index.html: build the lab first (npm run build)`);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`);
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      ...isolation,
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      ok({ server, url: `http://${host}:${actual}/` });
    });
  });
}
