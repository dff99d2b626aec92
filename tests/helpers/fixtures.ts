import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The reference outputs (the repository's own copy); $TRAINMAP_FIXTURES points the tests at another folder. */
export function fixtureRoot(): string {
  return resolve(process.env.TRAINMAP_FIXTURES ?? resolve(import.meta.dirname, '../fixtures/reference'));
}

/** Every JSON file of one fixture folder, by listing, so new fixtures run without code changes. */
export function readFixtureFolder<T>(folder: string): { name: string; data: T }[] {
  const dir = join(fixtureRoot(), folder);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((name) => ({ name, data: JSON.parse(readFileSync(join(dir, name), 'utf8')) as T }));
}

/** |a - b| <= rel * max(|a|, |b|) + abs, with a readable message on failure. */
export function expectClose(actual: number, expected: number, rel: number, abs = 0, what = 'value'): void {
  const tol = rel * Math.max(Math.abs(actual), Math.abs(expected)) + abs;
  if (!(Math.abs(actual - expected) <= tol)) {
    throw new Error(
      `${what}: got ${actual}, expected ${expected} (|diff| ${Math.abs(actual - expected)} > tol ${tol})`,
    );
  }
}
