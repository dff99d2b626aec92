/** Tiny helpers for writing SVG as text (no DOM), so figures render in Node, workers and the page alike. */

import { visibleText } from '../io/safeText.ts';

/**
 * Text as XML character data or an attribute value. Characters XML cannot hold at all (most C0 controls,
 * lone surrogates, U+FFFE/U+FFFF) and those that would act instead of showing (bidi overrides, line
 * separators) become visible escapes first, so the figure is well-formed for any input string.
 */
export const escapeXml = (s: string): string =>
  visibleText(s).replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

const num = (x: number): string => (Number.isFinite(x) ? String(Math.round(x * 100) / 100) : '0');

export function el(tag: string, attrs: Record<string, string | number | undefined>, body = ''): string {
  const a = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}="${typeof v === 'number' ? num(v) : escapeXml(v!)}"`)
    .join(' ');
  return body ? `<${tag} ${a}>${body}</${tag}>` : `<${tag} ${a}/>`;
}

export function text(x: number, y: number, s: string, attrs: Record<string, string | number> = {}): string {
  return el('text', { x, y, ...attrs }, escapeXml(s));
}

export { STATE_COLORS, stateColor } from './stateColor.ts';
