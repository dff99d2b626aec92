/**
 * The bundled recorded sessions as the lab holds them: the manifest (read once), each sample's source (read when
 * first shown), and the comparison of samples on show, built from their shipped analyses alone
 * (src/ui/sampleComparison.ts). A comparison shows one of its samples in the lab's other panels, the first unless
 * another is picked.
 */
import type { AnalysisReport } from '../analysis/index.ts';
import type { SampleComparisonEntry, SampleEntry } from '../replay/samples.ts';
import type { AnalysisRequestOptions } from '../workers/protocol.ts';
import type { FixedSource } from './checkpointSource.ts';
import { loadAnalysis, loadManifest, sampleSource } from './sample.ts';
import { sampleComparison, type SampleComparison } from './sampleComparison.ts';

export interface OpenedSample {
  source: FixedSource;
  /** The id `?sample=` now names: the sample's, or the comparison's. */
  id: string;
  /** Why another sample than the one asked for is shown ('' when it is the one). */
  notice: string;
}

/** The file read for `key`, read once; a read that failed is forgotten, so showing it again reads it again. */
function once<T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (!value) {
    value = read();
    cache.set(key, value);
    value.catch(() => cache.delete(key));
  }
  return value;
}

export class SampleShelf {
  samples = $state.raw<SampleEntry[]>([]);
  comparisons = $state.raw<SampleComparisonEntry[]>([]);
  /** The comparison on show (null: none). */
  comparison = $state.raw<SampleComparison | null>(null);
  private read: Promise<void> | null = null;
  private sources = new Map<string, Promise<FixedSource>>();
  private analyses = new Map<string, Promise<AnalysisReport>>();

  private load(): Promise<void> {
    this.read ??= loadManifest().then(
      (m) => {
        this.samples = m.samples;
        this.comparisons = m.comparisons ?? [];
      },
      (e: unknown) => {
        this.read = null;
        throw e;
      },
    );
    return this.read;
  }

  /**
   * What `?sample=<id>` shows: a recorded sample (the manifest's first when `id` is null or unknown), or a comparison
   * with one of its samples (`member`, else its first) in the other panels.
   */
  async open(id: string | null, options: AnalysisRequestOptions, member?: string): Promise<OpenedSample> {
    await this.load();
    const comparison = this.comparisons.find((c) => c.id === id);
    if (comparison) {
      const shown = await this.compare(comparison);
      const pick = shown.members.find((m) => m.entry.id === member) ?? shown.members[0];
      const source = await this.source(pick.entry, options);
      this.comparison = shown;
      return { source, id: comparison.id, notice: '' };
    }
    const entry = this.samples.find((e) => e.id === id) ?? this.samples[0];
    if (!entry) throw new Error('the manifest lists no samples');
    const all = [...this.samples, ...this.comparisons].map((e) => e.id).join(', ');
    const notice =
      id !== null && entry.id !== id
        ? `There is no recorded session '${id}' (there are: ${all}); showing ${entry.id}.`
        : '';
    const source = await this.source(entry, options);
    this.comparison = null;
    return { source, id: entry.id, notice };
  }

  private source(entry: SampleEntry, options: AnalysisRequestOptions): Promise<FixedSource> {
    return once(this.sources, entry.id, () => sampleSource(entry, undefined, options));
  }

  private async compare(entry: SampleComparisonEntry): Promise<SampleComparison> {
    if (this.comparison?.entry.id === entry.id) return this.comparison;
    const samples = await Promise.all(
      entry.compare.map(async (id) => {
        // The manifest check made sure every compared sample exists and shipped an analysis.
        const sample = this.samples.find((s) => s.id === id)!;
        return { entry: sample, report: await once(this.analyses, id, () => loadAnalysis(sample)) };
      }),
    );
    return sampleComparison(entry, samples);
  }
}
