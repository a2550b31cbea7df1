import { inflate, unpredict } from './flate.ts';
import { dictEnd, dictEntries } from '../../../shared/pdf-syntax/pdf-dict.ts';
import { bytesToText } from '../../../shared/pdf-syntax/xref.ts';

/** A stream object read from its bytes: its dictionary and its data, decoded. */
export interface StreamObject {
  dict: Map<string, string>;
  data: Uint8Array;
}

/**
 * Reads the stream object whose bytes (`n g obj << … >> stream … endstream`) start `bytes`.
 * 'incomplete' with the length needed when the bytes end before its data does; null when it is
 * not a stream with a direct `/Length`, or its filter is not FlateDecode (or none) with at most a
 * PNG predictor.
 */
export async function readStreamObject(bytes: Uint8Array): Promise<StreamObject | { incomplete: number } | null> {
  // The dictionary is text; the data after it need not be.
  const text = bytesToText(bytes.subarray(0, Math.min(bytes.byteLength, 4096)));
  const head = /^\s*\d+\s+\d+\s+obj\s*/.exec(text);
  if (!head || !text.startsWith('<<', head[0].length)) return null;
  const end = dictEnd(text, head[0].length);
  if (end < 0) return bytes.byteLength > 4096 ? null : { incomplete: bytes.byteLength + 4096 };
  const dict = dictEntries(text.slice(head[0].length, end));
  const keyword = /^\s*stream\r?\n/.exec(text.slice(end));
  const length = Number(dict.get('Length'));
  if (!keyword || !Number.isSafeInteger(length) || length < 0) return null;
  const from = end + keyword[0].length;
  if (from + length > bytes.byteLength) return { incomplete: from + length };
  const raw = bytes.subarray(from, from + length);
  const filter = dict.get('Filter')?.replace(/[[\]\s]/g, '');
  if (filter === undefined) return { dict, data: raw };
  if (filter !== '/FlateDecode') return null;
  const inflated = await inflate(raw);
  if (!inflated) return null;
  const parms = dictEntries(dict.get('DecodeParms') ?? '');
  const predictor = Number(parms.get('Predictor') ?? 1);
  const data = unpredict(inflated, predictor, Number(parms.get('Columns') ?? 1));
  return data ? { dict, data } : null;
}
