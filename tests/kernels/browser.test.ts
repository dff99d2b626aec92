/**
 * The metric kernels in headless Chromium on its own WebGPU (SwiftShader here): a page bundled with
 * esbuild from node_modules, served on 127.0.0.1, compares them to the CPU path on the same weights.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { METRIC_NAMES } from '../../src/metrics/index.ts';
import type { PageResult } from './browser/page.ts';
import { serveBundledPage, type ServedPage } from '../helpers/bundledPage.ts';
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

let served: ServedPage | undefined;
let context: BrowserContext | undefined;
const profile = mkdtempSync(join(tmpdir(), 'trainmap-chromium-'));

afterAll(async () => {
  await context?.close();
  await served?.close();
  rmSync(profile, { recursive: true, force: true });
});

describe('metric kernels in headless Chromium', () => {
  it('match the CPU path on the browser’s WebGPU', async () => {
    served = await serveBundledPage(resolve(import.meta.dirname, 'browser/page.ts'), 'kernels');
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
    });
    const page = await context.newPage();
    const seed = Date.now() % 1_000_000;
    await page.goto(`${served.url}?seed=${seed}`);
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
