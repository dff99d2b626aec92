import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { renderWgslModule } from '../../scripts/build-kernels.mjs';

describe('kernels/wgsl.ts', () => {
  it('embeds exactly the current kernels/*.wgsl (run `node scripts/build-kernels.mjs` after editing one)', () => {
    const dir = resolve(import.meta.dirname, '../../kernels');
    expect(readFileSync(resolve(dir, 'wgsl.ts'), 'utf8')).toBe((renderWgslModule as (d: string) => string)(dir));
  });
});
