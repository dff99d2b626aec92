import { describe, it } from 'vitest';
import { labPerFile } from './labPerFile.ts';
import { setControl } from './labPage.ts';
const lab = labPerFile();
describe('scratch', () => {
  it('logs', async () => {
    const page = await lab().open('', { fresh: true });
    await page.getByText('Recorded runs: modular addition (grokking), 40 seeds, layer norm off').waitFor();
    await page.getByRole('button', { name: 'Replay', exact: true }).click();
    await setControl(page, 'replay speed', '16');
    const t0 = Date.now();
    while (Date.now() - t0 < 240_000) {
      const s = await page.getByRole('status').textContent();
      const p = await page.getByTestId('replay-position').textContent();
      const m = await page.getByTestId('map-summary').textContent();
      console.log(((Date.now() - t0) / 1000).toFixed(0), p, '|', s, '|', m?.slice(0, 60));
      if (await page.getByTestId('replay-final').count()) break;
      await page.waitForTimeout(3000);
    }
    console.log(lab().errors);
  }, 400_000);
});
