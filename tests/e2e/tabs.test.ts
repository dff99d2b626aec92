/**
 * One tab trains a group at a time: two pages of one browser (one IndexedDB, one set of Web Locks). The second
 * page reopens the session the first has open, says the group trains in another tab, follows its progress live
 * and cannot start it; it takes the group over (the first tab stops after its current step and saves), finishes
 * it, and the stored rows equal an uninterrupted CLI run of the same configuration, bit for bit, none twice.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { labPerFile, shots } from './labPerFile.ts';
import { cliRun, expectStoredRowsEqual, storedGroups, storedOf, stripGroup, waitForStatus } from './labPage.ts';

const lab = labPerFile();
const SEEDS = 2;
// Long enough that a quiet machine is still training when the second tab takes over (10 epochs finished first).
const EPOCHS = 60;
const NAME = `sparse-parity/quick, ${SEEDS} seeds`;

/** The epoch the strip shows for the group (-1 before any progress). */
async function stripEpoch(page: Page): Promise<number> {
  return Number(/epoch (\d+)\//.exec((await stripGroup(page, NAME).textContent()) ?? '')?.[1] ?? -1);
}

describe('two tabs, one group', () => {
  it('the second tab follows read-only, takes over, and the finished run equals the CLI run', async () => {
    const reference = cliRun(SEEDS, EPOCHS);
    const first = await lab().open(
      `?task=sparse-parity&preset=quick&seeds=${SEEDS}&epochs=${EPOCHS}&backend=wasm&v=1`,
      { fresh: true },
    );
    await first.getByTestId('map-summary').filter({ hasText: 'states over' }).waitFor({ timeout: 60_000 });
    await first.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(first, (s) => storedOf(s) >= 1, 120_000);

    // The same browser, a second tab: it opens the session the first has open.
    const second = await first.context().newPage();
    second.on('pageerror', (e) => lab().errors.push(`page: ${e.message}`));
    await second.goto(lab().url);
    const strip = stripGroup(second, NAME);
    await expect
      .poll(() => strip.getByTestId('strip-status').textContent(), { timeout: 60_000 })
      .toMatch(/^training in another tab · running/);
    // Read-only: no Pause, Resume, Step or Stop for it here, only Take over; Stop all has nothing to stop.
    for (const action of ['Pause', 'Resume', 'Step', 'Stop'])
      expect(await second.getByRole('button', { name: `${action} ${NAME}` }).count(), action).toBe(0);
    expect(await second.getByRole('button', { name: 'Stop all' }).isDisabled()).toBe(true);
    // It follows the progress live, and the rows as the first tab stores them.
    const seen = await stripEpoch(second);
    await expect.poll(() => stripEpoch(second), { timeout: 120_000 }).toBeGreaterThan(seen);
    const stored = storedOf(await waitForStatus(second, (s) => storedOf(s) >= 2, 120_000));
    await waitForStatus(second, (s) => storedOf(s) > stored, 120_000);
    await second.setViewportSize({ width: 1280, height: 800 });
    await second.screenshot({ path: join(shots, 'tabs-second-1280.png') });
    await second.setViewportSize({ width: 800, height: 800 });
    await second.screenshot({ path: join(shots, 'tabs-second-800.png') });
    await second.setViewportSize({ width: 1280, height: 800 });

    // Take over: the first tab hands the group over after its current step; it now follows it.
    await second.getByRole('button', { name: `Take over ${NAME}` }).click();
    await expect
      .poll(() => stripGroup(first, NAME).getByTestId('strip-status').textContent(), { timeout: 120_000 })
      .toMatch(/^training in another tab · /);
    await expect
      .poll(() => second.getByTestId('phase').textContent(), { timeout: 60_000 })
      .toMatch(/continued from step \d+/);
    expect(await first.getByRole('button', { name: `Take over ${NAME}` }).count()).toBe(1);
    await first.screenshot({ path: join(shots, 'tabs-first-after-take-over.png') });

    await waitForStatus(second, (s) => new RegExp(`^${EPOCHS} checkpoints stored · done`).test(s), 300_000);
    // The first tab saw the end too, from the store.
    await expect
      .poll(() => stripGroup(first, NAME).getByTestId('strip-status').textContent(), { timeout: 60_000 })
      .toBe('done');
    const [group] = await storedGroups(second);
    expect(group).toMatchObject({ status: 'done', checkpoints: EPOCHS });
    await expectStoredRowsEqual(second, group.id, reference);
    expect(lab().errors).toEqual([]);
    await first.close();
    await second.close();
  }, 900_000);

  it('when the tab that trains a group closes, the tab that follows it sees it interrupted and may resume it', async () => {
    const first = await lab().open(`?task=sparse-parity&preset=quick&seeds=${SEEDS}&epochs=60&backend=wasm&v=1`, {
      fresh: true,
    });
    // Start pressed at once waits for the store to open.
    await first.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(first, (s) => storedOf(s) >= 1, 120_000);
    const second = await first.context().newPage();
    await second.goto(lab().url);
    const status = () => stripGroup(second, NAME).getByTestId('strip-status').textContent();
    await expect.poll(status, { timeout: 60_000 }).toMatch(/^training in another tab · running/);
    await first.close();
    await expect.poll(status, { timeout: 60_000 }).toMatch(/^interrupted: no worker was training it any more/);
    expect(await second.getByRole('button', { name: `Resume ${NAME}` }).isEnabled()).toBe(true);
    await second.close();
  }, 300_000);
});
