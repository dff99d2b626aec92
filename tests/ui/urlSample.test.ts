/** The link's recorded session: sample, replay and speed (src/ui/urlState.ts), read with located problems. */
import { describe, expect, it } from 'vitest';
import { decodeLabUrl, encodeLabUrl } from '../../src/ui/urlState.ts';

const decode = (search: string) => decodeLabUrl(search);

describe('a recorded session in the link', () => {
  it('reads sample, replay and speed, and writes them back', () => {
    const { state, problems } = decode('?sample=modadd-quick-ln0&replay=1&speed=16');
    expect(problems).toEqual([]);
    expect(state).toMatchObject({ sample: 'modadd-quick-ln0', replay: true, speed: 16 });
    expect(encodeLabUrl(state)).toMatch(/&sample=modadd-quick-ln0&replay=1&speed=16&v=1$/);
    expect(decode('').state).toMatchObject({ sample: null, replay: false, speed: null });
  });

  it('says what it could not use, and uses the rest', () => {
    const { state, problems } = decode('?sample=../x&replay=maybe&speed=0&seeds=8');
    expect(problems.map((p) => p.message)).toEqual([
      'sample=../x was ignored: a sample is named by its id (lower-case letters, digits, -)',
      'replay=maybe was ignored: replay must be 1 or 0',
      'speed=0 was ignored: speed is checkpoints per second, a number above 0 and at most 64',
    ]);
    expect(state).toMatchObject({ sample: null, replay: false, speed: null });
    expect(state.training.seeds).toBe(8);
    expect(decode('?speed=65').problems).toHaveLength(1);
    expect(decode('?speed=').problems).toHaveLength(1);
  });
});
