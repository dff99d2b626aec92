import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { textBox, textWidth } from '../../src/render/textMeasure.ts';

/** Label texts of every kind the charts write. */
const SAMPLES = [
  '40 · 100%',
  '12 · 50%',
  'weights shrink',
  'detour · tightly packed biases',
  'small singular values',
  'mean first visit (checkpoint)',
  'layer_5_attention_outp…',
  'L2 norm ↓0.6 SD, weight variance ↓0.4 SD',
  'chosen K = 6',
  '−62k',
  'WWW MMM mmm iii',
  'Training map of sparse-parity-paper: linear, K = 6',
];

describe('text widths without a canvas', () => {
  it('are never narrower than Chromium’s own in sans-serif (Liberation Sans) and system-ui (DejaVu Sans), plain and bold, and close to the wider', async () => {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const real = await page.evaluate((samples) => {
        const ctx = document.createElement('canvas').getContext('2d')!;
        const out: { text: string; font: string; bold: boolean; width: number }[] = [];
        for (const font of ['sans-serif', 'system-ui'])
          for (const bold of [false, true])
            for (const text of samples) {
              ctx.font = `${bold ? 'bold ' : ''}11px ${font}`;
              out.push({ text, font, bold, width: ctx.measureText(text).width });
            }
        return out;
      }, SAMPLES);
      for (const r of real) {
        const ours = textWidth(r.text, 11, r.bold);
        expect(ours, `${r.font}${r.bold ? ' bold' : ''}: ${r.text}`).toBeGreaterThanOrEqual(r.width - 0.01);
        // Conservative, not absurd: within a fifth of the wider font's width.
        const widest = Math.max(...real.filter((x) => x.text === r.text && x.bold === r.bold).map((x) => x.width));
        expect(ours, r.text).toBeLessThan(widest * 1.2 + 2);
      }
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('a block of lines is as wide as its widest line and as tall as its lines', () => {
    expect(textBox(['ab', 'abcd'], 10, 13)).toEqual({ width: textWidth('abcd', 10), height: 26 });
    expect(textWidth('', 12)).toBe(0);
    expect(textWidth('\u{1F600}', 10)).toBeCloseTo(10.05);
  });
});
