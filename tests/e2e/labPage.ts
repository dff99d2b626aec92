/** Driving the lab page as a user does (its controls and buttons) and reading what it stored (the real IndexedDB). */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { parseRunsJson, type RunBundle } from '../../src/io/index.ts';
import { CHECKPOINT_COLUMNS } from '../../src/metrics/index.ts';
import type { GroupRecord, RowsRecord } from '../../src/store/labDb.ts';
import { trainmap } from '../helpers/cli.ts';

/** Sets a control by its label, as typing or choosing would, and lets the page take the change. */
export async function setControl(page: Page, name: string, value: string): Promise<void> {
  const control = page.getByLabel(name, { exact: true });
  if ((await control.evaluate((e) => e.tagName)) === 'SELECT') await control.selectOption(value);
  else {
    await control.fill(value);
    await control.dispatchEvent('change');
  }
}

/** Sets up a tiny sparse-parity run (the quick preset, few epochs and seeds) on a backend; Start trains it. */
export async function tinyRun(page: Page, backend: string, epochs: number, seeds = 3): Promise<void> {
  await setControl(page, 'task', 'sparse-parity');
  await setControl(page, 'preset', 'quick');
  await setControl(page, 'seeds', String(seeds));
  await setControl(page, 'epochs', String(epochs));
  await setControl(page, 'backend', backend);
}

/** Serves the page's wasm binaries as bytes that are not WebAssembly: tfjs-wasm's compile fails in any worker. */
export async function breakWasm(page: Page): Promise<void> {
  await page
    .context()
    .route(/\.wasm$/, (route) =>
      route.fulfill({ status: 200, contentType: 'application/wasm', body: Buffer.from('not wasm') }),
    );
}

/** Waits until the live status line (role=status) satisfies `ok`; returns its text. */
export async function waitForStatus(page: Page, ok: (text: string) => boolean, timeout: number): Promise<string> {
  const status = page.getByRole('status');
  const end = Date.now() + timeout;
  let text = '';
  while (Date.now() < end) {
    text = ((await status.textContent()) ?? '').trim();
    if (ok(text)) return text;
    await page.waitForTimeout(250);
  }
  throw new Error(`the status never matched; last: '${text}'`);
}

function readStore<T>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('trainmap');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction(name).objectStore(name).getAll();
          req.onsuccess = () => {
            resolve(req.result as T[]);
            open.result.close();
          };
          req.onerror = () => reject(req.error);
        };
      }),
    store,
  );
}

/** Stored groups, newest first. */
export async function storedGroups(page: Page): Promise<GroupRecord[]> {
  return (await readStore<GroupRecord>(page, 'groups')).sort((a, b) => b.createdAt - a.createdAt);
}

export async function storedRows(page: Page, groupId: string): Promise<RowsRecord[]> {
  return (await readStore<RowsRecord>(page, 'rows'))
    .filter((r) => r.groupId === groupId)
    .sort((a, b) => a.step - b.step);
}

/** The strip's entry of a group, found by its name there. */
export function stripGroup(page: Page, name: string): Locator {
  return page.getByTestId('strip-group').filter({ has: page.getByRole('button', { name, exact: true }) });
}

/** Checkpoints stored of the group on show, from the status line ("N checkpoints stored · …"); -1 before any. */
export function storedOf(status: string): number {
  return Number(/^(\d+) checkpoints stored/.exec(status)?.[1] ?? -1);
}

/** `trainmap run` of sparse-parity/quick on wasm with these seeds and epochs: the reference a page run must equal. */
export function cliRun(seeds: number, epochs: number): RunBundle {
  const out = join(mkdtempSync(join(tmpdir(), 'trainmap-e2e-')), 'cli.json');
  const args = ['--task', 'sparse-parity', '--preset', 'quick', '--seeds', String(seeds), '--epochs', String(epochs)];
  const cli = trainmap(['run', ...args, '--backend', 'wasm', '--out', out], { timeoutMs: 300_000 });
  expect(cli.code, cli.stderr).toBe(0);
  return parseRunsJson(readFileSync(out, 'utf8'), out);
}

/** The rows a group stored equal the reference's, every column of every seed, bit for bit, and none twice. */
export async function expectStoredRowsEqual(page: Page, groupId: string, reference: RunBundle): Promise<void> {
  const rows = await storedRows(page, groupId);
  for (const run of reference.groups[0].runs) {
    const mine = rows.map((b) => b.rows.find((r) => r.seed === run.seed)!.row);
    expect(mine.map((r) => r.step)).toEqual(run.checkpoints.step);
    for (const column of CHECKPOINT_COLUMNS)
      expect(
        mine.map((r) => r[column]),
        `seed ${run.seed} ${column}`,
      ).toEqual(run.checkpoints[column]);
  }
}
