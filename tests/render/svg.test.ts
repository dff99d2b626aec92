import { describe, expect, it } from 'vitest';
import { el, escapeXml, STATE_COLORS, stateColor, text } from '../../src/render/svg.ts';

describe('svg helpers', () => {
  it('escapeXml escapes the five XML specials and nothing else', () => {
    expect(escapeXml(`a<b>&"c"'d' é`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos; é');
    expect(escapeXml('&amp;')).toBe('&amp;amp;');
  });

  it('el writes attributes in order, rounds numbers to 2 decimals, drops undefined ones, escapes values', () => {
    expect(el('rect', { x: 1.23456, y: -0.004, width: 10, fill: 'url("#a")', stroke: undefined })).toBe(
      '<rect x="1.23" y="0" width="10" fill="url(&quot;#a&quot;)"/>',
    );
    expect(el('g', { class: 'axis' }, '<line/>')).toBe('<g class="axis"><line/></g>');
    // a non-finite coordinate must not produce NaN in the file
    expect(el('circle', { cx: NaN, cy: Infinity, r: 2 })).toBe('<circle cx="0" cy="0" r="2"/>');
  });

  it('text escapes its content', () => {
    expect(text(5, 6.789, 'K < 3 & "x"', { 'text-anchor': 'end' })).toBe(
      '<text x="5" y="6.79" text-anchor="end">K &lt; 3 &amp; &quot;x&quot;</text>',
    );
  });

  it('state colors are 12 distinct colors and wrap around', () => {
    expect(new Set(STATE_COLORS).size).toBe(12);
    STATE_COLORS.forEach((c) => expect(c).toMatch(/^#[0-9a-f]{6}$/));
    expect(stateColor(0)).toBe(STATE_COLORS[0]);
    expect(stateColor(13)).toBe(STATE_COLORS[1]);
  });
});
