import { expect } from '@open-wc/testing';
import { MultipartByteRangesReader, byterangesBoundary, type BytesPart } from '../../src/fetch/multi-range/multipart-byteranges.ts';

const TOTAL = 1000;
const encoder = new TextEncoder();

/** The file's bytes: byte i is i % 251, so any slice is recognisable. */
function fileBytes(begin: number, end: number): Uint8Array {
  return Uint8Array.from({ length: end - begin }, (_, i) => (begin + i) % 251);
}

/** A multipart/byteranges body for [begin, end) ranges, as a server writes it. */
function body(ranges: Array<[number, number]>, options: { eol?: string; boundary?: string; preamble?: string; total?: number } = {}): Uint8Array {
  const eol = options.eol ?? '\r\n';
  const boundary = options.boundary ?? 'SV_BOUNDARY';
  const pieces: Uint8Array[] = [];
  if (options.preamble) pieces.push(encoder.encode(options.preamble + eol));
  for (const [begin, end] of ranges) {
    pieces.push(encoder.encode(`--${boundary}${eol}Content-Type: application/pdf${eol}Content-Range: bytes ${begin}-${end - 1}/${options.total ?? TOTAL}${eol}${eol}`));
    pieces.push(fileBytes(begin, end));
    pieces.push(encoder.encode(eol));
  }
  pieces.push(encoder.encode(`--${boundary}--${eol}`));
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.byteLength;
  }
  return out;
}

/** Feeds `bytes` in chunks of `size` and collects the parts. */
function read(bytes: Uint8Array, size: number, boundary = 'SV_BOUNDARY'): BytesPart[] {
  const reader = new MultipartByteRangesReader(boundary, TOTAL);
  const parts: BytesPart[] = [];
  for (let at = 0; at < bytes.byteLength; at += size) parts.push(...reader.push(bytes.slice(at, at + size)));
  reader.finish();
  return parts;
}

function expectParts(parts: BytesPart[], ranges: Array<[number, number]>): void {
  expect(parts.map((p) => [p.begin, p.end])).to.deep.equal(ranges);
  for (const part of parts) expect([...part.bytes]).to.deep.equal([...fileBytes(part.begin, part.end)]);
}

describe('byterangesBoundary', () => {
  it('reads the boundary of multipart/byteranges, quoted or not, and nothing else', () => {
    expect(byterangesBoundary('multipart/byteranges; boundary=3d6b6a416f9b5')).to.equal('3d6b6a416f9b5');
    expect(byterangesBoundary('Multipart/ByteRanges; charset=x; boundary="a b:c"')).to.equal('a b:c');
    expect(byterangesBoundary('application/pdf')).to.equal(null);
    expect(byterangesBoundary('multipart/byteranges')).to.equal(null);
    expect(byterangesBoundary(null)).to.equal(null);
  });
});

describe('MultipartByteRangesReader', () => {
  const ranges: Array<[number, number]> = [
    [0, 10],
    [100, 356],
    [900, 1000],
  ];

  it('hands out every part with exactly its bytes, whatever the chunking', () => {
    const bytes = body(ranges);
    for (const size of [1, 2, 3, 7, 64, 500, bytes.byteLength]) expectParts(read(bytes, size), ranges);
  });

  it('hands a part out as soon as its last byte arrived', () => {
    const bytes = body(ranges);
    const reader = new MultipartByteRangesReader('SV_BOUNDARY', TOTAL);
    const firstEnd = bytes.indexOf(9, 60) + 1; // byte 9 of the file ends the first part
    expect(reader.push(bytes.slice(0, firstEnd - 1))).to.deep.equal([]);
    expect(reader.push(bytes.slice(firstEnd - 1, firstEnd)).map((p) => p.begin)).to.deep.equal([0]);
  });

  it('accepts bare LF line ends, a preamble and transport padding', () => {
    expectParts(read(body(ranges, { eol: '\n' }), 5), ranges);
    expectParts(read(body(ranges, { preamble: 'This is a multipart answer.' }), 9), ranges);
    const padded = new TextDecoder('latin1').decode(body([[0, 10]]));
    const withPadding = Uint8Array.from(padded.replace('--SV_BOUNDARY\r\n', '--SV_BOUNDARY  \r\n'), (c) => c.charCodeAt(0));
    expectParts(read(withPadding, 4), [[0, 10]]);
  });

  it('takes a boundary inside a part body for data (lengths come from Content-Range)', () => {
    const payload = encoder.encode('\r\n--SV_BOUNDARY--\r\n');
    const head = encoder.encode(`--SV_BOUNDARY\r\nContent-Range: bytes 0-${payload.byteLength - 1}/${TOTAL}\r\n\r\n`);
    const tail = encoder.encode('\r\n--SV_BOUNDARY--\r\n');
    const all = new Uint8Array([...head, ...payload, ...tail]);
    const reader = new MultipartByteRangesReader('SV_BOUNDARY', TOTAL);
    const parts = reader.push(all);
    reader.finish();
    expect(parts).to.have.length(1);
    expect(new TextDecoder().decode(parts[0]!.bytes)).to.equal('\r\n--SV_BOUNDARY--\r\n');
  });

  it('refuses a part that lies about the file size or has no Content-Range', () => {
    expect(() => read(body(ranges, { total: 999 }), 50)).to.throw().with.property('code', 'invalid-document');
    const noRange = encoder.encode('--SV_BOUNDARY\r\nContent-Type: application/pdf\r\n\r\nabc\r\n--SV_BOUNDARY--\r\n');
    expect(() => read(noRange, 50)).to.throw().with.property('code', 'invalid-document');
    const outside = encoder.encode(`--SV_BOUNDARY\r\nContent-Range: bytes 990-1005/${TOTAL}\r\n\r\n`);
    expect(() => read(outside, 50)).to.throw().with.property('code', 'invalid-document');
  });

  it('refuses a truncated part and a body that never closes', () => {
    const bytes = body(ranges);
    const cut = bytes.slice(0, bytes.byteLength - 120);
    expect(() => read(cut, 16)).to.throw().with.property('code', 'invalid-document');
    const unclosed = bytes.slice(0, bytes.byteLength - '--SV_BOUNDARY--\r\n'.length);
    expect(() => read(unclosed, 16)).to.throw().with.property('code', 'invalid-document');
  });

  it('refuses junk where a delimiter belongs, and a part longer than its Content-Range says', () => {
    const text = new TextDecoder('latin1').decode(body([[0, 10], [20, 30]]));
    const junk = Uint8Array.from(text.replace('\r\n--SV_BOUNDARY\r\nContent-Type', '\r\nXX_BOUNDARY\r\nContent-Type'), (c) => c.charCodeAt(0));
    expect(() => read(junk, 7)).to.throw().with.property('code', 'invalid-document');
    const longer = encoder.encode(`--SV_BOUNDARY\r\nContent-Range: bytes 0-2/${TOTAL}\r\n\r\nabcdef\r\n--SV_BOUNDARY--\r\n`);
    expect(() => read(longer, 7)).to.throw().with.property('code', 'invalid-document');
  });

  it('refuses an endless header block instead of buffering it', () => {
    const reader = new MultipartByteRangesReader('SV_BOUNDARY', TOTAL);
    reader.push(encoder.encode('--SV_BOUNDARY\r\n'));
    expect(() => reader.push(new Uint8Array(9000).fill(0x41))).to.throw().with.property('code', 'invalid-document');
  });
});
