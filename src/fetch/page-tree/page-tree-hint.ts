import type { PrefetchedRange } from '../byte-ranges.ts';

const latin1 = new TextDecoder('latin1');

/**
 * Whether reading the page tree ahead may find anything to fetch, judged cheaply from the bytes
 * in hand, so that its code loads just for files that may need it. No for a file without a
 * cross-reference table (its page objects are then in compressed streams pdf.js reads whole),
 * and for one whose page-tree root, in the first bytes, lists only kids that the table places in
 * the bytes in hand or in the streamed front (a file with its pages first). Yes otherwise, or
 * when it cannot tell (only one plain table, `xref 0 n` at the end, is read here).
 */
export function mayReadPageTreeAhead(initial: Uint8Array, tail: PrefetchedRange, frontEnd: number): boolean {
  const text = latin1.decode(tail.bytes);
  // A cross-reference stream: the page tree's nodes in object streams, one round trip a level.
  if (!text.includes('trailer')) return true;
  const table = /\sxref\s+0 (\d+)\s*\n/.exec(text);
  const kids = firstKids(initial);
  if (!table || !kids || text.split(/\sxref\s/).length > 2) return true;
  const entries = table.index + table[0].length;
  return [...kids[1]!.matchAll(/(\d+)\s+\d+\s+R/g)].some(([, kid]) => {
    // Each entry is 20 bytes, its first ten the object's offset.
    const offset = Number(text.slice(entries + 20 * Number(kid), entries + 20 * Number(kid) + 10));
    return !(Number(kid) < Number(table[1])) || !(offset >= 0) || (offset >= frontEnd && offset < tail.begin);
  });
}

/** The first list of kids in `bytes` (a flat page tree's root lists every page), or null. */
function firstKids(bytes: Uint8Array): RegExpExecArray | null {
  return /\/Kids\s*\[([\d\sR]*)\]/.exec(latin1.decode(bytes));
}

/** How many kids the first list of kids in the first bytes names: every page, for a flat page tree. */
export function kidsInFirstBytes(initial: Uint8Array): number {
  return firstKids(initial)?.[1]!.match(/\d+\s+\d+\s+R/g)?.length ?? 0;
}
