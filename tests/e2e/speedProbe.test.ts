/**
 * The speed probe before Start, end to end in headless Chromium: a first visit has no measured speed; pressing the
 * probe trains the chosen setup a few steps in a worker, stores nothing in IndexedDB, and the estimate appears. While
 * a group of this tab trains, the probe is refused with the reason.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labPerFile, shots } from './labPerFile.ts';
import { setControl, storedGroups, tinyRun, waitForStatus, breakWasm } from './labPage.ts';

const lab = labPerFile();
const PROBE = "Measure this machine's speed (a few seconds)";

describe('the speed probe before Start', () => {
  it('a first visit measures the setup’s speed on demand, keeps no group, and shows the estimate', async () => {
    const page = await lab().open('', { fresh: true });
    const estimate = page.getByTestId('estimate');
    await setControl(page, 'task', 'sparse-parity');
    await setControl(page, 'preset', 'quick');
    await setControl(page, 'seeds', '2');
    await setControl(page, 'backend', 'wasm');
    await expect.poll(() => estimate.textContent()).toMatch(/No speed measured on the wasm backend/);
    await page.getByRole('button', { name: PROBE }).click();
    // It says what it does while it runs, and the button waits.
    await expect.poll(() => page.getByTestId('probe-status').textContent()).toMatch(/^Measuring/);
    expect(await page.getByRole('button', { name: PROBE }).isDisabled()).toBe(true);
    await expect
      .poll(() => estimate.textContent(), { timeout: 60_000, interval: 250 })
      .toMatch(/Estimated training time on this machine: about \d/);
    await page.screenshot({ path: join(shots, 'speed-probe.png') });
    // A measurement and nothing else: no group, no rows, in the real IndexedDB; the speed is kept for the next visit.
    expect(await storedGroups(page)).toEqual([]);
    const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('trainmap.speeds') ?? '{}') as object);
    expect(Object.keys(kept)).toEqual(['wasm']);
    expect(await page.getByRole('button', { name: PROBE }).count()).toBe(0);
    expect(lab().errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('is refused, with the reason, while a group of this tab trains', async () => {
    const page = await lab().open('', { fresh: true });
    await tinyRun(page, 'wasm', 200, 2);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(page, (s) => /^[1-9]\d* checkpoints stored/.test(s), 60_000);
    // Another backend has no speed yet, so the probe is offered for it; pressing it is refused.
    await setControl(page, 'backend', 'cpu');
    await expect.poll(() => page.getByTestId('estimate').textContent()).toMatch(/No speed measured on the cpu backend/);
    await page.getByRole('button', { name: PROBE }).click();
    await expect
      .poll(() => page.getByTestId('probe-problem').textContent())
      .toMatch(/Not measured: a group of this tab is training/);
    await page.screenshot({ path: join(shots, 'speed-probe-refused.png') });
    expect(await page.getByTestId('probe-status').count()).toBe(0);
    await page.getByRole('button', { name: 'Stop all' }).click();
    await page.close();
  }, 120_000);

  it('keeps nothing when a group of this tab starts training during the probe', async () => {
    const page = await lab().open('', { fresh: true });
    // Ten seeds of modular addition: 200 steps take far longer than 10 s on wasm, so the probe runs its 10 s.
    await setControl(page, 'task', 'modular-addition');
    await setControl(page, 'preset', 'quick');
    await setControl(page, 'seeds', '10');
    await setControl(page, 'backend', 'wasm');
    await page.getByRole('button', { name: PROBE }).click();
    await expect
      .poll(() => page.getByTestId('probe-status').textContent(), { timeout: 30_000 })
      .toMatch(/^Measuring on wasm: \d+ of at most 200 steps/);
    await page.screenshot({ path: join(shots, 'speed-probe-measuring.png') });
    // A group starts on another backend meanwhile (its own speed is measured for that one).
    await setControl(page, 'backend', 'cpu');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await setControl(page, 'backend', 'wasm');
    await expect
      .poll(() => page.getByTestId('probe-problem').textContent(), { timeout: 60_000 })
      .toMatch(/^The speed probe failed: a group of this tab started training during the probe/);
    const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('trainmap.speeds') ?? '{}') as object);
    expect(Object.keys(kept)).not.toContain('wasm');
    await page.getByRole('button', { name: 'Stop all' }).click();
    await page.close();
  }, 120_000);

  it('says why when the backend cannot start, and keeps no speed', async () => {
    const page = await lab().open('', { fresh: true });
    // The wasm binaries arrive, but not as WebAssembly (breakWasm): tfjs-wasm's compile fails inside the probe worker.
    await breakWasm(page);
    await tinyRun(page, 'wasm', 20, 2);
    await page.getByRole('button', { name: PROBE }).click();
    await expect
      .poll(() => page.getByTestId('probe-problem').textContent(), { timeout: 60_000 })
      .toMatch(/^The speed probe failed: backend 'wasm' is not available here \(wasm: .*CompileError/);
    await page.screenshot({ path: join(shots, 'speed-probe-failed.png') });
    expect(await page.getByTestId('probe-status').count()).toBe(0);
    expect(await page.getByRole('button', { name: PROBE }).isEnabled()).toBe(true);
    expect(await page.evaluate(() => localStorage.getItem('trainmap.speeds'))).toBeNull();
    await page.close();
  }, 120_000);
});
