import { describe, expect, it } from 'vitest';
import { BundleError, lineColumnAt } from '../../src/io/bundleError.ts';
import { findJsonSyntaxError, locateJsonPath } from '../../src/io/jsonLocate.ts';

describe('locateJsonPath', () => {
  const text = `{
  "format": "x",
  "groups": [
    { "name": "a, \\"quoted\\" ]}", "runs": [1, [2, 3], {"id": "r"}] },
    { "name": "b", "runs": [] }
  ]
}`;
  it('finds the offset of the value at a path of keys and indices, skipping strings with brackets and escapes', () => {
    const at = (path: (string | number)[]) => text.slice(locateJsonPath(text, path));
    expect(at(['format'])).toMatch(/^"x"/);
    expect(at(['groups', 0, 'runs'])).toMatch(/^\[1, \[2, 3\]/);
    expect(at(['groups', 0, 'runs', 1])).toMatch(/^\[2, 3\]/);
    expect(at(['groups', 0, 'runs', 2, 'id'])).toMatch(/^"r"/);
    expect(at(['groups', 1, 'name'])).toMatch(/^"b"/);
    expect(locateJsonPath(text, [])).toBe(0);
  });

  it('stops where a missing key or index would have been', () => {
    expect(text.slice(locateJsonPath(text, ['groups', 1, 'runs', 0]))).toMatch(/^\] }/);
    expect(text.slice(locateJsonPath(text, ['missing']))).toBe('}');
    expect(text.slice(locateJsonPath(text, ['format', 'deeper']))).toMatch(/^"x"/);
  });
});

describe('findJsonSyntaxError', () => {
  const cases: [string, number, string][] = [
    ['{"a": 1,}', 8, "expected a string in double quotes, found '}'"],
    ['{"a" 1}', 5, "expected ':' after the key, found '1'"],
    ['[1 2]', 3, "expected ',' or ']', found '2'"],
    ['{"a": tru}', 6, "expected a value, found 't'"],
    ['{"a": "x\ny"}', 8, "expected a closing quote before the line ends, found '\n'"],
    ['"\\q"', 2, "expected a valid escape, found 'q'"],
    ['"\\u12g4"', 2, "expected four hex digits after \\u, found 'u'"],
    ['{"a": [1, 2', 11, "expected ',' or ']', found the end of the file"],
    ['"abc', 4, 'expected a closing quote, found the end of the file'],
    ['{} x', 3, "expected the end of the file after the top-level value, found 'x'"],
    ['', 0, 'expected a value, found the end of the file'],
    ['01', 1, "expected the end of the file after the top-level value, found '1'"],
  ];
  for (const [text, offset, message] of cases) {
    it(`${JSON.stringify(text)}: offset ${offset}, ${message}`, () =>
      expect(findJsonSyntaxError(text)).toEqual({ offset, message }));
  }

  it('accepts what JSON.parse accepts', () => {
    for (const ok of ['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "\\u00e9\\n"]} ', '0', '"x"']) {
      expect(() => JSON.parse(ok)).not.toThrow();
      expect(findJsonSyntaxError(ok)).toBeNull();
    }
  });
});

describe('lineColumnAt and BundleError', () => {
  it('give 1-based lines and columns', () => {
    const text = 'ab\ncde\n\nf';
    expect(lineColumnAt(text, 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnAt(text, 1)).toEqual({ line: 1, column: 2 });
    expect(lineColumnAt(text, 3)).toEqual({ line: 2, column: 1 });
    expect(lineColumnAt(text, 5)).toEqual({ line: 2, column: 3 });
    expect(lineColumnAt(text, 8)).toEqual({ line: 4, column: 1 });
  });

  it('formats file, line and column when known', () => {
    const e = new BundleError('runs.csv', 3, 7, 'not a number');
    expect(e.message).toBe('runs.csv, line 3, column 7: not a number');
    expect(e.name).toBe('BundleError');
    expect([e.file, e.line, e.column, e.detail]).toEqual(['runs.csv', 3, 7, 'not a number']);
    expect(new BundleError('a.json', null, null, 'empty').message).toBe('a.json: empty');
    expect(new BundleError('a.json', 2, null, 'x').message).toBe('a.json, line 2: x');
  });
});
