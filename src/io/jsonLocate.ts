/**
 * Finds where a value sits in JSON text, by path (keys and indices). Only used to point at the line and
 * column of a structural error after JSON.parse succeeded, so it favours simplicity over speed.
 */
export function locateJsonPath(text: string, path: readonly (string | number)[]): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const skipString = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const skipValue = () => {
    ws();
    if (text[i] === '"') return void skipString();
    if (text[i] === '{' || text[i] === '[') {
      let depth = 0;
      do {
        if (text[i] === '"') {
          skipString();
          continue;
        }
        if (text[i] === '{' || text[i] === '[') depth++;
        if (text[i] === '}' || text[i] === ']') depth--;
        i++;
      } while (depth > 0 && i < text.length);
      return;
    }
    while (i < text.length && !/[,\]}\s]/.test(text[i])) i++;
  };
  for (const key of path) {
    ws();
    if (text[i] === '{') {
      i++;
      for (;;) {
        ws();
        if (text[i] !== '"') return i;
        const k = skipString();
        ws();
        i++; // ':'
        ws();
        if (k === key) break;
        skipValue();
        ws();
        if (text[i] === ',') i++;
        else return i;
      }
    } else if (text[i] === '[') {
      i++;
      for (let idx = 0; ; idx++) {
        ws();
        if (idx === key) break;
        if (text[i] === ']') return i;
        skipValue();
        ws();
        if (text[i] === ',') i++;
        else return i;
      }
    } else {
      return i;
    }
  }
  ws();
  return i;
}

/**
 * The first syntax error in JSON text (offset and what was expected), or null if it parses. Error path only.
 * Iterative (an explicit stack of open containers), so no nesting can overflow the call stack; nesting
 * beyond `maxDepth` is itself reported as the error.
 */
export function findJsonSyntaxError(text: string, maxDepth = Infinity): { offset: number; message: string } | null {
  let i = 0;
  class Stop extends Error {
    constructor(
      readonly offset: number,
      message: string,
    ) {
      super(message);
    }
  }
  const found = () => (i < text.length ? `'${text[i]}'` : 'the end of the file');
  const fail = (what: string): never => {
    throw new Stop(i, `expected ${what}, found ${found()}`);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`a value`);
  };
  const string = () => {
    if (text[i] !== '"') fail('a string in double quotes');
    i++;
    while (i < text.length && text[i] !== '"') {
      const code = text.charCodeAt(i);
      if (code === 10 || code === 13) fail('a closing quote before the line ends');
      if (code < 0x20)
        fail(`a control character inside a string to be escaped (as \\u${code.toString(16).padStart(4, '0')})`);
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('four hex digits after \\u');
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail('a valid escape');
      }
      i++;
    }
    if (i >= text.length) fail('a closing quote');
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail('a value');
    i += m![0].length;
  };
  const key = () => {
    ws();
    string();
    ws();
    if (text[i] !== ':') fail("':' after the key");
    i++;
  };
  // The containers open around the current position: true for an object, false for an array.
  const open: boolean[] = [];
  try {
    let wantValue = true;
    for (;;) {
      ws();
      if (wantValue) {
        const c = text[i];
        if (c === '{' || c === '[') {
          if (open.length >= maxDepth)
            throw new Stop(i, `nesting deeper than ${maxDepth} levels; a run bundle needs far fewer`);
          i++;
          ws();
          if (text[i] === (c === '{' ? '}' : ']')) {
            i++;
            wantValue = false;
            continue;
          }
          open.push(c === '{');
          if (c === '{') key();
          continue;
        }
        if (c === '"') string();
        else if (c === 't') literal('true');
        else if (c === 'f') literal('false');
        else if (c === 'n') literal('null');
        else number();
        wantValue = false;
        continue;
      }
      if (open.length === 0) {
        if (i < text.length) fail('the end of the file after the top-level value');
        return null;
      }
      const inObject = open[open.length - 1];
      if (text[i] === ',') {
        i++;
        if (inObject) key();
        wantValue = true;
      } else if (text[i] === (inObject ? '}' : ']')) {
        i++;
        open.pop();
      } else fail(inObject ? "',' or '}'" : "',' or ']'");
    }
  } catch (e) {
    if (e instanceof Stop) return { offset: e.offset, message: e.message };
    throw e;
  }
}
