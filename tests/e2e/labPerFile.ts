/** What every end-to-end test file sets up: one built lab in one browser for its tests, and the screenshot folder. */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { buildLab, launchLab, type LabBrowser } from './browser.ts';

/** out/e2e: where the tests save their screenshots (the README's pictures come from there). */
export const shots = resolve(import.meta.dirname, '../../out/e2e');
mkdirSync(shots, { recursive: true });

/** Builds and launches the lab before the file's tests and closes it after them; the returned function gives it. */
export function labPerFile(): () => LabBrowser {
  let lab: LabBrowser | undefined;
  beforeAll(async () => {
    lab = await launchLab(await buildLab());
  }, 300_000);
  afterAll(async () => {
    await lab?.close();
  });
  return () => {
    if (!lab) throw new Error('the lab did not start (see the beforeAll error)');
    return lab;
  };
}
