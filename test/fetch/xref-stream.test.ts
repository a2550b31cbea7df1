import { expect } from '@open-wc/testing';
import { inflate, unpredict } from '../../src/fetch/page-tree/flate.ts';
import { readObjectStream } from '../../src/fetch/page-tree/object-stream.ts';
import { readStreamObject, type StreamObject } from '../../src/fetch/page-tree/stream-object.ts';
import { readXrefStream } from '../../src/fetch/page-tree/xref-stream.ts';

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const text = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** `n 0 obj <<dict /Length …>> stream … endstream endobj` around `data`. */
function streamObject(number: number, dict: string, data: Uint8Array): Uint8Array {
  const head = ascii(`${number} 0 obj\n<< ${dict} /Length ${data.byteLength} >>\nstream\n`);
  const tail = ascii('\nendstream\nendobj\n');
  const out = new Uint8Array(head.byteLength + data.byteLength + tail.byteLength);
  out.set(head);
  out.set(data, head.byteLength);
  out.set(tail, head.byteLength + data.byteLength);
  return out;
}

/** Rows of a cross-reference stream with /W [1 3 1]. */
const rows = (entries: Array<[number, number, number]>): Uint8Array =>
  Uint8Array.from(entries.flatMap(([type, field, third]) => [type, (field >> 16) & 255, (field >> 8) & 255, field & 255, third]));

describe('flate: FlateDecode and PNG predictors', () => {
  it('inflates what CompressionStream deflated, and keeps what came of a stream cut short', async () => {
    const data = ascii('1 0 obj << /Type /Catalog >> endobj '.repeat(200));
    const packed = await deflate(data);
    expect(text((await inflate(packed))!)).to.equal(text(data));
    const cut = await inflate(packed.subarray(0, packed.byteLength - 4));
    expect(cut, 'the checksum missing: the data kept').to.not.equal(null);
    expect(text(cut!)).to.equal(text(data));
    expect(await inflate(ascii('not deflate at all'))).to.equal(null);
  });

  it('undoes the PNG predictors row by row (None, Sub, Up, Average, Paeth)', () => {
    const columns = 3;
    const rowsIn = [
      [0, 10, 20, 30],
      [2, 1, 1, 1], // up: 11 21 31
      [1, 5, 1, 1], // sub: 5 6 7
      [3, 4, 4, 4], // average: 4+(0+11>>1)=9 → 9, 4+((9+6)>>1)=11, 4+((11+7)>>1)=13
      [4, 1, 1, 1], // paeth
    ].flat();
    const out = unpredict(Uint8Array.from(rowsIn), 12, columns)!;
    expect([...out.subarray(0, 9)]).to.deep.equal([10, 20, 30, 11, 21, 31, 5, 6, 7]);
    // Average for a row: left from this row, up from the row before.
    expect([...out.subarray(9, 12)]).to.deep.equal([4 + (5 >> 1), 4 + ((6 + 6) >> 1), 4 + ((10 + 7) >> 1)]);
    expect(unpredict(Uint8Array.from(rowsIn), 2, columns), 'TIFF predictor: not read').to.equal(null);
    expect(unpredict(Uint8Array.from([7, 1, 2, 3]), 12, columns), 'no such PNG filter').to.equal(null);
  });
});

describe('cross-reference streams and object streams', () => {
  it('reads a compressed cross-reference stream with a PNG Up predictor: offsets and places in object streams', async () => {
    const entries: Array<[number, number, number]> = [
      [0, 0, 255],
      [1, 15, 0],
      [2, 7, 0],
      [2, 7, 1],
      [1, 9000, 0],
    ];
    // PNG Up: each row's filter byte 2, then the difference to the row above.
    const plain = rows(entries);
    const predicted: number[] = [];
    for (let row = 0; row < entries.length; row++) {
      predicted.push(2);
      for (let i = 0; i < 5; i++) predicted.push((plain[row * 5 + i]! - (row > 0 ? plain[(row - 1) * 5 + i]! : 0)) & 255);
    }
    const bytes = streamObject(9, '/Type /XRef /Size 5 /W [1 3 1] /Root 2 0 R /Filter /FlateDecode /DecodeParms << /Columns 5 /Predictor 12 >>', await deflate(Uint8Array.from(predicted)));
    const stream = (await readStreamObject(bytes)) as StreamObject;
    expect(stream.dict.get('Root')).to.equal('2 0 R');
    const read = readXrefStream(stream)!;
    expect([...read]).to.deep.equal([
      [1, { offset: 15 }],
      [2, { stream: 7, index: 0 }],
      [3, { stream: 7, index: 1 }],
      [4, { offset: 9000 }],
    ]);
  });

  it('follows /Index subsections, and says how many bytes a stream cut short needs', async () => {
    const data = rows([
      [1, 100, 0],
      [1, 200, 0],
    ]);
    const bytes = streamObject(3, '/Type /XRef /Size 60 /Index [10 1 50 1] /W [1 3 1]', data);
    const read = readXrefStream((await readStreamObject(bytes)) as StreamObject)!;
    expect([...read]).to.deep.equal([
      [10, { offset: 100 }],
      [50, { offset: 200 }],
    ]);
    // Cut within the data: the length up to its end. Cut within the dictionary: more than that.
    const dataAt = text(bytes).indexOf('stream\n') + 'stream\n'.length;
    expect(await readStreamObject(bytes.subarray(0, dataAt + 3))).to.deep.equal({ incomplete: dataAt + data.byteLength });
    const inDict = (await readStreamObject(bytes.subarray(0, 20))) as { incomplete: number };
    expect(inDict.incomplete).to.be.greaterThan(20);
    expect(await readStreamObject(ascii('3 0 obj\n<< /Length 4 0 R >>\nstream\nabcd')), 'an indirect length').to.equal(null);
    expect(await readStreamObject(streamObject(3, '/Filter /DCTDecode', ascii('abcd'))), 'another filter').to.equal(null);
  });

  it('reads the objects an object stream holds, each by its number', async () => {
    const objects = ['<< /Type /Pages /Kids [ 5 0 R 6 0 R ] /Count 2 >>', '<< /Type /Page /Parent 4 0 R >>', '[ 1 2 3 ]'];
    const body = objects.join('\n');
    const offsets = [0, objects[0]!.length + 1, objects[0]!.length + objects[1]!.length + 2];
    const header = `4 ${offsets[0]} 5 ${offsets[1]} 12 ${offsets[2]} `;
    const bytes = streamObject(7, `/Type /ObjStm /N 3 /First ${header.length} /Filter /FlateDecode`, await deflate(ascii(header + body)));
    const read = readObjectStream((await readStreamObject(bytes)) as StreamObject)!;
    expect([...read.keys()]).to.deep.equal([4, 5, 12]);
    expect(read.get(4)!.trim()).to.equal(objects[0]);
    expect(read.get(5)!.trim()).to.equal(objects[1]);
    expect(read.get(12)!.trim()).to.equal(objects[2]);
    const broken = streamObject(7, '/Type /ObjStm /N 3 /First 4', ascii('4 0 <<>>'));
    expect(readObjectStream((await readStreamObject(broken)) as StreamObject), 'a header shorter than /N pairs').to.equal(null);
  });
});
