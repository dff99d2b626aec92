/**
 * The metric kernels in headless Chromium on its own WebGPU (SwiftShader here): a page bundled with
 * esbuild from node_modules, served on 127.0.0.1, compares them to the CPU path on the same weights.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { METRIC_NAMES } from '../../src/metrics/index.ts';
import type { PageResult } from './browser/page.ts';
import { expectMetric } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--enable-unsafe-webgpu',
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let server: Server | undefined;
let context: BrowserContext | undefined;
const profile = mkdtempSync(join(tmpdir(), 'trainmap-chromium-'));

afterAll(async () => {
  await context?.close();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  rmSync(profile, { recursive: true, force: true });
});

async function bundlePage(): Promise<string> {
  const out = await build({
    entryPoints: [resolve(import.meta.dirname, 'browser/page.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}

async function serve(files: Record<string, [string, string]>): Promise<number> {
  server = createServer((req, res) => {
    const file = files[(req.url ?? '/').split('?')[0]];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file[0] }).end(file[1]);
  });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the test server has no port');
  return address.port;
}

describe('metric kernels in headless Chromium', () => {
  it('match the CPU path on the browser’s WebGPU', async () => {
    const script = await bundlePage();
    const port = await serve({
      '/': [
        'text/html',
        '<!doctype html><meta charset="utf-8"><title>kernels</title><script type="module" src="/page.js"></script>',
      ],
      '/page.js': ['text/javascript', script],
    });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
    });
    const page = await context.newPage();
    const seed = Date.now() % 1_000_000;
    await page.goto(`http://127.0.0.1:${port}/?seed=${seed}`);
    await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, undefined, {
      timeout: 110_000,
      polling: 250,
    });
    const result = (await page.evaluate(() => (window as unknown as { __result: unknown }).__result)) as PageResult;
    expect(result.error, 'page error').toBeUndefined();
    expect(result.adapter, 'adapter').toBeTruthy();
    expect(result.gpu).toHaveLength(result.cpu!.length);
    result.gpu!.forEach((row, s) =>
      row.forEach((v, i) =>
        expectMetric(v, result.cpu![s][i], `Chromium seed ${s} (page seed ${seed}) ${METRIC_NAMES[i]}`),
      ),
    );
  });
});
