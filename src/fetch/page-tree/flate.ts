/**
 * Inflates zlib-wrapped data (PDF's FlateDecode) with the engine's own DecompressionStream. A
 * stream cut short or damaged inflates to what came before the fault, or null if nothing did.
 */
export async function inflate(bytes: Uint8Array): Promise<Uint8Array | null> {
  const parts: Uint8Array[] = [];
  let length = 0;
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate')).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      length += value.byteLength;
    }
  } catch {
    // pdfTeX and others end some streams without the checksum: what came is kept.
    if (length === 0) return null;
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/**
 * Undoes a PNG predictor (`/Predictor` 10 to 15, each row a filter byte then `columns` bytes, one
 * byte a sample), as cross-reference streams use; null for any other predictor.
 */
export function unpredict(data: Uint8Array, predictor: number, columns: number): Uint8Array | null {
  if (predictor === 1) return data;
  if (predictor < 10 || predictor > 15 || !(columns > 0)) return null;
  const rows = Math.floor(data.byteLength / (columns + 1));
  const out = new Uint8Array(rows * columns);
  for (let row = 0; row < rows; row++) {
    const filter = data[row * (columns + 1)]!;
    const from = row * (columns + 1) + 1;
    const at = row * columns;
    for (let i = 0; i < columns; i++) {
      const raw = data[from + i]!;
      const left = i > 0 ? out[at + i - 1]! : 0;
      const up = row > 0 ? out[at - columns + i]! : 0;
      const upLeft = row > 0 && i > 0 ? out[at - columns + i - 1]! : 0;
      let value: number;
      if (filter === 0) value = raw;
      else if (filter === 1) value = raw + left;
      else if (filter === 2) value = raw + up;
      else if (filter === 3) value = raw + ((left + up) >> 1);
      else if (filter === 4) value = raw + paeth(left, up, upLeft);
      else return null;
      out[at + i] = value & 0xff;
    }
  }
  return out;
}

function paeth(left: number, up: number, upLeft: number): number {
  const p = left + up - upLeft;
  const pa = Math.abs(p - left);
  const pb = Math.abs(p - up);
  const pc = Math.abs(p - upLeft);
  return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
}
