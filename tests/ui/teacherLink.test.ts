/** Teacher mode in the link: which panels and settings students do not see, and a locked task and preset. */
import { describe, expect, it } from 'vitest';
import { decodeLabUrl, HIDEABLE, LAB_PANELS, studentLink } from '../../src/ui/urlState.ts';

const decode = (search: string) => decodeLabUrl(search);

describe('teacher mode', () => {
  it('panel names and setting names never collide, and hide takes both', () => {
    expect(new Set(HIDEABLE).size).toBe(HIDEABLE.length);
    expect(LAB_PANELS).toEqual([
      'map',
      'ribbons',
      'curves',
      'selection',
      'regression',
      'sessions',
      'training',
      'import',
      'export',
      'groups',
      'forecast',
      'analysis',
      'replay',
      'grokking',
    ]);
    const { state, problems } = decode('hide=backend, lr,map,,forecast,lr,k-max&lock=1');
    expect(problems).toEqual([]);
    // In HIDEABLE order (panels, then settings in table order), each once.
    expect(state.hide).toEqual(['map', 'forecast', 'lr', 'backend', 'k-max']);
    expect(state.lock).toBe(true);
  });

  it('unknown names in hide are problems; the known ones still hide', () => {
    const { state, problems } = decode('hide=map,charts,out');
    expect(state.hide).toEqual(['map']);
    expect(problems.map((p) => [p.key, p.value])).toEqual([
      ['hide', 'charts'],
      ['hide', 'out'],
    ]);
  });

  it('lock takes 1 or 0 (and the other spellings of a boolean); anything else is a problem', () => {
    expect(decode('lock=0').state.lock).toBe(false);
    expect(decode('lock=true').state.lock).toBe(true);
    expect(decode('lock').state.lock).toBe(true);
    const { state, problems } = decode('lock=please');
    expect(state.lock).toBe(false);
    expect(problems.map((p) => p.message)).toEqual(['lock=please was ignored: lock must be 1 or 0']);
  });

  it("studentLink is the page's address with this state and teacher mode, replacing any query or fragment", () => {
    const { state } = decode('task=modular-addition&preset=quick&seeds=8&hide=sessions');
    const link = studentLink(
      state,
      { hide: ['backend', 'lr', 'export'], lock: true },
      'https://lab.example.org/trainmap/?task=sparse-parity#map',
    );
    expect(link).toBe(
      'https://lab.example.org/trainmap/?task=modular-addition&preset=quick&seeds=8&hide=export,lr,backend&lock=1&v=1',
    );
    const back = decode(link.slice(link.indexOf('?')));
    expect(back.problems).toEqual([]);
    expect(back.state).toEqual({ ...state, hide: ['export', 'lr', 'backend'], lock: true });
    expect(studentLink(state, { hide: [], lock: false }, '/lab')).toBe(
      '/lab?task=modular-addition&preset=quick&seeds=8&v=1',
    );
  });
});
