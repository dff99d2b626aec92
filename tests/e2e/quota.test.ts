/**
 * A full storage quota end to end (issue #19): the lab's origin gets a quota no larger than what it already uses
 * (Chromium's DevTools `Storage.overrideQuotaForOrigin`, which the browser's quota manager enforces on every
 * IndexedDB write, as a full disk would), mid-run. The page must say that storage is full, how much is used and
 * what to delete; nothing stored is lost; with room again, Resume finishes the run with the rows of an
 * uninterrupted one (`trainmap run` on wasm, bit for bit).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labPerFile, shots } from './labPerFile.ts';
import {
  cliRun,
  expectStoredRowsEqual,
  storedGroups,
  storedOf,
  storedRows,
  tinyRun,
  waitForStatus,
} from './labPage.ts';

const lab = labPerFile();
const SEEDS = 2;
const EPOCHS = 40;

describe('a full storage quota in the page', () => {
  it('stops with how much is used and what to delete, loses nothing, and resumes to the uninterrupted rows', async () => {
    const reference = cliRun(SEEDS, EPOCHS);
    const page = await lab().open('', { fresh: true });
    const origin = new URL(page.url()).origin;
    const cdp = await page.context().newCDPSession(page);
    const usage = () => page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);

    await tinyRun(page, 'wasm', EPOCHS, SEEDS);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(page, (s) => storedOf(s) >= 2 && / · running/.test(s), 300_000);
    // From here on the origin has no room left: every further write is refused with QuotaExceededError.
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: await usage() });
    const before = await storedGroups(page);

    await waitForStatus(page, (s) => / · failed/.test(s), 300_000);
    await expect
      .poll(() => page.getByRole('alert').allTextContents(), { timeout: 30_000 })
      .toContainEqual(
        expect.stringMatching(
          /^failed: this browser's storage for the lab is full \(.*\); delete old sessions, then resume — nothing saved so far is lost \(.+ of .+ used\)/,
        ),
      );
    // The stored list shows what is kept and how much room it takes, with a delete button per session.
    const sessions = page.getByRole('region', { name: 'Stored sessions' });
    await expect.poll(() => sessions.textContent(), { timeout: 30_000 }).toMatch(/used of .+ available to this page/);
    expect(await sessions.getByRole('button', { name: /^delete / }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(shots, 'quota-full.png'), fullPage: true });

    // Nothing stored before the quota ran out is lost.
    const [group] = await storedGroups(page);
    expect(group.id).toBe(before[0].id);
    const kept = await storedRows(page, group.id);
    expect(kept.length).toBeGreaterThanOrEqual(2);
    expect(kept.length).toBeLessThan(EPOCHS);

    // Room again (as after deleting old sessions): the browser's own quota comes back, and Resume finishes the run.
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    await page.getByRole('button', { name: 'Resume same settings', exact: true }).click();
    await waitForStatus(page, (s) => new RegExp(`^${EPOCHS} checkpoints stored · done`).test(s), 600_000);
    await expectStoredRowsEqual(page, group.id, reference);
    expect(lab().errors).toEqual([]);
    await page.close();
  }, 900_000);
});
