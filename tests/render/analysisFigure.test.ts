import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeRuns, type AnalysisReport } from '../../src/analysis/index.ts';
import { DEFAULT_FEATURES, type RunBundle } from '../../src/io/index.ts';
import { analysisFigureSvg } from '../../src/render/analysisFigure.ts';
import { mapLegend, mapSentence, mapTitle } from '../../src/explain/legend.ts';
import { describeStates } from '../../src/explain/stateWords.ts';
import { escapeXml } from '../../src/render/svg.ts';
import { smallBundle } from '../helpers/bundles.ts';
import { mapReportSet } from '../helpers/mapReports.ts';
import { overlappingPairs, textBoxes } from '../helpers/svgBoxes.ts';
import { anyText } from '../helpers/arbitraries.ts';
import { RAW_CONTROL } from '../helpers/controls.ts';
import { xmlWellFormedError } from '../helpers/xmlWellFormed.ts';

/** The SVG has its own line breaks; nothing else raw. */
const RAW_CONTROL_BUT_NEWLINE = new RegExp(
  RAW_CONTROL.source.replace('\\u0000-\\u001f', '\\u0000-\\u0009\\u000b-\\u001f'),
);

/** Feature names no figure should trip over: controls XML cannot hold, markup, entities, a CDATA end, bidi, lone surrogates, inherited names, a long one. */
const HOSTILE = [
  'bell\u0007\u0000nul',
  '\u001b[31mred\u001b]0;retitled\u0007',
  '<script>alert(1)</script>',
  'a & b &amp; &#0; "q" \'a\'',
  ']]> <![CDATA[x',
  '\u202Eevil\u2028line',
  'lone \uD800 surrogate \uFFFE',
  '__proto__',
  'constructor',
  'toString',
  'x'.repeat(10_000),
  'l1',
  'l2',
  'trace',
];

function hostileBundle(): RunBundle {
  const b = smallBundle();
  for (const run of b.groups[0].runs) {
    const cp = Object.create(null) as RunBundle['groups'][0]['runs'][0]['checkpoints'];
    for (const [col, values] of Object.entries(run.checkpoints)) {
      const j = DEFAULT_FEATURES.indexOf(col as (typeof DEFAULT_FEATURES)[number]);
      cp[j >= 0 ? HOSTILE[j] : col] = values;
    }
    run.checkpoints = cp;
  }
  return b;
}

describe('analysis figure', () => {
  const report = analyzeRuns(smallBundle(), { restarts: 2, kMax: 3, seed: 1 });
  const svg = analysisFigureSvg(report);

  it('draws every visited state, every edge and every run, as well-formed SVG', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(xmlWellFormedError(svg)).toBeNull();
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
    const visited = report.map.nodes.filter((n) => n.runs > 0).length;
    const map = /<g id="map"[^>]*>([\s\S]*?)<\/g>/.exec(svg)![1];
    expect(map.match(/<circle /g)?.length).toBe(visited);
    expect(map.match(/marker-end="url\(#arrow\)"/g)?.length).toBe(report.map.edges.length);
    const st = report.stability as Exclude<typeof report.stability, { skipped: string }>;
    // A title, and the map in one sentence with how many fits agree.
    expect(svg).toContain(`>${escapeXml(mapTitle(report))}</text>`);
    expect(mapTitle(report)).toBe(`Training map of small (${report.map.shape}, K = ${report.selection.chosenK})`);
    const sentence = mapSentence(report);
    expect(sentence).toContain(`${Math.round(100 * st.verdict.support)}% of ${st.comparable} fit`);
    const words = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).join(' ');
    expect(words).toContain(escapeXml(sentence));
    // The legend: every entry's words, and each state with its plain words.
    const legend = /<g id="legend">([\s\S]*)<\/g>/.exec(svg)![1];
    const legendWords = [...legend.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).join(' ');
    for (const e of mapLegend(report, { ghostEdges: true }).entries) expect(legendWords).toContain(escapeXml(e.text));
    for (const d of describeStates(report)) expect(legendWords).toContain(escapeXml(d.short));
    // Each edge's label carries its support.
    for (const e of report.map.edges)
      expect(svg).toMatch(
        new RegExp(
          `${e.runs} runs? · ${Math.round(100 * st.edges.find((x) => x.from === e.from && x.to === e.to)!.support)}%`,
        ),
      );
    expect(svg).toContain('Model selection (held-out runs; chosen K=2, lowest BIC)');
    // One black convergence tick per converged run.
    expect(svg.match(/fill="#000"/g)?.length).toBe(report.runs.filter((r) => r.convergence?.converged).length);
  });

  it('draws edges by their support: faint and dashed when few comparable fits have them, grey for edges of other fits', () => {
    const st = report.stability as Exclude<typeof report.stability, { skipped: string }>;
    const [e] = report.map.edges;
    const weak = {
      ...report,
      stability: {
        ...st,
        // The supports at the chosen K alone (without this, they would be read across K).
        acrossK: undefined,
        edges: [
          { from: e.from, to: e.to, support: 0.25, shown: true },
          { from: e.to, to: e.from, support: 0.5, shown: false },
        ],
      },
    };
    const out = analysisFigureSvg(weak);
    expect(xmlWellFormedError(out)).toBeNull();
    expect(out).toMatch(/stroke-opacity="0\.35" stroke-width="[\d.]+" stroke-dasharray="6 4"/);
    expect(out).toMatch(/runs? · 25%<\/text>/);
    expect(out).toMatch(/stroke="#999" stroke-width="1" stroke-dasharray="3 3"/);
    expect(out).toContain('>50%</text>');
    const none = analysisFigureSvg({ ...report, stability: { skipped: 'off', kChoice: st.kChoice } });
    expect(none).toContain(`Training map of small (${report.map.shape}, K = `);
    expect(none).not.toContain('stroke-dasharray="3 3"');
    expect(none).not.toMatch(/ fits? \(K = /);
  });

  it('escapes text, and turns characters XML cannot hold into visible escapes', () => {
    expect(escapeXml(`a<b & "c" 'd'>`)).toBe('a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;');
    expect(escapeXml('\u0000\u001b[1m\uD800\uFFFE')).toBe('\\x00\\x1B[1m\\uD800\\uFFFE');
  });

  it('stays well-formed XML when every feature name is hostile (read from a bundle, analyzed, drawn); names are text only', () => {
    const hostile = analyzeRuns(hostileBundle(), { restarts: 1, kMax: 3, seed: 1, features: HOSTILE });
    const figure = analysisFigureSvg(hostile);
    expect(xmlWellFormedError(figure)).toBeNull();
    expect(figure).not.toMatch(/<script|<!\[CDATA/);
    expect(figure).not.toMatch(RAW_CONTROL_BUT_NEWLINE);
    expect(figure.length).toBeLessThan(svg.length + 20_000); // the 10,000-character name is cut
    expect(hostile.features).toEqual(HOSTILE); // the data keeps every name as it was
  });

  it('well-formed for any strings as feature names (fast-check, any UTF-16 text)', () => {
    const names = fc.array(fc.oneof(anyText(40), fc.constantFrom(...HOSTILE)), { minLength: 1, maxLength: 14 });
    fc.assert(
      fc.property(names, (ns) => {
        const pick = (i: number) => ns[i % ns.length];
        const renamed: AnalysisReport = structuredClone(report);
        renamed.map.nodes.forEach((n) => n.topFeatures.forEach((f, i) => (f.feature = pick(n.state + i))));
        renamed.map.edges.forEach((e, k) => e.changes.forEach((c, i) => (c.feature = pick(k + i))));
        renamed.features = renamed.features.map((_, i) => pick(i));
        expect(xmlWellFormedError(analysisFigureSvg(renamed))).toBeNull();
      }),
      { numRuns: 60 },
    );
  });

  it('no text of the figure overlaps another or leaves the figure, over the shipped map and sampled ones', () => {
    for (const { name, report: r } of [{ name: 'small', report }, ...mapReportSet(DEFAULT_FEATURES)]) {
      const figure = analysisFigureSvg(r);
      const width = Number(/width="(\d+)"/.exec(figure)![1]);
      const boxes = textBoxes(figure);
      expect(
        overlappingPairs(boxes).map(([a, b]) => `${a.text} / ${b.text}`),
        name,
      ).toEqual([]);
      for (const b of boxes) expect(b.x >= 0 && b.x + b.width <= width, `${name}: ${b.text}`).toBe(true);
    }
  });
});
