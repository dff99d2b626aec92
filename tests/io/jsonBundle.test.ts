import { describe, expect, it } from 'vitest';
import { RAW_CONTROL } from '../helpers/controls.ts';
import { BundleError, formatRunsJson, parseRunsJson, readBundleText, type RunBundle } from '../../src/io/index.ts';

const bundle: RunBundle = {
  format: 'trainmap.runs/1',
  groups: [
    {
      name: 'modadd',
      config: { lr: 1e-3 },
      runs: [
        { id: 'seed-0', seed: 0, checkpoints: { step: [0, 10], l1: [1, 2], eval_acc: [0, 1] } },
        {
          id: 'seed-1',
          seed: 1,
          checkpoints: { step: [0, 10], l1: [NaN, Infinity], eval_acc: [0, -Infinity] },
          diverged: { step: 10, reason: 'loss is NaN' },
        },
      ],
    },
  ],
};

function errorOf(text: string): BundleError {
  try {
    parseRunsJson(text, 'runs.json');
  } catch (e) {
    expect(e).toBeInstanceOf(BundleError);
    return e as BundleError;
  }
  throw new Error('expected a BundleError');
}

describe('JSON run bundles', () => {
  it('round-trips, non-finite values included', () => {
    const back = parseRunsJson(formatRunsJson(bundle, 2), 'runs.json');
    expect(back.groups[0].runs[0]).toEqual(bundle.groups[0].runs[0]);
    const r1 = back.groups[0].runs[1];
    expect(r1.checkpoints.l1[0]).toBeNaN();
    expect(r1.checkpoints.l1[1]).toBe(Infinity);
    expect(r1.checkpoints.eval_acc[1]).toBe(-Infinity);
    expect(r1.diverged).toEqual({ step: 10, reason: 'loss is NaN' });
    expect(back.groups[0].config).toEqual({ lr: 1e-3 });
  });

  it("reads Python's bare NaN/Infinity tokens and nulls, without touching strings", () => {
    const text =
      '{"format":"trainmap.runs/1","groups":[{"name":"NaN Infinity","runs":[{"id":"NaN","checkpoints":{"step":[0,1,2],"l1":[NaN,-Infinity,null]}}]}]}';
    const b = parseRunsJson(text, 'py.json');
    expect(b.groups[0].name).toBe('NaN Infinity');
    expect(b.groups[0].runs[0].id).toBe('NaN');
    const l1 = b.groups[0].runs[0].checkpoints.l1;
    expect([Number.isNaN(l1[0]), l1[1], Number.isNaN(l1[2])]).toEqual([true, -Infinity, true]);
  });

  it('columns stay exact after bare NaN tokens on the same line (Python writes one line)', () => {
    const text =
      '{"format":"trainmap.runs/1","groups":[{"name":"g","runs":[{"id":"a","checkpoints":{"step":[0,1],"l1":[NaN,NaN,NaN,"x"]}}]}]}';
    const e = errorOf(text);
    expect(e.message).toMatch(/checkpoints\.l1\[3\]: expected a number, got the string "x"/);
    expect(e.column).toBe(text.indexOf('"x"') + 1);
  });

  it('the markers for bare tokens cannot collide with data: strings that look like them are errors, on any line', () => {
    for (const cell of ['"N"', '"Infini"', '"-Infini"', '"\\u0000trainmap-nonfinite:NaN"']) {
      const text = `{"format":"trainmap.runs/1","groups":[{"name":"g","runs":[{"id":"a",\n"checkpoints":{"step":[0,1,2],"l1":[NaN,Infinity,${cell}]}}]}]}`;
      const e = errorOf(text);
      expect(e.message).toMatch(/checkpoints\.l1\[2\]: expected a number, got the string/);
      expect([e.line, e.column]).toEqual([2, text.split('\n')[1].indexOf(cell) + 1]);
    }
    // The nonce-shaped string above is data when it holds no marker: a bare NaN next to it still reads as NaN.
    const ok = parseRunsJson(
      '{"format":"trainmap.runs/1","groups":[{"name":"trainmap-nonfinite","runs":[{"id":"a","checkpoints":{"step":[0],"l1":[NaN]}}]}]}',
      'x.json',
    );
    expect(Number.isNaN(ok.groups[0].runs[0].checkpoints.l1[0])).toBe(true);
  });

  it('a diverged mark needs a step', () => {
    const text =
      '{"format":"trainmap.runs/1","groups":[{"name":"g","runs":[{"id":"a","checkpoints":{"step":[0]},"diverged":{"step":"later"}}]}]}';
    expect(errorOf(text).message).toMatch(
      /diverged\.step: expected the step where the run diverged \(a whole number\), got the string "later"/,
    );
  });

  it('sorts checkpoints by step', () => {
    const b = parseRunsJson(
      '{"format":"trainmap.runs/1","groups":[{"name":"g","runs":[{"id":"a","checkpoints":{"step":[5,0],"l1":[2,1]}}]}]}',
      'x.json',
    );
    expect(b.groups[0].runs[0].checkpoints).toEqual({ step: [0, 5], l1: [1, 2] });
  });

  it('empty file and invalid JSON name line and column', () => {
    expect(errorOf('  ').message).toMatch(/the file is empty/);
    const e = errorOf('{\n  "format": "trainmap.runs/1",\n  "groups": [,]\n}');
    expect(e.line).toBe(3);
    expect(e.message).toBe("runs.json, line 3, column 14: not valid JSON: expected a value, found ','");
    expect(errorOf('{"format": "trainmap.runs/1",\n "groups": [}').message).toBe(
      "runs.json, line 2, column 13: not valid JSON: expected a value, found '}'",
    );
    expect(errorOf('{"a": 1').message).toMatch(
      /line 1, column 8: not valid JSON: expected ',' or '}', found the end of the file/,
    );
  });

  it('wrong format, missing groups, empty groups', () => {
    expect(errorOf('{"format":"other","groups":[]}').message).toBe(
      'runs.json, line 1, column 11: format: format must be "trainmap.runs/1", got the string "other"',
    );
    expect(errorOf('{"format":"trainmap.runs/1"}').message).toBe(
      "runs.json, line 1, column 1: missing required key 'groups' (the list of run groups)",
    );
    expect(errorOf('{"format":"trainmap.runs/1","groups":[]}').message).toMatch(/the bundle has no groups/);
  });

  it('a column of the wrong length points at it', () => {
    const text = `{"format": "trainmap.runs/1", "groups": [{"name": "g", "runs": [
  {"id": "a", "checkpoints": {"step": [0, 1], "l1": [1, 2]}},
  {"id": "b", "checkpoints": {"step": [0, 1],
     "l1": [1]}}
]}]}`;
    const e = errorOf(text);
    expect([e.line, e.column]).toEqual([4, 12]);
    expect(e.message).toBe(
      "runs.json, line 4, column 12: groups[0].runs[1].checkpoints.l1: column 'l1' has 1 values but 'step' has 2",
    );
  });

  it('non-numbers, duplicate ids, duplicate or bad steps, missing step, no checkpoints', () => {
    const wrap = (runs: string) => `{"format":"trainmap.runs/1","groups":[{"name":"g","runs":[${runs}]}]}`;
    expect(errorOf(wrap('{"id":"a","checkpoints":{"step":[0],"l1":["x"]}}')).message).toMatch(
      /checkpoints\.l1\[0\]: expected a number, got the string "x"/,
    );
    expect(
      errorOf(wrap('{"id":"a","checkpoints":{"step":[0]}},{"id":"a","checkpoints":{"step":[0]}}')).message,
    ).toMatch(/run id 'a' is used twice/);
    expect(errorOf(wrap('{"id":"a","checkpoints":{"step":[0,0]}}')).message).toMatch(
      /step\[1\]: run 'a' has step 0 twice \(also at index 0\)/,
    );
    expect(errorOf(wrap('{"id":"a","checkpoints":{"step":[0.5]}}')).message).toMatch(
      /step must be a non-negative whole number, got 0.5/,
    );
    expect(errorOf(wrap('{"id":"a","checkpoints":{"l1":[0]}}')).message).toMatch(/missing required column 'step'/);
    expect(errorOf(wrap('{"id":"a","checkpoints":{"step":[]}}')).message).toMatch(/run 'a' has no checkpoints/);
    expect(errorOf(wrap('{"checkpoints":{"step":[0]}}')).message).toMatch(/every run needs an id/);
    expect(errorOf(wrap('[1]')).message).toMatch(/runs\[0\]: expected an object, got an array/);
  });

  it('readBundleText picks the reader by file name, then by content', () => {
    expect(readBundleText(formatRunsJson(bundle), 'a.JSON').groups[0].name).toBe('modadd');
    expect(readBundleText('run,step,l1\na,0,1\n', 'log.txt').groups[0].runs[0].id).toBe('a');
    expect(readBundleText(formatRunsJson(bundle), 'export').groups[0].runs).toHaveLength(2);
    expect(() => readBundleText('', 'x')).toThrow(/x: the file is empty/);
  });
});

describe('JSON run bundles: hostile structure', () => {
  const wrap = (runs: string, extra = '') =>
    `{"format":"trainmap.runs/1",${extra}"groups":[{"name":"g","runs":[${runs}]}]}`;

  it('200,000 nested brackets, closed or not, anywhere: a located refusal, never a stack overflow', () => {
    const deep = '['.repeat(200_000);
    for (const text of [
      deep,
      deep + ']'.repeat(200_000),
      wrap('{"id":"a","checkpoints":{"step":[0]}}', `"analysis":${deep}${']'.repeat(200_000)},`),
      `{\n  "format": ${deep}`,
    ]) {
      const e = errorOf(text);
      expect(e.message).toMatch(/line \d+, column \d+: not a run bundle: nesting deeper than 64 levels/);
      expect(e.line).not.toBeNull();
    }
    const e = errorOf(`{\n  "format": ${deep}`);
    expect([e.line, e.column]).toEqual([2, 13 + 63]); // the 64th bracket inside the top-level object opens level 65
    // Nesting a bundle really has (an exported analysis's covariances) is read as before.
    expect(
      parseRunsJson(wrap('{"id":"a","checkpoints":{"step":[0]}}', '"analysis":{"m":[[[[1]]]]},'), 'x.json').analysis,
    ).toEqual({ m: [[[[1]]]] });
  });

  it('a missing key is named, at the object that lacks it', () => {
    const text = `{\n  "groups": [${'{"name":"g","runs":[]},'.repeat(3)}{"name":"g","runs":[]}]\n}`;
    expect(errorOf(text).message).toBe(
      `runs.json, line 1, column 1: missing required key 'format' (a run bundle starts with "format": "trainmap.runs/1")`,
    );
    expect(errorOf('{"format":"trainmap.runs/1","groups":[{"name":"g"}]}').message).toBe(
      "runs.json, line 1, column 39: groups[0]: missing required key 'runs' (the list of runs)",
    );
    expect(errorOf(wrap('{"id":"a"}')).message).toMatch(/runs\[0\]: missing required key 'checkpoints'/);
    expect(errorOf('{"format":null,"groups":[]}').message).toMatch(/format must be "trainmap.runs\/1", got null/);
  });

  it('a 10 MB string next to bare NaN tokens is no trouble, and is cut in the message', () => {
    const huge = 'x'.repeat(10 * 2 ** 20);
    const e = errorOf(wrap(`{"id":"a","checkpoints":{"step":[0,1],"l1":[NaN,"${huge}"]}}`));
    expect(e.message).toMatch(/checkpoints\.l1\[1\]: expected a number, got the string "x+…\(10485760 characters\)"$/);
    expect(new TextEncoder().encode(e.message).length).toBeLessThan(1024);
    const id = `\u001b]0;owned\u0007${'y'.repeat(2 ** 20)}`;
    const dup = errorOf(
      wrap(
        `{"id":${JSON.stringify(id)},"checkpoints":{"step":[0]}},{"id":${JSON.stringify(id)},"checkpoints":{"step":[0]}}`,
      ),
    );
    expect(dup.message).toMatch(/run id '\\x1B\]0;owned\\x07y+…\(1048586 characters\)' is used twice/);
    expect(dup.message).not.toMatch(RAW_CONTROL);
  });

  it('steps out of order are sorted and the run is named in a note', () => {
    const b = parseRunsJson(
      wrap('{"id":"a","checkpoints":{"step":[0,20,10],"l1":[0,2,1]}},{"id":"b","checkpoints":{"step":[0,1]}}'),
      'x.json',
    );
    expect(b.groups[0].runs[0].checkpoints).toEqual({ step: [0, 10, 20], l1: [0, 1, 2] });
    expect(b.notes).toEqual([
      {
        kind: 'steps-reordered',
        group: 'g',
        run: 'a',
        message:
          "run 'a': checkpoints were not in step order (step 10 after step 20, at index 2 of groups[0].runs[0].checkpoints.step); they were sorted by step, every column together",
      },
    ]);
    expect(formatRunsJson(b)).not.toMatch(/notes/);
  });
});
