import { describe, expect, it } from 'vitest';
import { BundleError, formatRunsCsv, parseRunsCsv, type RunBundle } from '../../src/io/index.ts';

const ok = `run,step,l1,l2,eval_acc
a,0,1.5,2,0.1
a,10,1.25,2.5,0.5
b,0,3,4,nan
b,10,inf,-inf,
`;

function errorOf(text: string): BundleError {
  try {
    parseRunsCsv(text, 'runs.csv');
  } catch (e) {
    expect(e).toBeInstanceOf(BundleError);
    return e as BundleError;
  }
  throw new Error('expected a BundleError');
}

describe('CSV run bundles', () => {
  it('reads runs, numeric columns and non-finite spellings', () => {
    const b = parseRunsCsv(ok, 'dir/runs.csv');
    expect(b.groups).toHaveLength(1);
    expect(b.groups[0].name).toBe('runs');
    const [a, bb] = b.groups[0].runs;
    expect(a.id).toBe('a');
    expect(a.checkpoints).toEqual({ step: [0, 10], l1: [1.5, 1.25], l2: [2, 2.5], eval_acc: [0.1, 0.5] });
    expect(bb.checkpoints.l1).toEqual([3, Infinity]);
    expect(bb.checkpoints.l2).toEqual([4, -Infinity]);
    expect(bb.checkpoints.eval_acc.every(Number.isNaN)).toBe(true);
  });

  it('round-trips through formatRunsCsv, non-finite values and groups included', () => {
    const bundle: RunBundle = {
      format: 'trainmap.runs/1',
      groups: [
        { name: 'g1', config: {}, runs: [{ id: 'x,1', checkpoints: { step: [0, 5], l1: [0.1 + 0.2, NaN] } }] },
        { name: 'g "2"', config: {}, runs: [{ id: 'y', checkpoints: { step: [0, 5], l1: [1e-300, -Infinity] } }] },
      ],
    };
    const back = parseRunsCsv(formatRunsCsv(bundle), 'x.csv');
    expect(back.groups.map((g) => g.name)).toEqual(['g1', 'g "2"']);
    expect(back.groups[0].runs[0].id).toBe('x,1');
    expect(back.groups[0].runs[0].checkpoints.l1[0]).toBe(0.1 + 0.2);
    expect(back.groups[0].runs[0].checkpoints.l1[1]).toBeNaN();
    expect(back.groups[1].runs[0].checkpoints.l1).toEqual([1e-300, -Infinity]);
  });

  it('accepts CRLF, a byte-order mark, quoted cells and unsorted steps', () => {
    const b = parseRunsCsv('\ufeffrun,step,l1\r\n"r ""1""",20,2\r\n"r ""1""",10,1\r\n', 'x.csv');
    expect(b.groups[0].runs[0].id).toBe('r "1"');
    expect(b.groups[0].runs[0].checkpoints).toEqual({ step: [10, 20], l1: [1, 2] });
  });

  it('empty file', () =>
    expect(errorOf('').message).toBe('runs.csv: the file is empty; expected a header like run,step,l1,l2,…'));
  it('header only', () => expect(errorOf('run,step,l1\n').message).toMatch(/no checkpoint rows follow/));
  it('missing required columns', () => {
    const e = errorOf('run,l1\na,1\n');
    expect(e.message).toBe(
      "runs.csv, line 1: missing required column 'step' (or global_step, iteration, epoch) (header: run,l1)",
    );
    expect(errorOf('step,l1\n0,1\n').message).toMatch(/missing required column 'run'/);
  });
  it('a column named twice or an empty column name', () => {
    expect(errorOf('run,step,l1,l1\n').message).toBe(
      "runs.csv, line 1, column 4: column 'l1' appears twice in the header (also column 3)",
    );
    expect(errorOf('run,step,,l1\n').message).toMatch(/line 1, column 3: empty column name/);
  });
  it('non-numeric cells name line and column', () => {
    const e = errorOf('run,step,l1,l2\na,0,1,2\na,1,1,abc\n');
    expect([e.line, e.column]).toEqual([3, 4]);
    expect(e.message).toBe("runs.csv, line 3, column 4: 'abc' in column 'l2' is not a number");
  });
  it('ragged rows', () => {
    expect(errorOf('run,step,l1\na,0,1\na,1\n').message).toBe(
      'runs.csv, line 3, column 3: 2 cells but the header has 3 columns',
    );
    expect(errorOf('run,step,l1\na,0,1,9\n').message).toMatch(/line 2, column 4: 4 cells/);
  });
  it('duplicate steps within a run', () => {
    expect(errorOf('run,step,l1\na,0,1\nb,0,1\na,0,2\n').message).toBe(
      "runs.csv, line 4, column 2: run 'a' has step 0 twice (first on line 2)",
    );
  });
  it('bad steps and empty run ids', () => {
    expect(errorOf('run,step,l1\na,1.5,1\n').message).toMatch(
      /line 2, column 2: step must be a non-negative whole number, got '1.5'/,
    );
    expect(errorOf('run,step,l1\na,-1,1\n').message).toMatch(/non-negative whole number/);
    expect(errorOf('run,step,l1\na,,1\n').message).toMatch(/non-negative whole number, got ''/);
    expect(errorOf('run,step,l1\n ,0,1\n').message).toMatch(/line 2, column 1: empty 'run' cell/);
  });
  it('an unclosed quote', () =>
    expect(errorOf('run,step,l1\n"a,0,1\n').message).toMatch(/line 2, column 1: a quoted cell is never closed/));
});

describe('CSV run bundles: hostile text', () => {
  it('a cell spelled like an inherited member is not a number; a huge header is cut in the message', () => {
    // A column that also holds numbers: the cell is an error (a column of text alone is left out; longTable tests).
    expect(errorOf('run,step,l1\na,0,1\na,1,constructor\n').message).toBe(
      "runs.csv, line 3, column 3: 'constructor' in column 'l1' is not a number",
    );
    expect(errorOf('run,step,l1\na,0,1\na,1,__proto__\n').message).toMatch(
      /'__proto__' in column 'l1' is not a number/,
    );
    const wide = `run,${Array.from({ length: 200_000 }, (_, i) => `c${i}`).join(',')}\n`;
    const e = errorOf(wide);
    expect(e.message).toMatch(
      /^runs\.csv, line 1: missing required column 'step' \(or global_step, iteration, epoch\) \(header: run,c0,c1,.*…\(\d+ characters\)\)$/,
    );
    expect(new TextEncoder().encode(e.message).length).toBeLessThan(1024);
  });

  it('control characters in run ids and cells are escaped in messages', () => {
    const e = errorOf('run,step,l1\n"\u001b[31mred\u0007",0,"\u001b]0;title\u0007"\nb,0,1\n');
    expect(e.message).toBe("runs.csv, line 2, column 3: '\\x1B]0;title\\x07' in column 'l1' is not a number");
  });

  it('rows out of step order are sorted, with a note naming the run and the line', () => {
    const b = parseRunsCsv('run,step,l1\na,0,1\nb,0,1\na,20,3\na,10,2\nb,5,2\n', 'x.csv');
    expect(b.groups[0].runs[0].checkpoints).toEqual({ step: [0, 10, 20], l1: [1, 2, 3] });
    expect(b.notes).toEqual([
      {
        kind: 'steps-reordered',
        group: 'x',
        run: 'a',
        message: "run 'a': rows were not in step order (line 5: step 10 after step 20); they were sorted by step",
      },
    ]);
  });

  it('the writer quotes column names and refuses columns the format reserves', () => {
    const bundle: RunBundle = {
      format: 'trainmap.runs/1',
      groups: [{ name: 'g', config: {}, runs: [{ id: 'a', checkpoints: { step: [0], 'x,"y"': [1] } }] }],
    };
    expect(parseRunsCsv(formatRunsCsv(bundle), 'g.csv').groups[0].runs[0].checkpoints).toEqual({
      step: [0],
      'x,"y"': [1],
    });
    const clash: RunBundle = {
      format: 'trainmap.runs/1',
      groups: [{ name: 'g', config: {}, runs: [{ id: 'a', checkpoints: { step: [0], run: [1] } }] }],
    };
    expect(() => formatRunsCsv(clash)).toThrow(/column is named 'run'/);
  });
});
