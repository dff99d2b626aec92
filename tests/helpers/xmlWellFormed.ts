/**
 * A strict XML 1.0 well-formedness check (no DTDs, ASCII names): legal characters only, every tag closed in
 * order, attributes quoted, unique and free of '<', every '&' a known entity or a character reference to a
 * legal character, no ']]>' in text, one root element. Returns null, or where and why it is not well-formed.
 */
export function xmlWellFormedError(xml: string): string | null {
  const illegal = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.exec(xml);
  if (illegal)
    return `illegal character U+${illegal[0].codePointAt(0)!.toString(16).toUpperCase()} at ${illegal.index}`;
  const name = /^[A-Za-z_:][A-Za-z0-9_:.-]*/;
  const legalCode = (cp: number) =>
    cp === 9 ||
    cp === 10 ||
    cp === 13 ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff);
  const checkRefs = (s: string, at: number): string | null => {
    for (let i = s.indexOf('&'); i >= 0; i = s.indexOf('&', i + 1)) {
      const m = /^&(lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/.exec(s.slice(i, i + 12));
      if (!m) return `'&' not starting an entity at ${at + i}`;
      if (m[1].startsWith('#')) {
        const cp = m[1][1] === 'x' ? parseInt(m[1].slice(2), 16) : parseInt(m[1].slice(1), 10);
        if (!legalCode(cp)) return `character reference to an illegal character at ${at + i}`;
      }
    }
    return null;
  };
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt < 0 ? xml.length : lt;
    const chunk = xml.slice(i, textEnd);
    if (chunk.includes(']]>')) return `']]>' in text at ${i}`;
    const refErr = checkRefs(chunk, i);
    if (refErr) return refErr;
    if (stack.length === 0 && chunk.trim() !== '') return `text outside the root element at ${i}`;
    if (lt < 0) break;
    i = lt;
    if (xml.startsWith('<?', i)) {
      const end = xml.indexOf('?>', i);
      if (end < 0) return `unclosed processing instruction at ${i}`;
      i = end + 2;
      continue;
    }
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end < 0 || xml.slice(i + 4, end).includes('--')) return `bad comment at ${i}`;
      i = end + 3;
      continue;
    }
    if (xml.startsWith('<![CDATA[', i)) {
      if (stack.length === 0) return `CDATA outside the root at ${i}`;
      const end = xml.indexOf(']]>', i);
      if (end < 0) return `unclosed CDATA at ${i}`;
      i = end + 3;
      continue;
    }
    if (xml.startsWith('<!', i)) return `declarations are not expected (at ${i})`;
    if (xml.startsWith('</', i)) {
      const m = name.exec(xml.slice(i + 2));
      if (!m) return `bad closing tag at ${i}`;
      let j = i + 2 + m[0].length;
      while (/\s/.test(xml[j] ?? '')) j++;
      if (xml[j] !== '>') return `bad closing tag at ${i}`;
      const open = stack.pop();
      if (open !== m[0]) return `</${m[0]}> closes <${open ?? 'nothing'}> at ${i}`;
      i = j + 1;
      continue;
    }
    const m = name.exec(xml.slice(i + 1));
    if (!m) return `bad tag name at ${i}`;
    if (stack.length === 0 && roots++ > 0) return `a second root element at ${i}`;
    let j = i + 1 + m[0].length;
    const attrs = new Set<string>();
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(j))![0].length;
      j += ws;
      if (xml.startsWith('/>', j)) {
        j += 2;
        break;
      }
      if (xml[j] === '>') {
        stack.push(m[0]);
        j++;
        break;
      }
      if (ws === 0) return `attributes must be separated by space at ${j}`;
      const a = name.exec(xml.slice(j));
      if (!a) return `bad attribute name at ${j}`;
      if (attrs.has(a[0])) return `attribute ${a[0]} twice at ${j}`;
      attrs.add(a[0]);
      j += a[0].length;
      const eq = /^\s*=\s*/.exec(xml.slice(j));
      if (!eq) return `attribute without '=' at ${j}`;
      j += eq[0].length;
      const q = xml[j];
      if (q !== '"' && q !== "'") return `unquoted attribute value at ${j}`;
      const end = xml.indexOf(q, j + 1);
      if (end < 0) return `unclosed attribute value at ${j}`;
      const value = xml.slice(j + 1, end);
      if (value.includes('<')) return `'<' in an attribute value at ${j}`;
      const err = checkRefs(value, j + 1);
      if (err) return err;
      j = end + 1;
    }
    i = j;
  }
  if (stack.length) return `unclosed <${stack[stack.length - 1]}>`;
  if (roots !== 1) return 'no root element';
  return null;
}
