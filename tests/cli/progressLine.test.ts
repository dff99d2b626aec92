import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatDuration, ProgressLine } from '../../src/cli/progressLine.ts';

/** A real stream that records what is written, optionally claiming to be a terminal of some width. */
function stream(tty: boolean, columns?: number) {
  const s = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number };
  s.isTTY = tty;
  if (columns !== undefined) s.columns = columns;
  const chunks: string[] = [];
  s.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { s: s as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}

describe('ProgressLine', () => {
  it('not a terminal: whole lines, at most one per interval unless forced, then the final line', async () => {
    const { s, text } = stream(false);
    const p = new ProgressLine(s, 1e9);
    p.update('first');
    p.update('suppressed: within the interval');
    p.update('forced', true);
    p.done('finished');
    await new Promise((r) => setImmediate(r));
    expect(text()).toBe('first\nforced\nfinished\n');
  });

  it('a terminal: redraws in place, pads over a longer previous line, cuts to the width, and clears on done', async () => {
    const { s, text } = stream(true, 12);
    const p = new ProgressLine(s, 0);
    p.update('a long status', true);
    p.update('short', true);
    p.done();
    await new Promise((r) => setImmediate(r));
    // width 12 − 1 = 11 columns: 'a long status' (13) becomes 10 characters and an ellipsis
    expect(text()).toBe('\ra long sta…' + '\rshort      ' + '\r' + ' '.repeat(5) + '\r');
  });

  it('done without a line on a terminal that showed nothing writes nothing', async () => {
    const { s, text } = stream(true, 80);
    new ProgressLine(s, 0).done();
    await new Promise((r) => setImmediate(r));
    expect(text()).toBe('');
  });
});

describe('formatDuration', () => {
  const cases: [number, string][] = [
    [0, '0.0s'],
    [5.24, '5.2s'],
    [42.4, '42s'],
    [59.4, '59s'],
    [59.6, '1m00s'],
    [60, '1m00s'],
    [119.6, '2m00s'],
    [754, '12m34s'],
    [3599.6, '1h00m'],
    [3600, '1h00m'],
    [7384, '2h03m'],
    [NaN, '?'],
    [Infinity, '?'],
  ];
  for (const [s, text] of cases) it(`${s} s → ${text}`, () => expect(formatDuration(s)).toBe(text));
});
