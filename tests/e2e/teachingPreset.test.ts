/**
 * The CPU teaching preset in the page, as a class would start it (issue #16 §3 acceptance): 40 seeds on wasm from a
 * link, K chosen by model selection. The live map must reach at least two states while training runs; when (and
 * whether) it forks is measured by `npm run bench -- teaching-preset`, not asserted on time here. Stopped once the
 * map has two states, so the test costs the time a class would wait for that and no more.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { teachingPreset } from '../../tasks/teachingPreset.ts';
import { labPerFile, shots } from './labPerFile.ts';
import { storedOf, waitForStatus } from './labPage.ts';

const lab = labPerFile();

describe('the CPU teaching preset in the page', () => {
  it('40 seeds on wasm: the live map reaches at least two states, K chosen by model selection', async () => {
    const preset = teachingPreset('modular-addition', { name: 'wasm' });
    expect(preset).toBe('cpu');
    const page = await lab().open(`?task=modular-addition&preset=${preset}&seeds=40&backend=wasm`, { fresh: true });
    const map = page.getByRole('region', { name: 'Training map' });
    const summary = map.getByTestId('map-summary');
    // The page opens on a recorded sample (also 40 runs): its map is not the one under test.
    await summary.filter({ hasText: 'over 40 runs' }).waitFor({ timeout: 120_000 });
    const sampleSummary = await summary.textContent();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(page, (s) => storedOf(s) >= 3 && / · running/.test(s), 600_000);
    await expect
      .poll(async () => ((await summary.textContent()) === sampleSummary ? '' : await summary.textContent()), {
        timeout: 900_000,
        interval: 2000,
      })
      .toMatch(/^([2-9]|\d{2,}) states over 40 runs\./);
    expect(await page.getByRole('region', { name: 'Model selection' }).textContent()).not.toMatch(/fixed by/);
    await page.screenshot({ path: join(shots, 'teaching-preset-two-states.png'), fullPage: true });
    await page.getByRole('button', { name: 'Stop all' }).click();
    await waitForStatus(page, (s) => / · (stopped|done)/.test(s), 120_000);
  }, 1_200_000);
});
