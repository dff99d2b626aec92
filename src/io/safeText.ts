/**
 * Text that came from a file or a user (run ids, column names, cells, file names), made fit to show in a
 * message, a terminal or a figure: characters that a terminal or a reader would act on instead of showing
 * (ESC starting colour or title sequences, BEL, NUL, C1 controls, line separators, bidirectional overrides,
 * invisible formatting, lone surrogates) become visible escapes, and long values are cut. The same function
 * serves BundleError messages, analysis warnings, the CLI and the SVG figure (whose XML cannot hold most
 * of these characters at all), so the page shows what the terminal shows.
 */

/** Most UTF-8 bytes a message may take (a message is one line under 1 KB). */
export const MESSAGE_MAX_BYTES = 1000;

// Cc (C0, DEL, C1), Cf (format: bidi controls, BOM, zero-width space, tags) except the joiners emoji need,
// line and paragraph separators, lone surrogates, and the noncharacters U+FFFE/U+FFFF that XML forbids.
const UNSAFE = /[\p{Cc}\p{Zl}\p{Zp}\p{Cs}\uFFFE\uFFFF]|(?![\u200C\u200D])\p{Cf}/u;

const NAMED: Record<number, string> = { 9: '\\t', 10: '\\n', 13: '\\r' };

function escapeChar(cp: number): string {
  if (Object.hasOwn(NAMED, cp)) return NAMED[cp];
  if (cp < 0x100) return `\\x${cp.toString(16).toUpperCase().padStart(2, '0')}`;
  if (cp < 0x10000) return `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return `\\u{${cp.toString(16).toUpperCase()}}`;
}

const utf8Bytes = (cp: number) => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);

/**
 * `s` with unsafe characters escaped (`\x1B`, `\u202E`, `\n`…) and cut to at most `maxBytes` UTF-8 bytes,
 * ending in `…(N characters)` when cut. Never splits an escape or a surrogate pair; reads only as much of
 * `s` as it shows, so a 10 MB value costs no more than a short one.
 */
export function safeText(s: string, maxBytes = 120): string {
  const str = String(s);
  const tail = `…(${str.length} characters)`;
  const tailBytes = tail.length + 2; // '…' is three bytes
  let out = '';
  let bytes = 0;
  let keep = 0; // out's length when out + tail last fitted
  for (let i = 0; i < str.length;) {
    const cp = str.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const ch = str.slice(i, i + width);
    const unsafe = UNSAFE.test(ch);
    const piece = unsafe ? escapeChar(cp) : ch;
    const cost = unsafe ? piece.length : utf8Bytes(cp);
    if (bytes + cost > maxBytes) return out.slice(0, keep) + tail;
    out += piece;
    bytes += cost;
    if (bytes + tailBytes <= maxBytes) keep = out.length;
    i += width;
  }
  return out;
}

/** `s` with every unsafe character escaped and nothing cut (for output that must hold the whole value). */
export function visibleText(s: string): string {
  const str = String(s);
  if (!UNSAFE.test(str)) return str;
  let out = '';
  for (const ch of str) out += UNSAFE.test(ch) ? escapeChar(ch.codePointAt(0)!) : ch;
  return out;
}

/** A value quoted for a message: `'value'`, made safe and cut (default 80 bytes). */
export function quoted(s: string, maxBytes = 80): string {
  return `'${safeText(s, maxBytes)}'`;
}

/** A list of values for a message (`'a', 'b', … and 37 more`), each quoted, the whole kept short. */
export function quotedList(items: readonly string[], maxItems = 12, maxBytes = 40): string {
  const shown = items.slice(0, maxItems).map((x) => quoted(x, maxBytes));
  return shown.join(', ') + (items.length > maxItems ? ` and ${items.length - maxItems} more` : '');
}

/** A whole message (file, location, detail) made safe and kept under MESSAGE_MAX_BYTES. */
export function safeMessage(s: string): string {
  return safeText(s, MESSAGE_MAX_BYTES);
}

/** True when `s` holds a character safeText would escape (for tests and checks). */
export function hasUnsafeText(s: string): boolean {
  return UNSAFE.test(s);
}
