import { bytesToText } from '../../../shared/pdf-syntax/xref.ts';
import type { StreamObject } from './stream-object.ts';

/**
 * The text of each object an object stream (`/Type /ObjStm`) holds, by object number: its header
 * lists `/N` pairs of object number and offset from `/First`. Null when the header cannot be read.
 */
export function readObjectStream({ dict, data }: StreamObject): Map<number, string> | null {
  const count = Number(dict.get('N'));
  const first = Number(dict.get('First'));
  if (!Number.isSafeInteger(count) || !Number.isSafeInteger(first) || first > data.byteLength) return null;
  const words = bytesToText(data.subarray(0, first)).trim().split(/\s+/).map(Number);
  if (words.length < 2 * count || words.some((word) => !Number.isSafeInteger(word))) return null;
  const text = bytesToText(data.subarray(first));
  const objects = new Map<number, string>();
  for (let i = 0; i < count; i++) {
    const start = words[2 * i + 1]!;
    const end = i + 1 < count ? words[2 * i + 3]! : text.length;
    objects.set(words[2 * i]!, text.slice(start, end));
  }
  return objects;
}
