/**
 * The map that explains itself, end to end (issue #17): the legend and every caveat on the page, the analysis
 * controls writing the link's own settings (a K fixed by the control gives the map a `?states=` link gives), inputs
 * too small for a map or lacking the default features ending with a reason (and a feature picker), no horizontal
 * overflow at any width after resizes, and a run reached by keyboard. Imports are small cuts of the bundled
 * synthetic set; nothing trains.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { caveatList } from '../../src/explain/caveats.ts';
import { sparseParityReport } from '../ui/sampleReport.ts';
import { labPerFile, shots } from './labPerFile.ts';
import { storedOf, tinyRun, waitForStatus } from './labPage.ts';

const lab = labPerFile();
const dir = mkdtempSync(join(tmpdir(), 'trainmap-explain-'));

/** The first `runs` runs of the bundled synthetic set, `checkpoints` rows each; `rename` hides the 14 metrics. */
function cutCsv(name: string, runs: number, checkpoints: number, rename = false): string {
  const [header, ...rows] = readFileSync(
    resolve(import.meta.dirname, '../../static/samples/synthetic-forking.csv'),
    'utf8',
  )
    .trim()
    .split('\n');
  const byRun = new Map<string, string[]>();
  for (const row of rows) {
    const run = row.slice(0, row.indexOf(','));
    byRun.set(run, [...(byRun.get(run) ?? []), row]);
  }
  const keep = ['run', 'step', 'epoch', 'eval_acc', 'train_acc'];
  const head = rename ? header.split(',').map((c) => (keep.includes(c) ? c : `m_${c}`)) : header.split(',');
  const body = [...byRun.values()].slice(0, runs).flatMap((r) => r.slice(0, checkpoints));
  const path = join(dir, name);
  writeFileSync(path, [head.join(','), ...body].join('\n') + '\n');
  return path;
}

async function importFile(page: Page, path: string): Promise<void> {
  await page.getByLabel('import files').setInputFiles(path);
}

const summaryOf = (page: Page) => page.getByTestId('map-summary');

async function sampleShown(page: Page): Promise<void> {
  await summaryOf(page).filter({ hasText: 'states over' }).waitFor({ timeout: 60_000 });
}

describe('the map explains itself', () => {
  it('shows the legend and every caveat of the analysis in the CLI’s words', async () => {
    const page = await lab().open('?sample=sparse-parity-paper', { fresh: true });
    await sampleShown(page);
    const map = page.getByRole('region', { name: 'Training map' });
    await expect.poll(() => map.getByTestId('map-legend').isVisible()).toBe(true);
    const expected = caveatList(sparseParityReport()).map((c) => c.text);
    expect(expected.length).toBeGreaterThan(0);
    const items = map.getByTestId('caveats').getByRole('listitem');
    await expect.poll(() => items.count()).toBe(expected.length);
    for (const [i, text] of expected.entries()) expect(await items.nth(i).textContent()).toContain(text);
    await map.screenshot({ path: join(shots, '17-map-legend-caveats.png') });

    // Explain this map: the walkthrough one step at a time.
    const walk = map.getByTestId('walkthrough');
    await walk.locator('summary').click();
    expect(await walk.getByRole('heading').textContent()).toBe('What you are looking at');
    expect(await walk.textContent()).toMatch(/Step 1 of \d+.*40 runs of the same training/);
    await walk.getByRole('button', { name: 'Next' }).click();
    expect(await walk.textContent()).toMatch(/Step 2 of \d+/);
    await walk.getByRole('button', { name: 'Previous' }).click();
    expect(await walk.getByRole('heading').textContent()).toBe('What you are looking at');

    // An import of 12 runs: too few held out, and a regression that is not significant.
    await importFile(page, cutCsv('small.csv', 12, 40));
    await summaryOf(page).filter({ hasText: 'over 12 runs' }).waitFor({ timeout: 120_000 });
    const kinds = await map
      .getByTestId('caveats')
      .locator('li')
      .evaluateAll((l) => l.map((e) => e.dataset.kind));
    expect(kinds).toContain('few-held-out');
    expect(lab().errors).toEqual([]);
    await page.close();
  }, 300_000);

  it('a K at the top of the searched range offers to raise k-max, and the button refits with it', async () => {
    const page = await lab().open('?sample=sparse-parity-paper&k-max=2&v=1', { fresh: true });
    const caveat = page.getByTestId('caveats').locator('li[data-kind="k-at-top"]');
    // The shipped analysis first, then the page's own under k-max 2: K = 2, the top of the range.
    await caveat.waitFor({ timeout: 240_000 });
    expect(await caveat.textContent()).toContain('K=2 is the top of the searched range (k-max 2)');
    await caveat.getByRole('button', { name: 'Raise k-max to 6 and refit' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('k-max')).toBe('6');
    expect(await page.getByLabel('k-max', { exact: true }).inputValue()).toBe('6');
    await waitForStatus(page, (s) => /model selection/.test(s), 60_000);
    await page.close();
  }, 300_000);

  it('a tiny import (2 runs × 2 checkpoints) ends at once with the reason', async () => {
    const page = await lab().open('?sample=sparse-parity-paper', { fresh: true });
    await sampleShown(page);
    await importFile(page, cutCsv('tiny.csv', 2, 2));
    await waitForStatus(page, (s) => s.startsWith('no map'), 60_000);
    const problem = await page.getByTestId('analysis-problem').textContent();
    expect(problem).toMatch(/^No map: too little data for a map: 2 runs of 4 checkpoints in all/);
    await page.close();
  }, 120_000);

  it('a CSV without the default features offers a feature picker, and analyzes the columns chosen', async () => {
    const page = await lab().open('?sample=sparse-parity-paper', { fresh: true });
    await sampleShown(page);
    await importFile(page, cutCsv('renamed.csv', 12, 40, true));
    await waitForStatus(page, (s) => s.startsWith('no map'), 60_000);
    const problem = page.getByTestId('analysis-problem');
    expect(await problem.textContent()).toMatch(/lacks the default features/);
    const picker = problem.getByTestId('feature-picker');
    for (const c of ['m_l2', 'm_weight_var', 'm_trace']) await picker.getByLabel(c, { exact: true }).check();
    await picker.getByRole('button', { name: 'Analyze with these features' }).click();
    await summaryOf(page).filter({ hasText: 'over 12 runs' }).waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('analysis-problem').count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('features')).toBe('m_l2,m_weight_var,m_trace');
    await page.close();
  }, 300_000);

  it('a K fixed by the control gives the map a ?states= link gives', async () => {
    const small = cutCsv('small-k.csv', 12, 40);
    const linked = await lab().open('?states=3&v=1', { fresh: true });
    await sampleShown(linked);
    await importFile(linked, small);
    await summaryOf(linked)
      .filter({ hasText: /^3 states over 12 runs/ })
      .waitFor({ timeout: 120_000 });
    await waitForStatus(linked, (s) => !s.includes('·'), 120_000);
    const expected = await summaryOf(linked).textContent();
    await linked.close();

    const page = await lab().open('?sample=sparse-parity-paper', { fresh: true });
    await sampleShown(page);
    await importFile(page, small);
    await summaryOf(page).filter({ hasText: 'over 12 runs' }).waitFor({ timeout: 120_000 });
    await page.getByLabel('K', { exact: true }).selectOption('3');
    await expect.poll(() => summaryOf(page).textContent(), { timeout: 120_000 }).toBe(expected);
    expect(new URL(page.url()).searchParams.get('states')).toBe('3');
    await page.close();
  }, 400_000);
});

describe('layout and keyboard', () => {
  /** The page's width against the window's, and the elements that reach past the window's right edge. */
  const overflowOf = (page: Page) =>
    page.evaluate(() => {
      const past = [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5)
        .slice(0, 5)
        .map(
          (e) =>
            `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} (${Math.round(e.getBoundingClientRect().right)})`,
        );
      return { scroll: document.documentElement.scrollWidth, inner: innerWidth, past };
    });

  async function expectNoOverflow(page: Page, label: string): Promise<void> {
    // Charts redraw for their new width after a throttled resize.
    await page.waitForTimeout(1500);
    const o = await overflowOf(page);
    expect(
      o.scroll,
      `${label}: page ${o.scroll} px in a ${o.inner} px window; past the edge: ${o.past.join(', ')}`,
    ).toBeLessThanOrEqual(o.inner);
  }

  it('no horizontal overflow at any width from 360 to 2560 px, after resizes, a reload and in a second tab', async () => {
    const page = await lab().open();
    await sampleShown(page);
    for (const width of [1280, 360, 800, 2560, 1280, 1600, 360, 800, 1600]) {
      await page.setViewportSize({ width, height: 900 });
      await expectNoOverflow(page, `${width} px`);
      if (width === 800 || width === 1600)
        await page.screenshot({ path: join(shots, `17-page-${width}px-after-resize.png`), fullPage: true });
    }
    await page.reload();
    await sampleShown(page);
    await expectNoOverflow(page, 'reloaded at 1600 px');
    const second = await lab().open();
    await sampleShown(second);
    for (const width of [1280, 420, 1000]) {
      await second.setViewportSize({ width, height: 900 });
      await expectNoOverflow(second, `second tab at ${width} px`);
    }
    expect(lab().errors).toEqual([]);
    await second.close();
    await page.close();
  }, 300_000);

  it('no horizontal overflow on a stored session reopened', async () => {
    const page = await lab().open('?sample=sparse-parity-paper', { fresh: true });
    await sampleShown(page);
    await tinyRun(page, 'wasm', 4, 2);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(page, (s) => / · done/.test(s), 240_000);
    // A reload reopens the stored session on its group.
    await page.reload();
    await waitForStatus(page, (s) => storedOf(s) > 0, 60_000);
    for (const width of [1280, 360, 1600, 800]) {
      await page.setViewportSize({ width, height: 900 });
      await expectNoOverflow(page, `stored session at ${width} px`);
    }
    await page.close();
  }, 400_000);

  it('a skip link leads past the settings, and a run is chosen by keyboard as clicking its ribbon does', async () => {
    const page = await lab().open('?sample=sparse-parity-paper', { fresh: true });
    await sampleShown(page);
    const active = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    await page.keyboard.press('Tab');
    expect(await active()).toBe('Skip to the map');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    // On from the map: the runs table's disclosure is reached by Tab alone.
    const table = page.getByTestId('runs-table');
    for (let i = 0; i < 60 && !(await active()).startsWith('The runs as a table'); i++)
      await page.keyboard.press('Tab');
    expect(await active()).toMatch(/^The runs as a table \(40\)/);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    const first = table.getByRole('button').first();
    const key = (await first.textContent())!.trim();
    expect(await active()).toBe(key);
    expect(await first.evaluate((e) => getComputedStyle(e).outlineStyle)).not.toBe('none');
    await page.keyboard.press('Space');
    await expect.poll(() => first.getAttribute('aria-pressed')).toBe('true');
    // The map draws the chosen run's path, as after a click on its ribbon.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const second = table.getByRole('button').nth(1);
    await expect.poll(() => second.getAttribute('aria-pressed')).toBe('true');
    expect(await first.getAttribute('aria-pressed')).toBe('false');
    await page.keyboard.press('Enter');
    await expect.poll(() => second.getAttribute('aria-pressed')).toBe('false');
    await page.close();
  }, 120_000);
});
