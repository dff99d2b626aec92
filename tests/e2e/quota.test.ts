/**
 * A full storage quota end to end (issue #19): the lab's origin gets a quota no larger than what it already uses
 * (Chromium's DevTools `Storage.overrideQuotaForOrigin`, which the browser's quota manager enforces on IndexedDB
 * writes as a full disk would) with room for the lab and a few checkpoints, so that it fills mid-run. The page must say that storage is full, how much is used and
 * what to delete; nothing stored is lost; with room again, Resume finishes the run with the rows of an
 * uninterrupted one (`trainmap run` on wasm, bit for bit).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labPerFile, shots } from './labPerFile.ts';
import { cliRun, expectStoredRowsEqual, storedGroups, storedRows, tinyRun, waitForStatus } from './labPage.ts';

const lab = labPerFile();
const SEEDS = 2;
const EPOCHS = 40;
const NAME = `sparse-parity/quick, ${SEEDS} seeds`;

describe('a full storage quota in the page', () => {
  it('stops with how much is used and what to delete, loses nothing, and resumes to the uninterrupted rows', async () => {
    const reference = cliRun(SEEDS, EPOCHS);
    // What the lab itself stores on a first visit, measured on a throwaway visit.
    const first = await lab().open('', { fresh: true });
    await first.getByTestId('map-summary').filter({ hasText: 'states over' }).waitFor({ timeout: 120_000 });
    const atLoad = await first.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
    await first.context().close();

    // Chromium holds on to the room it found when the origin's store opened: the quota is set before the first visit.
    // Room for the lab and a few checkpoints, not for 40 (IndexedDB first grows by ~330 kB, then ~5 kB a checkpoint).
    const context = await lab().browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const origin = new URL(lab().url).origin;
    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: atLoad + 600_000 });
    await page.goto(lab().url);

    await tinyRun(page, 'wasm', EPOCHS, SEEDS);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(page, (s) => / · failed/.test(s), 300_000);
    await expect
      .poll(() => page.getByRole('alert').allTextContents(), { timeout: 30_000 })
      .toContainEqual(
        expect.stringMatching(
          /^failed: this browser's storage for the lab is full \(.*\); delete old sessions, then resume — nothing saved so far is lost \(.+ of .+ used\)/,
        ),
      );
    // The reason's sizes are the browser's estimate (its real quota, not the test's override).
    // The stored list shows what is kept and how much room it takes, with a delete button per session.
    const sessions = page.getByRole('region', { name: 'Stored sessions' });
    await expect.poll(() => sessions.textContent(), { timeout: 30_000 }).toMatch(/used of .+ available to this page/);
    expect(await sessions.getByRole('button', { name: /^delete / }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(shots, 'quota-full.png'), fullPage: true });

    // Nothing stored before the quota ran out is lost.
    const [group] = await storedGroups(page);
    const kept = await storedRows(page, group.id);
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(kept.length).toBeLessThan(EPOCHS);

    // Room again (as after deleting old sessions): the browser's own quota comes back, and Resume finishes the run.
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    await page.getByRole('button', { name: `Resume ${NAME}`, exact: true }).click();
    await waitForStatus(page, (s) => new RegExp(`^${EPOCHS} checkpoints stored · done`).test(s), 600_000);
    await expectStoredRowsEqual(page, group.id, reference);
    expect(errors).toEqual([]);
    await context.close();
  }, 900_000);
});
