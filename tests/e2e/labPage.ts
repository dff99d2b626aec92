/** Driving the lab page as a user does (its controls and buttons) and reading what it stored (the real IndexedDB). */
import type { Page } from 'playwright-core';
import type { GroupRecord, RowsRecord } from '../../src/store/labStore.ts';

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
