/** Group names say what differs from the first group of the session. */
import { describe, expect, it } from 'vitest';
import type { SettingValues } from '../../src/settings/index.ts';
import { baseName, differences, groupNames } from '../../src/ui/groupNames.ts';
import { initialSetup, withPreset } from '../../src/ui/setup.ts';

const first = { ...withPreset(initialSetup(), 'modular-addition', 'quick').training, seeds: 40 };

describe('group names', () => {
  it('name the first group by task, preset and seeds, and the others by what differs from it', () => {
    const names = groupNames([
      first,
      { ...first, 'layer-norm': true },
      { ...first, 'batch-size': 256 },
      { ...first, lr: 0.01 },
      { ...first, lr: 0.01, 'weight-decay': 0.5, seeds: 8 },
      { ...first, backend: 'webgpu' },
    ]);
    expect(names.map((n) => n.short)).toEqual([
      'modular-addition/quick, 40 seeds',
      '+ layer norm',
      'batch 256',
      'lr 0.01',
      '8 seeds, lr 0.01, weight decay 0.5',
      'backend webgpu',
    ]);
    expect(names[1].full).toBe('modular-addition/quick, 40 seeds, + layer norm');
    expect(names[0].full).toBe(names[0].short);
  });

  it('a setting turned off says so; one seed is singular', () => {
    const withNorm = { ...first, 'layer-norm': true };
    expect(groupNames([withNorm, first])[1].short).toBe('no layer norm');
    expect(baseName({ ...first, seeds: 1 })).toBe('modular-addition/quick, 1 seed');
  });

  it('another task or preset is named whole; the same settings twice are numbered', () => {
    const parity = initialSetup().training;
    const names = groupNames([first, parity, first, first]);
    expect(names.map((n) => n.short)).toEqual([
      'modular-addition/quick, 40 seeds',
      'sparse-parity/quick, 40 seeds',
      'same settings',
      'same settings (2)',
    ]);
    expect(new Set(names.map((n) => n.full)).size).toBe(4);
  });

  it('a setting a record lacks (an earlier version stored it) counts as its default', () => {
    const old: SettingValues = { ...first };
    delete old['sv-every'];
    expect(differences(first, old)).toEqual([]);
    expect(differences(old, { ...first, 'sv-every': 5 })).toEqual(['sv every 5']);
    expect(groupNames([])).toEqual([]);
  });
});
