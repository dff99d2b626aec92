/**
 * Vitest global setup: one folder for the whole run's lab build. The first end-to-end file that needs the lab
 * builds it there, the others wait for it and reuse it (tests/e2e/browser.ts, buildLab); unit runs never build.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'trainmap-lab-run-'));
  process.env.TRAINMAP_LAB_BUILD = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
