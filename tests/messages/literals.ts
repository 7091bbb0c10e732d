/**
 * A small scanner of TypeScript source for the guard test (catalogue.guard.test.ts): every string
 * and template literal outside comments, with the call it is an argument of (the innermost open
 * call: `context.sendActivity`, `log.warn`, `new DeskError`…) and its line. A template literal's
 * `${…}` parts are read as code (their own literals are found too) and stand as "X" in its text.
 *
 * Regular-expression literals are told from division the usual way (a `/` where an expression
 * may start), which is enough for this code base: the guard's own test checks it on tricky input.
 */

/** One literal found in the source. */
export interface Literal {
  text: string;
  line: number;
  /** The callee of the innermost call the literal sits in ('' at top level or in a plain bracket). */
  callee: string;
}

const EXPRESSION_START = /[(,=:[!&|?{};+\-*%<>~^]$|\b(return|typeof|case|do|else|in|of|new|delete|void|throw|yield|await)$/;

/** Every string and template literal of a TypeScript source. */
export function literalsOf(source: string): Literal[] {
  const found: Literal[] = [];
  let i = 0;
  let line = 1;
  // One entry per open bracket: the callee for "(" after an identifier, '' otherwise; "${" marks a template hole.
  const stack: string[] = [];
  const calleeBefore = (end: number): string => {
    // A chain may break before a dot ("\n  .then("), never after one: a sentence ending "run." in a
    // comment above a call is not part of its callee.
    const m = /((?:new\s+)?[A-Za-z_$][\w$]*(?:\s*\??\.[ \t]*[A-Za-z_$][\w$]*)*)\s*(?:<[^<>()]*>)?\s*$/.exec(source.slice(Math.max(0, end - 200), end));
    return m ? m[1]!.replace(/\s+/g, ' ').replace(/\s*\.\s*/g, '.') : '';
  };
  const current = () => [...stack].reverse().find((s) => s !== '${' && s !== '') ?? '';
  const lastCode = () => source.slice(Math.max(0, i - 40), i).replace(/\s+$/, '');

  const readQuoted = (quote: string): string => {
    let out = '';
    i++;
    while (i < source.length && source[i] !== quote) {
      if (source[i] === '\\') {
        out += source[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (source[i] === '\n') line++;
      out += source[i++];
    }
    i++;
    return out;
  };

  /** Reads a template literal from its opening backtick; its holes are scanned as code, recursively. */
  const readTemplate = (): string => {
    let out = '';
    i++;
    while (i < source.length && source[i] !== '`') {
      if (source[i] === '\\') {
        out += source[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (source[i] === '$' && source[i + 1] === '{') {
        i += 2;
        out += 'X';
        scanCode(true);
        continue;
      }
      if (source[i] === '\n') line++;
      out += source[i++];
    }
    i++;
    return out;
  };

  const skipRegex = () => {
    i++;
    let inClass = false;
    while (i < source.length) {
      const ch = source[i]!;
      if (ch === '\\') i += 2;
      else if (ch === '[') (inClass = true), i++;
      else if (ch === ']') (inClass = false), i++;
      else if (ch === '/' && !inClass) {
        i++;
        break;
      } else if (ch === '\n') break;
      else i++;
    }
    while (/[a-z]/i.test(source[i] ?? '')) i++;
  };

  /** Scans code until the end (or, in a template hole, its closing brace). */
  function scanCode(inHole: boolean): void {
    const depth = stack.length;
    if (inHole) stack.push('${');
    while (i < source.length) {
      const ch = source[i]!;
      const next = source[i + 1];
      if (ch === '\n') {
        line++;
        i++;
      } else if (ch === '/' && next === '/') {
        while (i < source.length && source[i] !== '\n') i++;
      } else if (ch === '/' && next === '*') {
        const end = source.indexOf('*/', i + 2);
        const stop = end < 0 ? source.length : end + 2;
        line += (source.slice(i, stop).match(/\n/g) ?? []).length;
        i = stop;
      } else if (ch === '/' && EXPRESSION_START.test(lastCode() || '(')) {
        skipRegex();
      } else if (ch === "'" || ch === '"') {
        const at = line;
        const callee = current();
        found.push({ text: readQuoted(ch), line: at, callee });
      } else if (ch === '`') {
        const at = line;
        const callee = current();
        const start = found.length;
        const text = readTemplate();
        found.splice(start, 0, { text, line: at, callee });
      } else if (ch === '(') {
        stack.push(calleeBefore(i));
        i++;
      } else if (ch === '[' || ch === '{') {
        stack.push('');
        i++;
      } else if (ch === ')' || ch === ']' || ch === '}') {
        if (inHole && ch === '}' && stack.length === depth + 1) {
          stack.pop();
          i++;
          return;
        }
        stack.pop();
        i++;
      } else i++;
    }
  }

  scanCode(false);
  return found;
}

/**
 * Whether a literal reads like words for a person: at least four words of letters, separated by
 * spaces (a placeholder "X" counts as a word). Identifiers, codes, keys, paths, CSS and regular
 * expression sources are not.
 */
export function looksLikeSentence(text: string): boolean {
  if (!/\s/.test(text)) return false;
  if (/^[\w.-]+(\.[\w-]+)+$/.test(text.trim())) return false;
  const words = text.split(/\s+/).filter((w) => /^[("'“]?[A-Za-z][a-z’']*[)"'”.,:;!?]*$/.test(w));
  return words.length >= 4;
}
