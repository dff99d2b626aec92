/**
 * The lab for classrooms and researchers, end to end in headless Chromium: a changed setting mid-run trains as a
 * second group beside the first with both maps and comparison rows; exports (runs, analysis, a valid PNG of the
 * map) read back in; a malformed import gets a located message and changes nothing.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { parseRunsJson } from '../../src/io/index.ts';
import { trainmap } from '../helpers/cli.ts';
import { labPerFile, shots } from './labPerFile.ts';
import { setControl, waitForStatus } from './labPage.ts';

const dir = mkdtempSync(join(tmpdir(), 'trainmap-classroom-'));

const lab = labPerFile();

async function save(page: Page, button: string, name: string): Promise<string> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  const path = join(dir, name);
  await download.saveAs(path);
  return path;
}

function expectSame(a: unknown, b: unknown, path: string): void {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return expect(Number.isNaN(a) && Number.isNaN(b), path).toBe(true);
    return expect(Math.abs(a - b), `${path}: ${a} vs ${b}`).toBeLessThanOrEqual(
      1e-9 * Math.max(1, Math.abs(a), Math.abs(b)),
    );
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    expect(a.length, path).toBe(b.length);
    return a.forEach((x, i) => expectSame(x, b[i], `${path}[${i}]`));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    expect(Object.keys(a).sort(), path).toEqual(Object.keys(b).sort());
    for (const k of Object.keys(a))
      expectSame((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    return;
  }
  expect(a, path).toEqual(b);
}

describe('the lab for classrooms and researchers', () => {
  it('toggling layer norm mid-run starts a second group beside the first; both maps and comparison rows show', async () => {
    const page = await lab().open('', { fresh: true });
    await page.getByTestId('map-summary').filter({ hasText: 'states over' }).waitFor({ timeout: 60_000 });
    await setControl(page, 'task', 'modular-addition');
    await setControl(page, 'preset', 'quick');
    await setControl(page, 'seeds', '3');
    await setControl(page, 'epochs', '14');
    await setControl(page, 'checkpoint-every', '1');
    await setControl(page, 'backend', 'wasm');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(page, (s) => /^[1-9]\d* checkpoints stored/.test(s), 120_000);
    // A student changes one setting while the group trains: the lab offers to train it beside.
    await page.getByLabel('layer-norm', { exact: true }).check();
    await expect.poll(() => page.getByRole('button', { name: 'Start as a new group' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Start as a new group' }).click();
    const rows = page.getByTestId('comparison-row');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(2);
    // Both finish; each has its own map and its comparison row.
    await expect
      .poll(
        async () =>
          (await page.getByTestId('group-map-summary').allTextContents()).filter((t) => /states? over 3 runs/.test(t))
            .length,
        {
          timeout: 480_000,
          interval: 2000,
        },
      )
      .toBe(2);
    // Each row is named by what tells it apart: the first by its configuration, the second by layer norm.
    await expect
      .poll(async () => (await rows.allTextContents()).map((t) => /(linear|forking)/.test(t)), { timeout: 120_000 })
      .toEqual([true, true]);
    expect(await rows.allTextContents()).toEqual([
      expect.stringMatching(/^modular-addition\/quick, 3 seeds3/),
      expect.stringMatching(/^\+ layer norm3/),
    ]);
    await expect
      .poll(async () => (await page.locator('figcaption').allTextContents()).filter((t) => / · done$/.test(t)).length, {
        timeout: 480_000,
        interval: 2000,
      })
      .toBe(2);
    expect(await page.locator('figcaption').allTextContents()).toEqual([
      'modular-addition/quick, 3 seeds · done',
      '+ layer norm · done',
    ]);
    await page.screenshot({ path: join(shots, '5-two-groups.png'), fullPage: true });
    expect(lab().errors).toEqual([]);
    await page.close();
  }, 900_000);

  it('exports the runs, the analysis and the map; the exported analysis imports as it was, and the CLI reads both', async () => {
    const page = await lab().open('?sample=sparse-parity-paper', { fresh: true });
    // The recorded runs, once the background model selection has replaced the shipped analysis.
    await expect
      .poll(() => page.getByRole('status').textContent(), { timeout: 240_000, interval: 1000 })
      .toMatch(/^300 checkpoints × 40 recorded runs$/);
    const summary = await page.getByTestId('map-summary').textContent();
    const runs = await save(page, 'runs (JSON)', 'runs.json');
    const analysis = await save(page, 'analysis (JSON)', 'runs.analysis.json');
    const png = await save(page, 'map (PNG)', 'map.png');
    const svg = await save(page, 'map (SVG)', 'map.svg');
    const bytes = readFileSync(png);
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(bytes.readUInt32BE(16)).toBeGreaterThan(400); // width from the IHDR chunk: a real picture of the map
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>$/);

    // The CLI analyzes the page's export of the runs to the same report the page shows.
    const page2cli = join(dir, 'cli.analysis.json');
    const cli = trainmap(['analyze', runs, '--out', page2cli, '--quiet']);
    expect(cli.code, cli.stderr).toBe(0);
    const fromCli = parseRunsJson(readFileSync(page2cli, 'utf8'), page2cli).analysis as Record<string, unknown>;
    const fromPage = parseRunsJson(readFileSync(analysis, 'utf8'), analysis).analysis as Record<string, unknown>;
    // The same report: every structure and decision equal, every number equal up to floating-point rounding (the
    // page's JavaScript engine and the CLI's differ in the last bits of exp and log).
    for (const key of ['selection', 'map', 'detours', 'features', 'regression', 'dissimilarity'])
      expectSame(fromPage[key], fromCli[key], key);
    expect((fromPage.runs as { path?: number[] }[]).map((r) => r.path)).toEqual(
      (fromCli.runs as { path?: number[] }[]).map((r) => r.path),
    );

    // Reload, import the page's own export: the same analysis appears, without refitting.
    await page.reload();
    await page.getByTestId('map-summary').filter({ hasText: 'states over' }).waitFor({ timeout: 60_000 });
    await page.getByLabel('import files').setInputFiles(analysis);
    await expect
      .poll(() => page.getByText(/^Imported: runs\.analysis\.json \(40 runs\)/).count(), { timeout: 60_000 })
      .toBe(1);
    await expect.poll(() => page.getByTestId('map-summary').textContent()).toBe(summary);
    // And the reverse: the CLI's export imports too.
    await page.getByLabel('import files').setInputFiles(page2cli);
    await expect
      .poll(() => page.getByText(/^Imported: cli\.analysis\.json \(40 runs\)/).count(), { timeout: 60_000 })
      .toBe(1);
    await expect.poll(() => page.getByTestId('map-summary').textContent()).toBe(summary);
    await page.close();
  }, 600_000);

  it('a malformed import gets the located message the CLI gives, and the lab keeps what it showed', async () => {
    const page = await lab().open('', { fresh: true });
    await page.getByTestId('map-summary').filter({ hasText: 'states over' }).waitFor({ timeout: 60_000 });
    const before = await page.getByTestId('map-summary').textContent();
    const bad = join(dir, 'broken.csv');
    writeFileSync(bad, 'run,step,l1,l2\nseed-0,0,1.5,2\nseed-0,1,abc,2\n');
    const cli = trainmap(['analyze', bad]);
    expect(cli.code).toBe(1);
    const located = /broken\.csv, line 3, column 3: .*'abc'.*/.exec(cli.stderr)![0];
    await page.getByLabel('import files').setInputFiles(bad);
    await expect
      .poll(() => page.getByRole('alert').allTextContents(), { timeout: 30_000 })
      .toContainEqual(`Import failed, nothing changed: ${located}`);
    expect(await page.getByTestId('map-summary').textContent()).toBe(before);
    expect(await page.getByText(/^Imported:/).count()).toBe(0);
    await page.close();
  }, 300_000);

  it('a shared URL restores the controls, reports what it cannot use, and teacher mode hides what it names', async () => {
    const page = await lab().open('?task=modular-addition&preset=quick&seeds=8&layer-norm=1&lr=0.004&v=1', {
      fresh: true,
    });
    await expect.poll(() => page.getByLabel('task', { exact: true }).inputValue()).toBe('modular-addition');
    expect(await page.getByLabel('preset', { exact: true }).inputValue()).toBe('quick');
    expect(await page.getByLabel('seeds', { exact: true }).inputValue()).toBe('8');
    expect(await page.getByLabel('lr', { exact: true }).inputValue()).toBe('0.004');
    expect(await page.getByLabel('layer-norm', { exact: true }).isChecked()).toBe(true);
    // The address bar keeps the setup: only what differs from the preset, and the version.
    expect(new URL(page.url()).search).toBe('?task=modular-addition&preset=quick&seeds=8&lr=0.004&layer-norm=1&v=1');

    const bad = await lab().open('?task=sparse-parity&preset=quick&seeds=0&colour=red&layer-norm=1', { fresh: true });
    await expect
      .poll(() => bad.getByRole('alert').allTextContents())
      .toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^From the link: seeds=0 was ignored: --seeds must be at least 1/),
          expect.stringMatching(/^From the link: colour=red was ignored: the lab has no such setting/),
          expect.stringMatching(
            /^From the link: layer-norm=1 was ignored: --layer-norm applies to modular-addition only/,
          ),
        ]),
      );
    expect(await bad.getByLabel('seeds', { exact: true }).inputValue()).toBe('40');
    await bad.getByTestId('map-summary').filter({ hasText: 'states over' }).waitFor({ timeout: 60_000 });

    // A teacher builds a link that hides the backend control and the curves, and locks the preset.
    await page.getByText('Teacher mode: a link for students').click();
    await page.getByLabel('hide curves').check();
    await page.getByRole('button', { name: 'Copy link for students' }).click();
    const link = await page.getByLabel('link for students').inputValue();
    expect(link).toMatch(/[?&]hide=curves,backend(&|$)/);
    expect(link).toMatch(/[?&]lock=1(&|$)/);
    const student = await lab().open(link.replace(lab().url, ''), { fresh: true });
    await student.getByTestId('map-summary').filter({ hasText: 'states over' }).waitFor({ timeout: 60_000 });
    expect(await student.getByLabel('backend', { exact: true }).count()).toBe(0);
    expect(await student.getByRole('region', { name: 'Curves by state' }).count()).toBe(0);
    expect(await student.getByLabel('task', { exact: true }).isDisabled()).toBe(true);
    expect(await student.getByLabel('preset', { exact: true }).isDisabled()).toBe(true);
    expect(await student.getByText('Teacher mode: a link for students').count()).toBe(0);
    expect(await student.getByLabel('seeds', { exact: true }).inputValue()).toBe('8');
    await student.screenshot({ path: join(shots, '6-student-link.png'), fullPage: true });
    for (const p of [page, bad, student]) await p.close();
  }, 300_000);
});
