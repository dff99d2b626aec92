/** Headless Chromium (Debian's, driven by playwright-core) against the built lab served from 127.0.0.1. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { serveDirectory, type ServeOptions } from '../../scripts/labServer.ts';

const root = resolve(import.meta.dirname, '../..');

export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/**
 * Builds the lab into a fresh folder (tests never reuse a stale dist/). Under `npm test` the whole run shares one
 * build (tests/labBuild.setup.ts names its folder): the first file to ask builds it, the others wait for it.
 */
export async function buildLab(): Promise<string> {
  const shared = process.env.TRAINMAP_LAB_BUILD;
  if (!shared) return buildInto(mkdtempSync(join(tmpdir(), 'trainmap-lab-')));
  const outDir = join(shared, 'lab');
  const ready = join(shared, 'ready');
  const failed = join(shared, 'failed');
  try {
    mkdirSync(join(shared, 'lock'));
  } catch {
    // Another file is building it: wait for the outcome.
    for (const t0 = Date.now(); Date.now() - t0 < 300_000; await new Promise((r) => setTimeout(r, 250))) {
      if (existsSync(ready)) return outDir;
      if (existsSync(failed)) throw new Error(`the shared lab build failed: ${readFileSync(failed, 'utf8')}`);
    }
    throw new Error(`the shared lab build in ${shared} did not finish in 5 minutes`);
  }
  try {
    await buildInto(outDir);
    writeFileSync(ready, '');
    return outDir;
  } catch (e) {
    writeFileSync(failed, String((e as Error)?.stack ?? e));
    throw e;
  }
}

async function buildInto(outDir: string): Promise<string> {
  await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return outDir;
}

export interface LabBrowser {
  url: string;
  browser: Browser;
  context: BrowserContext;
  server: Server;
  /** Console errors and uncaught exceptions seen on any page. */
  errors: string[];
  /** A new page; `fresh` gives it a context of its own (empty IndexedDB), as a first visit would have. */
  open(path?: string, options?: { fresh?: boolean }): Promise<Page>;
  close(): Promise<void>;
}

export async function launchLab(dir: string, serve: ServeOptions = {}): Promise<LabBrowser> {
  const { server, url } = await serveDirectory(dir, '127.0.0.1', 0, serve);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, '--headless=new'],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  const open = async (path = '', options: { fresh?: boolean } = {}) => {
    const page = options.fresh
      ? await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage()
      : await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
    await page.goto(url + path);
    return page;
  };
  return {
    url,
    browser,
    context,
    server,
    errors,
    open,
    async close() {
      await browser.close();
      await new Promise((r) => server.close(r));
    },
  };
}
