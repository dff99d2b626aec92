/**
 * Names of the groups of a lab session that say what differs from its first group ("+ layer norm", "batch 256",
 * "lr 0.01"): the first is named by its task, preset and seeds, each other by its differences. The comparison
 * table, the map captions, the strip, the stored sessions and the export file names all use them.
 */
import type { SettingValues } from '../settings/index.ts';
import { LAB_SETTINGS } from './setup.ts';

export interface GroupName {
  /** What tells the group apart in its session: the first group's base name, the others' differences. */
  short: string;
  /** Whole, for headings and file names: the first group's base name, then the differences. */
  full: string;
}

/** "sparse-parity/quick, 40 seeds" */
export function baseName(settings: SettingValues): string {
  const seeds = Number(settings.seeds);
  return `${settings.task}/${settings.preset}, ${seeds} seed${seeds === 1 ? '' : 's'}`;
}

/** Short words for a few settings; the others are named by their setting name with spaces. */
const WORDS: Record<string, string> = { 'batch-size': 'batch', 'seed-start': 'seeds from', lr: 'lr' };

function difference(name: string, value: SettingValues[string]): string {
  if (typeof value === 'boolean') return value ? `+ ${name.replace(/-/g, ' ')}` : `no ${name.replace(/-/g, ' ')}`;
  if (name === 'seeds') return `${value} seed${Number(value) === 1 ? '' : 's'}`;
  return `${WORDS[name] ?? name.replace(/-/g, ' ')} ${value ?? 'default'}`;
}

/** What differs from `first`, in the controls' order, one phrase each. */
export function differences(first: SettingValues, other: SettingValues): string[] {
  // A setting a record lacks (stored by an earlier version) had its default.
  const value = (values: SettingValues, name: string, fallback: SettingValues[string]) => values[name] ?? fallback;
  return LAB_SETTINGS.filter(
    (s) =>
      s.name !== 'task' &&
      s.name !== 'preset' &&
      String(value(first, s.name, s.default)) !== String(value(other, s.name, s.default)),
  ).map((s) => difference(s.name, value(other, s.name, s.default)));
}

/** One name per group, in the order given (the session's order: its first group first). */
export function groupNames(groups: readonly SettingValues[]): GroupName[] {
  if (groups.length === 0) return [];
  const first = groups[0];
  const base = baseName(first);
  const seen = new Map<string, number>();
  return groups.map((g, i) => {
    let short: string;
    let full: string;
    if (i === 0) short = full = base;
    // Another task or preset has a name of its own.
    else if (g.task !== first.task || g.preset !== first.preset) short = full = baseName(g);
    else {
      const words = differences(first, g);
      short = words.length ? words.join(', ') : 'same settings';
      full = `${base}, ${short}`;
    }
    const n = (seen.get(short) ?? 0) + 1;
    seen.set(short, n);
    return n === 1 ? { short, full } : { short: `${short} (${n})`, full: `${full} (${n})` };
  });
}
