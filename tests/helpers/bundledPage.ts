/** A test page bundled by esbuild from one entry module and served from 127.0.0.1, for tests that need a browser. */
import { createServer } from 'node:http';
import { build } from 'esbuild';

export interface ServedPage {
  /** The page's address (its script is /page.js). */
  url: string;
  close(): Promise<void>;
}

export async function serveBundledPage(entry: string, title: string): Promise<ServedPage> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const files: Record<string, [string, string]> = {
    '/': [
      'text/html',
      `<!doctype html><meta charset="utf-8"><title>${title}</title><script type="module" src="/page.js"></script>`,
    ],
    '/page.js': ['text/javascript', out.outputFiles[0].text],
  };
  const server = createServer((req, res) => {
    const file = files[(req.url ?? '/').split('?')[0]];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file[0] }).end(file[1]);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the test server has no port');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
