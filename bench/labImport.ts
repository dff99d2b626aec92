/**
 * The lab's import in headless Chromium: a 40-run × 1000-checkpoint bundle (sampled from a known HMM over the
 * 14 metrics, bench/largeBundle.ts) handed to the page's file input, timed until its analysis is complete (model
 * selection, stability restarts and the map, all in the page's workers). Target from the lab issue: ≤ 15 s.
 */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatRunsCsv } from '../src/io/index.ts';
import { buildLab, launchLab } from '../tests/e2e/browser.ts';
import { largeBundle } from './largeBundle.ts';
import { machine, type BenchResult } from './harness.ts';

export async function labImportBench(): Promise<BenchResult> {
  const file = join(mkdtempSync(join(tmpdir(), 'trainmap-import-')), 'runs-40x1000.csv');
  writeFileSync(file, formatRunsCsv(largeBundle(40, 1000)));
  const lab = await launchLab(await buildLab());
  const rows: BenchResult['rows'] = [];
  try {
    const page = await lab.open('', { fresh: true });
    await page.getByTestId('map-summary').filter({ hasText: 'states over' }).waitFor({ timeout: 120_000 });
    const status = page.getByRole('status');
    // The sample's own analysis settles first, so the two do not share the cores.
    await page.waitForFunction(
      () => !/ · /.test(document.querySelector('[role=status]')?.textContent ?? ''),
      undefined,
      { timeout: 120_000 },
    );
    const t0 = Date.now();
    await page.getByLabel('import files').setInputFiles(file);
    let parsed = NaN;
    let text = '';
    for (;;) {
      text = ((await status.textContent()) ?? '').trim();
      if (Number.isNaN(parsed) && (await page.getByText(/^Imported: runs-40x1000\.csv/).count()) > 0)
        parsed = (Date.now() - t0) / 1000;
      if (
        /^1000 checkpoints × 40/.test(text) &&
        !/ · /.test(text) &&
        /over 40 runs/.test((await page.getByTestId('map-summary').textContent()) ?? '')
      )
        break;
      if (Date.now() - t0 > 300_000) throw new Error(`the import did not finish in 300 s; status: ${text}`);
      await page.waitForTimeout(100);
    }
    const total = (Date.now() - t0) / 1000;
    const summary = (await page.getByTestId('map-summary').textContent()) ?? '';
    rows.push({
      what: 'file handed over → parsed in the import worker, analysis started',
      value: Number(parsed.toFixed(1)),
      unit: 's',
    });
    rows.push({
      what: 'file handed over → whole analysis (selection, stability, map)',
      value: Number(total.toFixed(1)),
      unit: 's',
      target: '≤ 15 s',
    });
    rows.push({ what: 'file size', value: Number((statSync(file).size / 2 ** 20).toFixed(1)), unit: 'MiB' });
    rows.push({ what: 'map', value: summary.split('.')[0], unit: '' });
    if (lab.errors.length) rows.push({ what: 'page errors', value: lab.errors.join(' | '), unit: '' });
  } finally {
    await lab.close();
  }
  return { benchmark: 'lab-import', date: new Date().toISOString(), machine: machine(), rows };
}
