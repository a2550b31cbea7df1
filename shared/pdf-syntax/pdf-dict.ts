// Enough of PDF's object syntax to read the dictionaries on the way from the trailer to the pages:
// the trailer, the catalog, the page tree's nodes and each page's content streams. Read by the
// element's page tree read-ahead and by the server's page map alike.

/** The dictionary of an indirect object whose text starts at `n g obj`, or null. */
export function objectDict(text: string): Map<string, string> | null {
  const head = /^\s*\d+\s+\d+\s+obj\s*/.exec(text);
  if (!head || !text.startsWith('<<', head[0].length)) return null;
  const end = dictEnd(text, head[0].length);
  return end < 0 ? null : dictEntries(text.slice(head[0].length, end));
}

/** The object number of a reference value (`12 0 R`), or null. */
export function refNumber(value: string | undefined): number | null {
  const match = value && /^(\d+)\s+\d+\s+R$/.exec(value.trim());
  return match ? Number(match[1]) : null;
}

/** The object numbers of an array of references (`[1 0 R 5 0 R]`), or null if it is anything else. */
export function refNumbers(value: string | undefined): number[] | null {
  const inner = value && /^\[([\s\d R]*)\]$/.exec(value.trim());
  if (!inner) return null;
  const numbers: number[] = [];
  const words = inner[1]!.trim().split(/\s+/).filter(Boolean);
  if (words.length % 3 !== 0) return null;
  for (let i = 0; i < words.length; i += 3) {
    if (!/^\d+$/.test(words[i]!) || !/^\d+$/.test(words[i + 1]!) || words[i + 2] !== 'R') return null;
    numbers.push(Number(words[i]));
  }
  return numbers;
}

const DELIMITER = /[\s()<>[\]{}/%]/;
const REFERENCE = /\s+\d+\s+R(?=[\s()<>[\]{}/%]|$)/y;

/**
 * The top-level entries of a dictionary `<< … >>`, each value as its raw text (`/Pages`,
 * `3 0 R`, `[ … ]`, `<< … >>`). Strings, hex strings and comments are skipped as PDF defines them.
 */
export function dictEntries(dict: string): Map<string, string> {
  const entries = new Map<string, string>();
  let i = skipSpace(dict, dict.indexOf('<<') + 2);
  while (i < dict.length && dict[i] === '/') {
    const keyEnd = nameEnd(dict, i + 1);
    const valueStart = skipSpace(dict, keyEnd);
    const valueEnd = objectEnd(dict, valueStart);
    if (valueEnd <= valueStart) break;
    const key = dict.slice(i + 1, keyEnd);
    if (!entries.has(key)) entries.set(key, dict.slice(valueStart, valueEnd));
    i = skipSpace(dict, valueEnd);
  }
  return entries;
}

/** Just after the one object (number, reference, name, string, array, dictionary…) that starts at `at`. */
function objectEnd(text: string, at: number): number {
  const c = text[at];
  if (c === undefined) return at;
  if (c === '<' && text[at + 1] === '<') {
    const end = dictEnd(text, at);
    return end < 0 ? text.length : end;
  }
  if (c === '<') return text.indexOf('>', at) + 1 || text.length;
  if (c === '(') return stringEnd(text, at);
  if (c === '/') return nameEnd(text, at + 1);
  if (c === '[') {
    let i = skipSpace(text, at + 1);
    while (i < text.length && text[i] !== ']') {
      const end = objectEnd(text, i);
      if (end <= i) return text.length;
      i = skipSpace(text, end);
    }
    return Math.min(text.length, i + 1);
  }
  if (c === '>' || c === ']' || c === ')') return at;
  const end = nameEnd(text, at);
  if (/^\d+$/.test(text.slice(at, end))) {
    REFERENCE.lastIndex = end;
    if (REFERENCE.test(text)) return REFERENCE.lastIndex;
  }
  return end;
}

/** The next character that is not white space or part of a comment. */
function skipSpace(text: string, from: number): number {
  let i = from;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text[i] !== '%') return i;
    i = lineEnd(text, i);
  }
}

/** Where the dictionary opening at `open` (`<<`) ends, just after its `>>`; -1 if the text ends first. */
export function dictEnd(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; ) {
    const c = text[i]!;
    if (c === '%') i = lineEnd(text, i);
    else if (c === '(') i = stringEnd(text, i);
    else if (c === '<' && text[i + 1] === '<') {
      depth++;
      i += 2;
    } else if (c === '>' && text[i + 1] === '>') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else if (c === '<') {
      const close = text.indexOf('>', i);
      if (close < 0) return -1;
      i = close + 1;
    } else i++;
  }
  return -1;
}

function nameEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && !DELIMITER.test(text[i]!)) i++;
  return i;
}

function lineEnd(text: string, from: number): number {
  const match = /[\r\n]/.exec(text.slice(from));
  return match ? from + match.index : text.length;
}

/** Just after the literal string opening at `open`: balanced parentheses, backslash escapes. */
function stringEnd(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return text.length;
}
