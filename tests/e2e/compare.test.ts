/**
 * Recorded sessions side by side (issue #16 §7): `?sample=<comparison id>` shows the manifest's comparison of the
 * two quick grokking sessions (layer norm off and on) as one row per session from its shipped analysis, a map of
 * each and what differs; the sessions' files are read only when shown; the page does not overflow at 1280 or 800 px.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AnalysisReport } from '../../src/analysis/index.ts';
import { reviveNonFinite } from '../../src/io/analysisJson.ts';
import { labPerFile, shots } from './labPerFile.ts';

const samples = join(import.meta.dirname, '../../static/samples');
const lab = labPerFile();

function shipped(file: string): AnalysisReport {
  return reviveNonFinite(JSON.parse(gunzipSync(readFileSync(join(samples, file))).toString('utf8'))) as AnalysisReport;
}

/** The sample files the page has fetched so far, by name (resource timing sees the fetches made before a test looks). */
function fetchedSamples(page: Page): Promise<string[]> {
  return page.evaluate(() => [
    ...new Set(
      performance
        .getEntriesByType('resource')
        .map((e) => /\/samples\/([^?]+)$/.exec(e.name)?.[1])
        .filter((f): f is string => f !== undefined && f !== 'manifest.json'),
    ),
  ]);
}

/** The page's width against the window's, with the first elements past its right edge to say what overflowed. */
async function expectNoOverflow(page: Page, label: string): Promise<void> {
  await page.waitForTimeout(1500); // charts redraw for their new width after a throttled resize
  const o = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: innerWidth,
    past: [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`),
  }));
  expect(
    o.scroll,
    `${label}: page ${o.scroll} px in ${o.inner} px; past the edge: ${o.past.join(', ')}`,
  ).toBeLessThanOrEqual(o.inner);
}

describe('recorded sessions side by side', () => {
  it('shows the layer-norm contrast: a row per session with its K and shape, a map each, what differs', async () => {
    const reports = ['modadd-quick-ln0', 'modadd-quick-ln1'].map((id) => shipped(`${id}.analysis.json.gz`));
    const page = await lab().open('?sample=modadd-quick-layer-norm', { fresh: true });
    const panel = page.getByRole('region', { name: 'Recorded sessions side by side' });
    await expect
      .poll(() => panel.getByTestId('comparison-difference').textContent(), { timeout: 60_000 })
      .toBe('What differs: layer norm off vs on.');
    const rows = panel.getByTestId('comparison-row');
    expect(await rows.count()).toBe(2);
    for (const [i, label] of ['layer norm off (modadd-quick-ln0)', 'layer norm on (modadd-quick-ln1)'].entries()) {
      const cells = await rows.nth(i).locator('td').allTextContents();
      expect(cells[0]).toBe(label);
      // K and the map's shape (with its support) as the shipped analysis has them: no refit.
      expect(cells[2]).toBe(String(reports[i].selection.chosenK));
      expect(cells[6]).toMatch(new RegExp(`^${reports[i].map.shape}( \\(\\d+%\\))?$`));
    }
    console.log(`compare rows: ${(await rows.allTextContents()).join(' | ')}`);
    // A map of each session, from its shipped analysis.
    const summaries = panel.getByTestId('group-map-summary');
    expect(await summaries.count()).toBe(2);
    for (const [i, r] of reports.entries())
      expect(await summaries.nth(i).textContent()).toMatch(new RegExp(`${r.selection.chosenK} states? over 40 runs`));
    // The lab's other panels show the first session; its runs were read, the second's were not.
    await page.getByText('Recorded runs: modular addition (grokking), 40 seeds, layer norm off').waitFor();
    expect((await fetchedSamples(page)).sort()).toEqual([
      'modadd-quick-ln0.analysis.json.gz',
      'modadd-quick-ln0.csv.gz',
      'modadd-quick-ln1.analysis.json.gz',
    ]);
    expect(page.url()).toMatch(/[?&]sample=modadd-quick-layer-norm(&|$)/);

    // A phone's width as well: the table scrolls inside its panel, the page does not.
    for (const width of [1280, 800, 400]) {
      await page.setViewportSize({ width, height: 900 });
      await expectNoOverflow(page, `${width} px`);
      await page.screenshot({ path: join(shots, `compare-${width}.png`), fullPage: true });
      await panel.screenshot({ path: join(shots, `compare-panel-${width}.png`) });
    }
    await page.setViewportSize({ width: 1400, height: 1000 });

    // Picking the second row shows that session below; the link still names the comparison.
    await rows.nth(1).click();
    await page.getByText('Recorded runs: modular addition (grokking), 40 seeds, layer norm on').waitFor();
    expect(await fetchedSamples(page)).toContain('modadd-quick-ln1.csv.gz');
    expect(page.url()).toMatch(/[?&]sample=modadd-quick-layer-norm(&|$)/);
    expect(lab().errors).toEqual([]);
    await page.close();
  }, 300_000);

  it('is listed with the recorded sessions: one choice opens it, another sample closes it', async () => {
    const page = await lab().open('?sample=sparse-parity-paper', { fresh: true });
    await page.getByText('Recorded runs: sparse parity (the paper), 40 seeds').waitFor({ timeout: 60_000 });
    const session = page.getByRole('region', { name: 'Replay' }).locator('select').first();
    await session.selectOption('modadd-quick-layer-norm');
    const panel = page.getByRole('region', { name: 'Recorded sessions side by side' });
    await panel.getByTestId('comparison-difference').waitFor({ timeout: 60_000 });
    expect(page.url()).toMatch(/[?&]sample=modadd-quick-layer-norm(&|$)/);
    expect(await fetchedSamples(page)).toContain('modadd-quick-ln1.analysis.json.gz');
    expect(await fetchedSamples(page)).not.toContain('modadd-quick-ln1.csv.gz');
    await session.selectOption('sparse-parity-paper');
    await page.getByText('Recorded runs: sparse parity (the paper), 40 seeds').waitFor();
    await panel.waitFor({ state: 'detached' });
    expect(lab().errors).toEqual([]);
    await page.close();
  }, 300_000);
});
