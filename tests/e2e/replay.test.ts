/**
 * Replaying a recorded session in the page (issue #16 §1–2): the lab opens on the bundled grokking session
 * (modular addition, 40 seeds, layer norm off), one click replays it through the live path, the map forks while
 * it replays, and the last map is the analysis shipped with it. A link replays the sparse-parity sample at once.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AnalysisReport } from '../../src/analysis/index.ts';
import { reviveNonFinite } from '../../src/io/analysisJson.ts';
import { parseRunsJson } from '../../src/io/index.ts';
import { mapDifference } from '../../src/replay/sameMap.ts';
import { labPerFile, shots } from './labPerFile.ts';

const samples = join(import.meta.dirname, '../../static/samples');
const lab = labPerFile();

function shipped(file: string): AnalysisReport {
  return reviveNonFinite(JSON.parse(gunzipSync(readFileSync(join(samples, file))).toString('utf8'))) as AnalysisReport;
}

/** The analysis on show, as the page exports it. */
async function shownAnalysis(page: Page): Promise<AnalysisReport> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'analysis (JSON)' }).click(),
  ]);
  const text = readFileSync((await download.path())!, 'utf8');
  return reviveNonFinite(parseRunsJson(text, 'export').analysis) as AnalysisReport;
}

/** Drags the replay's scrubber to a checkpoint. */
async function scrubTo(page: Page, n: number): Promise<void> {
  await page.getByLabel('replay checkpoint').evaluate((e, v) => {
    (e as HTMLInputElement).value = v;
    e.dispatchEvent(new Event('input', { bubbles: true }));
  }, String(n));
}

describe('replaying a recorded session', () => {
  it('opens on the grokking session, replays it in one click to a forking map, and ends on the shipped analysis', async () => {
    const reference = shipped('modadd-quick-ln0.analysis.json.gz');
    expect(reference.map.shape).toBe('forking');
    const opened = Date.now();
    // A link that only sets the pace: the page still opens on the grokking session, and Replay plays it at 64/s.
    const page = await lab().open('?speed=64', { fresh: true });
    const map = page.getByRole('region', { name: 'Training map' });
    // The page names the session it shows, and offers its replay.
    await page.getByText('Recorded runs: modular addition (grokking), 40 seeds, layer norm off').waitFor();
    await page.getByRole('button', { name: 'Replay', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('replay-banner').textContent())
      .toMatch(/Replay of recorded runs, not training/);
    expect(await page.getByLabel('replay speed').inputValue()).toBe('64');
    // A map summary at once, then the fork. The issue asks for the fork within 60 s of opening the page; speed is
    // measured, not asserted (the house rule): the time and the load are logged, the wait is long enough for a
    // loaded machine (68-71 s at load 24-26 on the shared 2-core machine).
    await map.getByTestId('map-summary').filter({ hasText: 'over 40 runs' }).waitFor({ timeout: 60_000 });
    await expect
      .poll(() => map.getByTestId('map-summary').textContent(), { timeout: 300_000, interval: 250 })
      .toMatch(/The map is forking/);
    const forked = (Date.now() - opened) / 1000;
    console.log(
      `replay: a forking map ${forked.toFixed(1)} s after opening the page (load ${loadavg()[0].toFixed(1)})`,
    );
    await expect
      .poll(() => page.getByTestId('fork-sentence').textContent())
      .toMatch(/^The fork was first visible at checkpoint \d+ of 200/);
    console.log(await page.getByTestId('fork-sentence').textContent());
    await page.screenshot({ path: join(shots, 'replay-fork.png'), fullPage: true });

    // The last checkpoint asks for the full selection with the shipped analysis's options: the same map.
    await page.getByTestId('replay-final').waitFor({ timeout: 600_000 });
    console.log(`replay: final map ${((Date.now() - opened) / 1000).toFixed(1)} s after opening the page`);
    expect(await page.getByTestId('replay-position').textContent()).toBe('checkpoint 200 of 200');
    expect(mapDifference(await shownAnalysis(page), reference)).toBeNull();
    await page.getByRole('region', { name: 'Grokking' }).screenshot({ path: join(shots, 'replay-grokking.png') });
    await page.screenshot({ path: join(shots, 'replay-final.png'), fullPage: true });
    // This recording has its Fourier columns only after the resume at step 875: the panel says so instead of a state.
    await expect
      .poll(() => page.getByTestId('key-frequencies').textContent())
      .toMatch(/Fourier columns only from step 875 on/);

    // Scrubbing back shows the map the replay had there; forward again, the same final map.
    await scrubTo(page, 50);
    await expect.poll(() => page.getByTestId('replay-position').textContent()).toBe('checkpoint 50 of 200');
    await scrubTo(page, 200);
    await page.getByTestId('replay-final').waitFor({ timeout: 60_000 });
    expect(mapDifference(await shownAnalysis(page), reference)).toBeNull();
    expect(lab().errors).toEqual([]);
    await page.close();
  }, 900_000);

  it('a link replays the sparse-parity sample at once, at its speed, and says it is a replay', async () => {
    const page = await lab().open('?sample=sparse-parity-paper&replay=1&speed=32', { fresh: true });
    await expect
      .poll(() => page.getByTestId('replay-banner').textContent(), { timeout: 60_000 })
      .toMatch(/Replay of recorded runs, not training: sparse parity/);
    await expect
      .poll(async () =>
        Number(/checkpoint (\d+)/.exec((await page.getByTestId('replay-position').textContent())!)?.[1]),
      )
      .toBeGreaterThan(0);
    expect(await page.getByLabel('replay speed').inputValue()).toBe('32');
    expect(page.url()).toMatch(/sample=sparse-parity-paper&replay=1&speed=32/);
    await page.getByRole('button', { name: 'Pause' }).click();
    const at = await page.getByTestId('replay-position').textContent();
    await page.getByRole('button', { name: 'Step' }).click();
    const n = Number(/checkpoint (\d+)/.exec(at!)![1]);
    await expect.poll(() => page.getByTestId('replay-position').textContent()).toBe(`checkpoint ${n + 1} of 300`);
    expect(lab().errors).toEqual([]);
    await page.close();
  }, 300_000);
});
