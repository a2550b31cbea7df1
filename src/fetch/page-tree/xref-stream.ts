import type { StreamObject } from './stream-object.ts';

/** Where an object is: at an offset of the file, or the `index`th object of object stream `stream`. */
export type XrefEntry = { offset: number } | { stream: number; index: number };

/**
 * The entries of a decoded cross-reference stream (`/Type /XRef`, its `/W`, `/Index`, `/Size`),
 * by object number; null when its fields cannot be read. Free entries are left out.
 */
export function readXrefStream({ dict, data }: StreamObject): Map<number, XrefEntry> | null {
  const widths = numbers(dict.get('W'));
  const size = Number(dict.get('Size'));
  const index = dict.has('Index') ? numbers(dict.get('Index')) : [0, size];
  if (!widths || widths.length !== 3 || !index || index.length % 2 !== 0 || widths.some((w) => w > 8)) return null;
  const [typeWidth, fieldWidth, thirdWidth] = widths as [number, number, number];
  const rowWidth = typeWidth + fieldWidth + thirdWidth;
  if (rowWidth === 0) return null;
  const entries = new Map<number, XrefEntry>();
  let at = 0;
  const field = (width: number): number => {
    let value = 0;
    for (let i = 0; i < width; i++) value = value * 256 + data[at++]!;
    return value;
  };
  for (let section = 0; section < index.length; section += 2) {
    const first = index[section]!;
    const count = index[section + 1]!;
    for (let i = 0; i < count; i++) {
      if (at + rowWidth > data.byteLength) return entries;
      // A type field of width 0 means every entry is an object at an offset.
      const type = typeWidth === 0 ? 1 : field(typeWidth);
      const second = field(fieldWidth);
      const third = field(thirdWidth);
      if (entries.has(first + i)) continue;
      if (type === 1) entries.set(first + i, { offset: second });
      else if (type === 2) entries.set(first + i, { stream: second, index: third });
    }
  }
  return entries;
}

function numbers(value: string | undefined): number[] | null {
  const inner = value && /^\[([\d\s]*)\]$/.exec(value.trim());
  if (!inner) return null;
  return inner[1]!.trim().split(/\s+/).filter(Boolean).map(Number);
}
