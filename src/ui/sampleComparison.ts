/**
 * A comparison of bundled recorded sessions (static/samples/manifest.json, `comparisons`) as the page shows it: one
 * row per sample from its shipped analysis (the paper's Table 1, src/ui/charts/comparison.ts), and what differs
 * between the samples, named from their task, preset, seeds and recorded training settings. Pure: the page loads the
 * analyses, this shapes them.
 */
import type { AnalysisReport } from '../analysis/index.ts';
import type { SampleComparisonEntry, SampleEntry } from '../replay/samples.ts';
import { presetValues, TRAINING_SETTINGS, type SettingValues } from '../settings/index.ts';
import { comparisonRow, type ComparisonRow } from './charts/comparison.ts';

export interface ComparedSample {
  entry: SampleEntry;
  /** Its shipped analysis, as it was (no refit). */
  report: AnalysisReport;
}

export interface ComparisonMember extends ComparedSample {
  /** What sets it apart from the others ("layer norm on"); its id when nothing recorded does. */
  label: string;
  row: ComparisonRow;
}

export interface SampleComparison {
  entry: SampleComparisonEntry;
  members: ComparisonMember[];
  /** One sentence: what differs between the samples, or that nothing recorded does. */
  difference: string;
  /** One sentence: what they share. */
  shared: string;
}

/** A sample's training settings: its preset's values, its seeds, then the settings it recorded beyond them. */
export function settingsOfSample(entry: SampleEntry): SettingValues {
  let preset: SettingValues;
  try {
    preset = presetValues(entry.task, entry.preset);
  } catch (e) {
    throw new Error(`sample ${entry.id}: ${(e as Error).message}`, { cause: e });
  }
  return { ...preset, seeds: entry.seeds, ...entry.settings };
}

const NAMES: Record<string, string> = { lr: 'learning rate', 'sv-every': 'singular values every' };
const nameOf = (name: string) => NAMES[name] ?? name.replace(/-/g, ' ');
const valueOf = (v: SettingValues[string]) =>
  v === undefined ? 'unset' : typeof v === 'boolean' ? (v ? 'on' : 'off') : String(v);

const ORDER = TRAINING_SETTINGS.map((s) => s.name);

/** The settings whose values are not the same in every sample, in the settings table's order. */
export function differingSettings(settings: readonly SettingValues[]): string[] {
  const names = [...new Set(settings.flatMap((s) => Object.keys(s)))];
  return names
    .filter((n) => settings.some((s) => s[n] !== settings[0][n]))
    .sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
}

export function sampleComparison(entry: SampleComparisonEntry, samples: readonly ComparedSample[]): SampleComparison {
  const settings = samples.map((s) => settingsOfSample(s.entry));
  const differing = differingSettings(settings);
  const members = samples.map((s, i) => {
    const label = differing.length
      ? differing.map((n) => `${nameOf(n)} ${valueOf(settings[i][n])}`).join(', ')
      : s.entry.id;
    return { ...s, label, row: comparisonRow(`${label} (${s.entry.id})`, s.report) };
  });
  const difference = differing.length
    ? `What differs: ${differing.map((n) => `${nameOf(n)} ${settings.map((s) => valueOf(s[n])).join(' vs ')}`).join('; ')}.`
    : 'The manifest records no setting in which these sessions differ (same task, preset, seeds and settings).';
  const same = ['task', 'preset', 'seeds'].filter((n) => !differing.includes(n));
  const shared = same.length
    ? `The same in all: ${same.map((n) => `${nameOf(n)} ${valueOf(settings[0][n])}`).join(', ')}; each row is its session's shipped analysis, not refitted.`
    : "Each row is its session's shipped analysis, not refitted.";
  return { entry, members, difference, shared };
}
