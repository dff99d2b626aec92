/** The lab's setup as plain data: from a link and back, presets, what changed, and what a page opens on. */
import { describe, expect, it } from 'vitest';
import { presetValues } from '../../src/settings/index.ts';
import {
  analysisOptionsOf,
  changedSettings,
  initialSetup,
  linkOf,
  openingOf,
  sameTraining,
  setupFromLink,
  studentLinkOf,
  withAnalysis,
  withPreset,
  withSetting,
  withTraining,
  withSample,
  isTeacherLink,
} from '../../src/ui/setup.ts';

describe('the setup', () => {
  it('starts on the first teaching preset with the table defaults, no link and no teacher mode', () => {
    const s = initialSetup();
    expect(s.training).toMatchObject({ task: 'sparse-parity', preset: 'quick', seeds: 40, backend: 'auto' });
    expect(s).toMatchObject({ analysis: {}, hide: [], lock: false, problems: [], fromLink: false });
    expect(setupFromLink('')).toEqual(s);
    expect(setupFromLink('?')).toEqual(s);
  });

  it('reads a link and writes it back unchanged, with teacher mode and what it could not use', () => {
    const link =
      'task=modular-addition&preset=quick&seeds=8&lr=0.004&layer-norm=1&states=4&hide=curves,backend&lock=1&v=1';
    const s = setupFromLink(`?${link}`);
    expect(s.fromLink).toBe(true);
    expect(s.training).toMatchObject({ task: 'modular-addition', seeds: 8, lr: 0.004, 'layer-norm': true });
    expect(s).toMatchObject({ hide: ['curves', 'backend'], lock: true, problems: [] });
    expect(linkOf(s)).toBe(link);
    expect(analysisOptionsOf(s)).toMatchObject({ states: 4 });
    const bad = setupFromLink('?seeds=0&colour=red');
    expect(bad.problems).toHaveLength(2);
    expect(bad.problems[0]).toMatch(/^seeds=0 was ignored/);
    expect(bad.training.seeds).toBe(40);
  });

  it('changes one setting, or a preset (keeping seeds and backend), without touching the rest', () => {
    const s = withSetting(withSetting(initialSetup(), 'seeds', 3), 'backend', 'wasm');
    expect(s.training).toMatchObject({ seeds: 3, backend: 'wasm' });
    const p = withPreset(s, 'modular-addition', 'quick');
    expect(p.training).toEqual({
      ...presetValues('modular-addition', 'quick'),
      seeds: 3,
      'seed-start': 0,
      backend: 'wasm',
    });
    expect(p.hide).toBe(s.hide);
    expect(withTraining(p, s.training).training).toEqual(s.training);
    expect(studentLinkOf(s, { hide: ['map'], lock: true }, 'http://x/lab?old=1#f')).toBe(
      'http://x/lab?task=sparse-parity&preset=quick&seeds=3&backend=wasm&hide=map&lock=1&v=1',
    );
  });

  it('an analysis setting changed in the page is the link’s: a fixed K from a control equals ?states=', () => {
    const fromLink = setupFromLink('?states=4&v=1');
    const fromControl = withAnalysis(setupFromLink('?v=1'), 'states', 4);
    expect(analysisOptionsOf(fromControl)).toEqual(analysisOptionsOf(fromLink));
    expect(linkOf(fromControl)).toMatch(/(^|&)states=4(&|$)/);
    const features = withAnalysis(fromControl, 'features', 'l1,l2');
    expect(analysisOptionsOf(features).features).toEqual(['l1', 'l2']);
    // Back to the default: the link leaves it out again.
    expect(linkOf(withAnalysis(features, 'features', undefined))).toBe(linkOf(fromControl));
    expect(features.training).toBe(fromControl.training);
  });

  it('says which settings differ from a group, the backend aside', () => {
    const group = withSetting(initialSetup(), 'seeds', 3).training;
    expect(changedSettings(group, group)).toEqual([]);
    expect(changedSettings({ ...group, lr: 0.5, backend: 'cpu' }, group)).toEqual(['lr']);
    expect(sameTraining(group, { ...group })).toBe(true);
    expect(sameTraining(group, { ...group, lr: 0.5 })).toBe(false);
  });
});

describe('what a page opens on', () => {
  const group = withSetting(initialSetup(), 'seeds', 3).training;
  const plain = initialSetup();
  const ownLink = setupFromLink(`?${linkOf({ ...plain, training: group })}`);
  const otherLink = setupFromLink('?task=modular-addition&preset=quick&v=1');

  it('the sample when no session was open', () => {
    for (const setup of [plain, ownLink, otherLink])
      for (const reload of [false, true])
        expect(openingOf({ setup, reload, hasSession: false, lastShown: null })).toBe('sample');
  });

  it('the session on a reload, whatever the URL holds', () => {
    for (const setup of [plain, ownLink, otherLink])
      for (const lastShown of [group, null])
        expect(openingOf({ setup, reload: true, hasSession: true, lastShown })).toBe('session');
  });

  it('the session on a plain visit, or from the link of the group shown last', () => {
    expect(openingOf({ setup: plain, reload: false, hasSession: true, lastShown: null })).toBe('session');
    expect(openingOf({ setup: ownLink, reload: false, hasSession: true, lastShown: group })).toBe('session');
  });

  it('the sample from a shared link to other settings (which the controls then show)', () => {
    expect(openingOf({ setup: otherLink, reload: false, hasSession: true, lastShown: group })).toBe('sample');
    expect(openingOf({ setup: ownLink, reload: false, hasSession: true, lastShown: null })).toBe('sample');
  });

  it('a link to a recorded session opens it, whatever session was open last', () => {
    const link = setupFromLink('?sample=sparse-parity-paper&replay=1');
    expect(link).toMatchObject({ sample: 'sparse-parity-paper', replay: true, speed: null });
    expect(openingOf({ setup: link, reload: true, hasSession: true, lastShown: null })).toBe('sample');
    expect(linkOf(link)).toMatch(/sample=sparse-parity-paper&replay=1/);
    const shown = withSample(link, 'modadd-quick-ln0', false, 4);
    expect(linkOf(shown)).toMatch(/sample=modadd-quick-ln0&speed=4&v=1$/);
    expect(isTeacherLink(link)).toBe(false);
    expect(isTeacherLink(setupFromLink('?sample=x&lock=1'))).toBe(true);
  });
});
