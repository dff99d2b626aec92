import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeStaleTemporaries, writeFileAtomic } from '../../src/cli/atomicFile.ts';

describe('atomic file writes', () => {
  it('writes text and bytes whole, creating the folder, and leaves nothing else behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trainmap-atomic-'));
    const file = join(dir, 'sub', 'runs.json');
    writeFileAtomic(file, '{"a": 1}');
    writeFileAtomic(file, '{"a": 2}');
    expect(readFileSync(file, 'utf8')).toBe('{"a": 2}');
    writeFileAtomic(`${file}.state`, Uint8Array.of(1, 2, 3));
    expect([...readFileSync(`${file}.state`)]).toEqual([1, 2, 3]);
    expect(readdirSync(join(dir, 'sub')).sort()).toEqual(['runs.json', 'runs.json.state']);
  });

  it('a failed rename (the target is a folder) names the file and removes its temporary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trainmap-atomic-'));
    const target = join(dir, 'runs.json');
    mkdirSync(join(target, 'inside'), { recursive: true });
    expect(() => writeFileAtomic(target, 'x')).toThrow(
      new RegExp(`^could not write ${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: E(ISDIR|NOTEMPTY|EXIST)`),
    );
    expect(readdirSync(dir)).toEqual(['runs.json']);
  });

  it('temporaries a killed writer left are found and removed; other files stay', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trainmap-atomic-'));
    const file = join(dir, 'runs.json');
    for (const name of [
      'runs.json',
      'runs.json.tmp-123-0',
      'runs.json.tmp-9',
      'runs.json.state',
      'runs.json.state.tmp-123-1',
      'other.json.tmp-1',
    ])
      writeFileSync(join(dir, name), '');
    expect(removeStaleTemporaries(file).sort()).toEqual([
      join(dir, 'runs.json.tmp-123-0'),
      join(dir, 'runs.json.tmp-9'),
    ]);
    expect(removeStaleTemporaries(`${file}.state`)).toEqual([join(dir, 'runs.json.state.tmp-123-1')]);
    expect(readdirSync(dir).sort()).toEqual(['other.json.tmp-1', 'runs.json', 'runs.json.state']);
  });
});
