import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/** Runs `trainmap` from source as a user would (`npm run trainmap -- …` is `tsx src/cli/main.ts …`). */
export function trainmap(
  args: string[],
  options: { cwd?: string; timeoutMs?: number; input?: string } = {},
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', resolve(root, 'src/cli/main.ts'), ...args], {
    cwd: options.cwd ?? root,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
    input: options.input,
    env: { ...process.env, FORCE_COLOR: '0', TRAINMAP_PROGRESS_MS: '0' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
