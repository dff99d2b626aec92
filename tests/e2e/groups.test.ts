/**
 * A session of groups trained side by side, end to end: the strip shows every group (named by what differs) with
 * its own buttons, Stop all stops them all, and a reload reopens the same session with nothing training, both
 * groups and every checkpoint. A group left running by a closed tab comes back interrupted with Resume offered;
 * one closed before its first checkpoint leaves no entry.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { labPerFile, shots } from './labPerFile.ts';
import { setControl, storedGroups, storedOf, storedRows, stripGroup, waitForStatus } from './labPage.ts';

const lab = labPerFile();
const FIRST = 'sparse-parity/quick, 2 seeds';
const SECOND = 'lr 0.05';
const LINK = '?task=sparse-parity&preset=quick&seeds=2&epochs=60&backend=wasm&v=1';

/** A fresh browser profile on the link, the sample's map drawn, then Start, until a checkpoint is stored. */
async function firstGroup(): Promise<Page> {
  const page = await lab().open(LINK, { fresh: true });
  await page.getByTestId('map-summary').filter({ hasText: 'states over' }).waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await waitForStatus(page, (s) => storedOf(s) >= 1, 120_000);
  return page;
}

describe('a session of groups', () => {
  it('two groups side by side, Stop all, reload: the same session reopens, nothing training, every checkpoint', async () => {
    const page = await firstGroup();
    await setControl(page, 'lr', '0.05');
    await page.getByRole('button', { name: 'Start as a new group' }).click();
    // Both train, each with its own line and buttons, named by what differs from the first.
    for (const name of [FIRST, SECOND])
      await expect
        .poll(() => stripGroup(page, name).getByTestId('strip-status').textContent(), { timeout: 120_000 })
        .toBe('running');
    await expect.poll(() => stripGroup(page, FIRST).textContent()).toMatch(/epoch \d+\/60 · \d+ seed-steps\/s · ETA/);
    await waitForStatus(page, (s) => storedOf(s) >= 1, 120_000);
    expect(await page.getByRole('button', { name: `Pause ${SECOND}` }).isEnabled()).toBe(true);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: join(shots, 'groups-strip-1280.png') });
    await page.setViewportSize({ width: 800, height: 800 });
    await page.screenshot({ path: join(shots, 'groups-strip-800.png') });
    await page.setViewportSize({ width: 1400, height: 1000 });

    await page.getByRole('button', { name: 'Stop all' }).click();
    for (const name of [FIRST, SECOND])
      await expect
        .poll(() => stripGroup(page, name).getByTestId('strip-status').textContent(), { timeout: 120_000 })
        .toBe('stopped');
    const stopped = await storedGroups(page);
    expect(stopped.map((g) => g.status)).toEqual(['stopped', 'stopped']);
    const rowsBefore = await Promise.all(stopped.map(async (g) => (await storedRows(page, g.id)).length));
    expect(rowsBefore.every((n) => n >= 1)).toBe(true);
    expect(stopped.map((g) => g.checkpoints)).toEqual(rowsBefore);

    await page.reload();
    // The same session, both groups, nothing training here or anywhere; Resume offered for each.
    for (const name of [FIRST, SECOND]) {
      await expect
        .poll(() => stripGroup(page, name).getByTestId('strip-status').textContent(), { timeout: 60_000 })
        .toBe('stopped');
      expect(await page.getByRole('button', { name: `Resume ${name}` }).isEnabled()).toBe(true);
    }
    expect(await page.getByRole('button', { name: 'Stop all' }).isDisabled()).toBe(true);
    // Every checkpoint of each group is back, the group shown last first.
    const [newest, oldest] = stopped;
    await waitForStatus(page, (s) => s.startsWith(`${rowsBefore[0]} checkpoints stored · stopped`), 60_000);
    expect(await page.getByText(`Your runs: ${FIRST}, ${SECOND}`).count()).toBe(1);
    await stripGroup(page, FIRST).getByRole('button', { name: FIRST, exact: true }).click();
    await waitForStatus(page, (s) => s.startsWith(`${rowsBefore[1]} checkpoints stored · stopped`), 60_000);
    expect((await storedGroups(page)).map((g) => [g.id, g.status, g.checkpoints])).toEqual([
      [newest.id, 'stopped', rowsBefore[0]],
      [oldest.id, 'stopped', rowsBefore[1]],
    ]);
    // The comparison and the stored list say which is which.
    await expect
      .poll(() => page.getByTestId('comparison-row').allTextContents())
      .toEqual([expect.stringContaining(FIRST), expect.stringContaining(SECOND)]);
    const listed = page.getByRole('region', { name: 'Stored sessions' });
    expect(await listed.getByRole('button', { name: SECOND, exact: true }).count()).toBe(1);
    expect(lab().errors).toEqual([]);
    await page.close();
  }, 900_000);

  it('a group left running by a closed tab reopens interrupted, Resume offered; one never checkpointed is gone', async () => {
    const page = await firstGroup();
    // A second group, closed with its tab before its first checkpoint (the record says it is starting or running).
    await setControl(page, 'epochs', '61');
    await page.getByRole('button', { name: 'Start as a new group' }).click();
    await expect
      .poll(async () => (await storedGroups(page)).map((g) => [g.status, g.checkpoints]), { timeout: 60_000 })
      .toContainEqual([expect.stringMatching(/^(starting|running)$/), 0]);
    const context = page.context();
    await page.close();

    const again = await context.newPage();
    again.on('pageerror', (e) => lab().errors.push(`page: ${e.message}`));
    await again.goto(lab().url);
    await expect
      .poll(() => stripGroup(again, FIRST).getByTestId('strip-status').textContent(), { timeout: 60_000 })
      .toMatch(/^interrupted: no worker was training it any more \(its tab was closed/);
    expect(await again.getByRole('button', { name: `Resume ${FIRST}` }).isEnabled()).toBe(true);
    expect(await again.getByTestId('strip-group').count()).toBe(1);
    const groups = await storedGroups(again);
    expect(groups.map((g) => g.status)).toEqual(['interrupted']);
    // Resume continues it from its last saved state, here.
    await again.getByRole('button', { name: `Resume ${FIRST}` }).click();
    await expect
      .poll(() => stripGroup(again, FIRST).getByTestId('strip-status').textContent(), { timeout: 120_000 })
      .toBe('running');
    await again.getByRole('button', { name: `Stop ${FIRST}` }).click();
    await expect
      .poll(() => stripGroup(again, FIRST).getByTestId('strip-status').textContent(), { timeout: 120_000 })
      .toBe('stopped');
    expect(lab().errors).toEqual([]);
    await again.close();
  }, 600_000);
});
