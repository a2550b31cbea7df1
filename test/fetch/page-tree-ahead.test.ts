// Reading the page tree ahead of pdf.js: the held reads, the walk over a hand-made file with a
// recording client, and the viewer against the reference backend.
import { expect } from '@open-wc/testing';
import { AheadReads } from '../../src/fetch/page-tree/ahead-reads.ts';
import type { ByteRange } from '../../src/fetch/byte-ranges.ts';
import type { DocumentClient } from '../../src/fetch/document-client.ts';
import { FrontRead } from '../../src/fetch/front-read.ts';
import { readPageTreeAhead, type PageTreeAheadOptions } from '../../src/fetch/page-tree/page-tree-ahead.ts';
import { mayReadPageTreeAhead } from '../../src/fetch/page-tree/page-tree-hint.ts';
import { contentRequests, contentUrl, createScenario, mintToken, requestLog, sampleDocuments, type Faults } from '../helpers/backend.ts';
import { openViewer, renderedCanvas, waitForState } from '../helpers/viewer.ts';

const CHUNK = 512;

/** Without a streamed front there is no measure of the link: on one range per request, the read ahead walks. */
const startReadAhead = ({ coming, ...options }: Omit<PageTreeAheadOptions, 'url' | 'front'> & { coming: Array<[number, number]> }) =>
  readPageTreeAhead({
    url: 'https://documents.invalid/none.pdf',
    front: coming[0] ? ({ begin: coming[0][0], end: coming[0][1], rate: 0 } as FrontRead) : null,
    ...options,
  });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('AheadReads', () => {
  it('answers a request inside a read from its first byte to the read’s end, once', async () => {
    const reads = new AheadReads();
    const done = reads.expect(1024, 3072);
    const bytes = new Uint8Array(2048).map((_, i) => i % 251);
    const answer = reads.answer(1536, 2048);
    expect(answer).to.not.equal(null);
    done(bytes);
    expect([...(await answer)!]).to.deep.equal([...bytes.subarray(512)]);
    // What came before the request is still held; what went out is not.
    expect([...(await reads.answer(1024, 1536))!]).to.deep.equal([...bytes.subarray(0, 512)]);
    expect(reads.answer(1024, 1536)).to.equal(null);
    expect(reads.answer(2048, 2560)).to.equal(null);
  });

  it('covers nothing outside its reads, and answers null for a read that failed', async () => {
    const reads = new AheadReads();
    const failed = reads.expect(0, 512);
    reads.expect(4096, 5120);
    expect(reads.answer(3584, 4608), 'reaches before the read').to.equal(null);
    expect(reads.answer(4608, 5632), 'reaches past the read').to.equal(null);
    const waiting = reads.answer(0, 512);
    failed(null);
    expect(await waiting).to.equal(null);
    // A read whose bytes are not what was asked counts as failed.
    const short = reads.expect(8192, 9216);
    const answer = reads.answer(8192, 8704);
    short(new Uint8Array(100));
    expect(await answer).to.equal(null);
  });

  it('lets go of everything when released', async () => {
    const reads = new AheadReads();
    const done = reads.expect(0, 1024);
    const waiting = reads.answer(512, 1024);
    reads.release();
    done(new Uint8Array(1024));
    expect(await waiting).to.equal(null);
    expect(reads.answer(0, 512)).to.equal(null);
  });
});

/**
 * A PDF with a flat page tree whose page objects lie far apart, each after `filler` bytes of an
 * image stream, as pdf-lib and many producers write them.
 */
function scatteredPdf(pages: number, filler = 20_000, { xrefStream = false, pagesFirst = false, pastTheEnd = -1 } = {}) {
  const parts: string[] = ['%PDF-1.7\n%\u00e2\u00e3\n'];
  let length = parts[0]!.length;
  const offsets = new Map<number, number>();
  const add = (number: number, body: string) => {
    offsets.set(number, length);
    const text = `${number} 0 obj\n${body}\nendobj\n`;
    parts.push(text);
    length += text.length;
  };
  const kids = Array.from({ length: pages }, (_, i) => 3 + 2 * i);
  add(1, `<< /Type /Catalog /Pages 2 0 R >>`);
  add(2, `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${pages} >>`);
  const page = (kid: number) => add(kid, `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im ${kid + 1} 0 R >> >> >>`);
  const image = (kid: number) => add(kid + 1, `<< /Length ${filler} >>\nstream\n${'x'.repeat(filler)}\nendstream`);
  if (pagesFirst) {
    kids.forEach(page);
    kids.forEach(image);
  } else {
    for (const kid of kids) {
      image(kid);
      page(kid);
    }
  }
  const size = 3 + 2 * pages;
  const xrefAt = length;
  if (xrefStream) {
    parts.push(`${size} 0 obj\n<< /Type /XRef /Size ${size + 1} /W [1 4 2] /Root 1 0 R /Length 0 >>\nstream\n\nendstream\nendobj\n`);
  } else {
    const rows = ['xref', `0 ${size}`, '0000000000 65535 f '];
    // `pastTheEnd`: a damaged entry that places that object beyond the end of the file.
    for (let n = 1; n < size; n++) rows.push(`${String(n === pastTheEnd ? 9_999_999_999 : offsets.get(n)).padStart(10, '0')} 00000 n `);
    parts.push(`${rows.join('\n')}\ntrailer\n<< /Size ${size} /Root 1 0 R >>\n`);
  }
  parts.push(`startxref\n${xrefAt}\n%%EOF\n`);
  const bytes = new Uint8Array([...parts.join('')].map((c) => c.charCodeAt(0)));
  return { bytes, offsets, kids };
}

async function deflate(text: string): Promise<Uint8Array> {
  const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate'))).arrayBuffer());
}

/**
 * A PDF as pdfTeX writes them: a balanced page tree (root → two nodes → two pages each) whose
 * levels sit in three compressed object streams spread through the file, each after a large
 * content stream, and a cross-reference stream at the end.
 */
async function objectStreamPdf(between = 70_000) {
  const parts: Uint8Array[] = [];
  let length = 0;
  const offsets = new Map<number, number>();
  const push = (number: number, head: string, data?: Uint8Array) => {
    offsets.set(number, length);
    const text = data ? `${number} 0 obj\n${head}\nstream\n` : `${number} 0 obj\n${head}\nendobj\n`;
    for (const part of data ? [text, data, '\nendstream\nendobj\n'] : [text]) {
      const bytes = typeof part === 'string' ? Uint8Array.from(part, (c) => c.charCodeAt(0)) : part;
      parts.push(bytes);
      length += bytes.byteLength;
    }
  };
  const filler = (number: number, bytes: number) => push(number, `<< /Length ${bytes} >>`, new Uint8Array(bytes).fill(120));
  const objectStream = async (number: number, objects: Array<[number, string]>) => {
    let body = '';
    const header: string[] = [];
    for (const [n, text] of objects) {
      header.push(`${n} ${body.length}`);
      body += `${text}\n`;
    }
    const first = `${header.join(' ')} `;
    const data = await deflate(first + body);
    push(number, `<< /Type /ObjStm /N ${objects.length} /First ${first.length} /Filter /FlateDecode /Length ${data.byteLength} >>`, data);
  };
  parts.push(Uint8Array.from('%PDF-1.7\n', (c) => c.charCodeAt(0)));
  length = parts[0]!.byteLength;
  const page = (n: number, parent: number) => [n, `<< /Type /Page /Parent ${parent} 0 R /Contents ${n + 10} 0 R /Resources << >> >>`] as [number, string];
  for (const n of [30, 31, 32, 33]) filler(n, n === 30 ? 300 : 70_000);
  await objectStream(100, [page(20, 10), page(21, 10), page(22, 11), page(23, 11)]);
  filler(34, between);
  await objectStream(101, [
    [10, '<< /Type /Pages /Parent 2 0 R /Kids [20 0 R 21 0 R] /Count 2 >>'],
    [11, '<< /Type /Pages /Parent 2 0 R /Kids [22 0 R 23 0 R] /Count 2 >>'],
  ]);
  filler(35, between);
  await objectStream(102, [
    [1, '<< /Type /Catalog /Pages 2 0 R >>'],
    [2, '<< /Type /Pages /Kids [10 0 R 11 0 R] /Count 4 >>'],
  ]);
  filler(36, 70_000);
  const xrefAt = length;
  const size = 104;
  const rows = new Uint8Array(size * 7);
  const places = new Map<number, [number, number]>([[1, [102, 0]], [2, [102, 1]], [10, [101, 0]], [11, [101, 1]], [20, [100, 0]], [21, [100, 1]], [22, [100, 2]], [23, [100, 3]]]);
  for (let n = 0; n < size; n++) {
    const row = rows.subarray(n * 7, n * 7 + 7);
    const place = places.get(n);
    const at = n === 103 ? xrefAt : offsets.get(n);
    if (place) row.set([2, 0, 0, (place[0] >> 8) & 255, place[0] & 255, 0, place[1]]);
    else if (at !== undefined) row.set([1, (at >>> 24) & 255, (at >> 16) & 255, (at >> 8) & 255, at & 255, 0, 0]);
  }
  push(103, `<< /Type /XRef /Size ${size} /W [1 4 2] /Root 1 0 R /Length ${rows.byteLength} >>`, rows);
  parts.push(Uint8Array.from(`startxref\n${xrefAt}\n%%EOF\n`, (c) => c.charCodeAt(0)));
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.byteLength;
  }
  return { bytes, offsets };
}

/** Serves a file from memory as a DocumentClient would, recording each request. */
function fileClient(file: Uint8Array, multiRange: 'multipart' | 'single-only' = 'multipart', known = false) {
  const singles: ByteRange[] = [];
  const batches: ByteRange[][] = [];
  /** Streamed reads, each with whether it was still going when it ended (not stopped by the reader). */
  const streams: Array<{ range: ByteRange; whole: boolean; done: boolean }> = [];
  let learnt: 'untried' | 'yes' | 'no' = known ? (multiRange === 'multipart' ? 'yes' : 'no') : 'untried';
  const client = {
    get multiRange() {
      return learnt;
    },
    fetchRange: async (begin: number, end: number) => {
      singles.push([begin, end]);
      return file.slice(begin, end);
    },
    // 64 KiB a turn, so that a reader that stops it is seen to.
    streamRange: async (begin: number, end: number, onChunk: (bytes: Uint8Array) => boolean | void) => {
      const stream = { range: [begin, end] as ByteRange, whole: true, done: false };
      streams.push(stream);
      for (let at = begin; at < end; at += 65_536) {
        await settle();
        if (onChunk(file.slice(at, Math.min(end, at + 65_536))) === false) {
          stream.whole = false;
          break;
        }
      }
      stream.done = true;
      return end - begin;
    },
    fetchRanges: async (
      ranges: readonly ByteRange[],
      onRange: (begin: number, bytes: Uint8Array) => void,
      onAnswer: (answer: 'multipart' | 'single-only') => void = () => {},
    ) => {
      batches.push([...ranges]);
      await settle();
      learnt = multiRange === 'multipart' ? 'yes' : 'no';
      onAnswer(multiRange);
      if (multiRange === 'single-only') return { answer: 'single-only', missing: [...ranges] };
      for (const [begin, end] of ranges) onRange(begin, file.slice(begin, end));
      return { answer: 'multipart', missing: [] };
    },
  } as unknown as DocumentClient;
  return { client, singles, batches, streams };
}

/** What the loader holds when the read ahead starts: the first 64 KiB and the last. */
function held(file: Uint8Array, tail = 65_536) {
  const tailBegin = Math.floor((file.byteLength - tail) / CHUNK) * CHUNK;
  return [
    { begin: 0, bytes: file.slice(0, 65_536) },
    { begin: tailBegin, bytes: file.slice(tailBegin) },
  ];
}

/** pdf.js's request for the chunk where `offset` lies, answered from the read ahead. */
async function pdfjsAsks(ahead: AheadReads, offset: number): Promise<{ begin: number; bytes: Uint8Array | null } | null> {
  const begin = Math.floor(offset / CHUNK) * CHUNK;
  const answer = ahead.answer(begin, begin + CHUNK);
  return answer ? { begin, bytes: await answer } : null;
}

async function waitUntil(test: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !test(); i++) await settle();
}

describe('readPageTreeAhead', () => {
  it('fetches every kid’s page object in multi-range requests, exactly those bytes, and holds them for pdf.js', async () => {
    const { bytes, offsets, kids } = scatteredPdf(150);
    const { client, singles, batches } = fileClient(bytes);
    const ahead = startReadAhead({ client, total: bytes.byteLength, chunkSize: CHUNK, held: held(bytes), coming: [] });
    await waitUntil(() => batches.length >= 3);
    // The kids not in the first and last 64 KiB, already here, one range each (they lie far apart).
    const tailBegin = held(bytes)[1]!.begin;
    const far = kids.filter((kid) => offsets.get(kid)! >= 65_536 && offsets.get(kid)! + 200 < tailBegin).length;
    expect(far).to.be.greaterThan(128);
    expect(singles, 'catalog and page-tree root are in the first bytes').to.deep.equal([]);
    expect(batches.map((b) => b.length)).to.deep.equal([64, 64, far - 128]);
    for (const batch of batches) {
      for (const [begin, end] of batch) {
        expect(begin % CHUNK).to.equal(0);
        expect(end - begin).to.be.at.most(2 * CHUNK);
      }
    }
    for (const kid of kids) {
      const at = offsets.get(kid)!;
      if (at < 65_536 || at >= bytes.byteLength - 65_536) continue;
      const got = await pdfjsAsks(ahead, at);
      expect(got, `page object ${kid}`).to.not.equal(null);
      const text = new TextDecoder('latin1').decode(got!.bytes!);
      expect(text.slice(at - got!.begin)).to.match(new RegExp(`^${kid} 0 obj\\n<< /Type /Page `));
      expect(text).to.include('endobj');
    }
  });

  it('skips a kid that a damaged table places beyond the end of the file, and asks for no empty range', async () => {
    const { bytes, kids } = scatteredPdf(150, 20_000, { pastTheEnd: 3 + 2 * 75 });
    const { client, batches } = fileClient(bytes);
    startReadAhead({ client, total: bytes.byteLength, chunkSize: CHUNK, held: held(bytes), coming: [] });
    await waitUntil(() => batches.length >= 3);
    for (let i = 0; i < 20; i++) await settle();
    const asked = batches.flat();
    expect(asked.every(([begin, end]) => end > begin && end <= bytes.byteLength)).to.equal(true);
    expect(asked.length).to.be.within(kids.length - 10, kids.length - 1);
  });

  it('fetches a cross-reference table that reaches beyond the held end of the file, and holds it for pdf.js', async () => {
    const { bytes } = scatteredPdf(3_000, 300);
    const { client, singles, batches } = fileClient(bytes);
    const ahead = startReadAhead({ client, total: bytes.byteLength, chunkSize: CHUNK, held: held(bytes, 8_192), coming: [] });
    await waitUntil(() => singles.length > 0);
    expect(batches, 'its page objects are more than a quarter of the file: left to pdf.js').to.deep.equal([]);
    const text = new TextDecoder('latin1').decode(bytes);
    const xrefAt = text.lastIndexOf('\nxref\n') + 1;
    expect(singles[0]![0]).to.equal(Math.floor(xrefAt / CHUNK) * CHUNK);
    expect(singles[0]![1]).to.equal(Math.floor((bytes.byteLength - 8_192) / CHUNK) * CHUNK);
    expect((await pdfjsAsks(ahead, xrefAt))?.bytes?.byteLength).to.equal(singles[0]![1] - singles[0]![0]);
  });

  it('on a server that serves one range per request, reads every kid’s page object one request each, after one refusal', async () => {
    const { bytes, offsets, kids } = scatteredPdf(150);
    const { client, singles, batches } = fileClient(bytes, 'single-only');
    const ahead = startReadAhead({ client, total: bytes.byteLength, chunkSize: CHUNK, held: held(bytes), coming: [] });
    const tailBegin = held(bytes)[1]!.begin;
    const far = kids.filter((kid) => offsets.get(kid)! >= 65_536 && offsets.get(kid)! + 200 < tailBegin);
    await waitUntil(() => singles.length >= far.length);
    expect(batches, 'one multi-range request tried, none after its refusal').to.have.length(1);
    expect(singles).to.have.length(far.length);
    for (const kid of far) {
      const got = await pdfjsAsks(ahead, offsets.get(kid)!);
      expect(got?.bytes, `page object ${kid} held`).to.not.equal(null);
      const text = new TextDecoder('latin1').decode(got!.bytes!);
      expect(text).to.include(`${kid} 0 obj`);
    }
  });

  it('leaves a file with a cross-reference stream it cannot read, or without a page tree it can read, to pdf.js', async () => {
    for (const file of [scatteredPdf(150, 20_000, { xrefStream: true }).bytes, new TextEncoder().encode(`%PDF-1.7\n${'x'.repeat(200_000)}\nstartxref\n99999999\n%%EOF\n`)]) {
      const { client, singles, batches } = fileClient(file);
      startReadAhead({ client, total: file.byteLength, chunkSize: CHUNK, held: held(file), coming: [] });
      for (let i = 0; i < 20; i++) await settle();
      expect(batches).to.deep.equal([]);
      expect(singles).to.deep.equal([]);
    }
  });

  it('on a file with a cross-reference stream, reads each object stream on the way whole, in the window around it, one request each, and holds it for pdf.js', async () => {
    const { bytes, offsets } = await objectStreamPdf();
    const { client, singles, batches } = fileClient(bytes, 'single-only');
    const small = held(bytes, 8_192);
    expect(small[1]!.begin, 'the object streams lie outside the bytes in hand').to.be.greaterThan(offsets.get(102)! + 1_000);
    const ahead = startReadAhead({ client, total: bytes.byteLength, chunkSize: CHUNK, held: small, coming: [] });
    await waitUntil(() => singles.length >= 3);
    for (let i = 0; i < 20; i++) await settle();
    // The catalog's object stream, then the nodes', then the pages' (a level each: every step
    // needs the one before, and 70 kB lie between them); page 1's contents are in the first
    // bytes. Nothing twice, no request for several ranges.
    expect(singles, 'a request a level').to.have.length(3);
    expect(batches).to.deep.equal([]);
    const sorted = [...singles].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]![0], 'no byte twice').to.be.at.least(sorted[i - 1]![1]);
    for (const [n, next] of [[102, 36], [101, 35], [100, 34]] as const) {
      const read = singles.find(([begin, end]) => begin <= offsets.get(n)! && offsets.get(next)! <= end);
      expect(read, `object stream ${n} read whole in one request`).to.not.equal(undefined);
      // Within the aligned window around it: 64 KiB a side at most.
      expect(read![0]).to.be.at.least(Math.floor(offsets.get(n)! / 65_536) * 65_536);
      expect(read![1]).to.be.at.most(Math.ceil(offsets.get(next)! / 65_536) * 65_536);
      // pdf.js's request for the chunk where it starts gets the read from there on.
      const got = await pdfjsAsks(ahead, offsets.get(n)!);
      expect(got!.bytes!.byteLength).to.equal(read![1] - got!.begin);
    }
  });

  it('on a file with a cross-reference stream, reads object streams that lie close together in one request: a round trip a level saved', async () => {
    const { bytes, offsets } = await objectStreamPdf(20_000);
    const { client, singles, batches } = fileClient(bytes, 'single-only');
    const ahead = startReadAhead({ client, total: bytes.byteLength, chunkSize: CHUNK, held: held(bytes, 8_192), coming: [] });
    await waitUntil(() => singles.length >= 1);
    for (let i = 0; i < 40; i++) await settle();
    expect(batches).to.deep.equal([]);
    expect(singles, 'the three levels in one window').to.have.length(1);
    const [[begin, end]] = singles as [[number, number]];
    expect(begin).to.be.at.most(offsets.get(100)!);
    expect(end).to.be.at.least(offsets.get(36)!);
    expect(end - begin).to.be.at.most(65_536);
    for (const n of [102, 101, 100]) expect((await pdfjsAsks(ahead, offsets.get(n)!))?.bytes, `object stream ${n} held`).to.not.equal(null);
  });

  // On a server that serves one range per request, with many kids listed in the first bytes and
  // a link on which a stream through the file beats walking them: the early stream is only for a
  // table's page objects.
  const streamFavoured = { trial: Promise.resolve(300), kids: 5_000, tailMs: 100 };

  it('sets out no early stream through a file with a cross-reference stream', async () => {
    const { bytes } = await objectStreamPdf();
    const { client, singles, streams } = fileClient(bytes, 'single-only', true);
    const ahead = startReadAhead({ client, total: bytes.byteLength, chunkSize: CHUNK, held: held(bytes, 8_192), coming: [], ...streamFavoured });
    await waitUntil(() => singles.length >= 3);
    for (let i = 0; i < 40; i++) await settle();
    expect(streams.map((s) => s.range), 'the middle of the file is not streamed').to.deep.equal([]);
    expect(singles, 'the walk, a request a level').to.have.length(3);
    expect(ahead.streams).to.deep.equal([]);
  });

  it('stops the early stream when the table leads to no page objects to fetch, and leaves pdf.js’s requests inside it to go out', async () => {
    // One kid: nothing to read ahead.
    const { bytes } = scatteredPdf(1, 400_000);
    const { client, streams } = fileClient(bytes, 'single-only', true);
    // The answer comes after the table was read: the stream would set out then.
    const trial = new Promise<number>((resolve) => setTimeout(() => resolve(300), 0));
    const ahead = startReadAhead({ client, total: bytes.byteLength, chunkSize: CHUNK, held: held(bytes), coming: [], ...streamFavoured, trial });
    for (let i = 0; i < 80; i++) await settle();
    expect(streams.every((s) => !s.whole), `no stream through the file: ${JSON.stringify(streams)}`).to.equal(true);
    expect(ahead.streams).to.deep.equal([]);
    expect(ahead.answer(131_072, 131_072 + CHUNK), 'pdf.js asks for it itself').to.equal(null);
  });

  it('brings the page objects with the early stream it keeps, and holds no copy of them once they went out', async () => {
    const { bytes, offsets, kids } = scatteredPdf(150);
    const { client, singles, streams } = fileClient(bytes, 'single-only', true);
    const ahead = startReadAhead({ client, total: bytes.byteLength, chunkSize: CHUNK, held: held(bytes), coming: [], ...streamFavoured });
    await waitUntil(() => streams.length > 0 && streams.every((s) => s.done));
    for (let i = 0; i < 20; i++) await settle();
    expect(streams.map((s) => s.range), 'one stream, from the first bytes’ end to the end in hand').to.deep.equal([[65_536, held(bytes)[1]!.begin]]);
    expect(streams[0]!.whole).to.equal(true);
    expect(singles, 'no page object one request each').to.deep.equal([]);
    const tailBegin = held(bytes)[1]!.begin;
    const far = kids.filter((kid) => offsets.get(kid)! >= 65_536 && offsets.get(kid)! + 200 < tailBegin);
    expect(far.length).to.be.greaterThan(100);
    for (const kid of far) expect((await pdfjsAsks(ahead, offsets.get(kid)!))?.bytes, `page object ${kid} from the stream`).to.not.equal(null);
    // The stream is what pdf.js reads them from: once it is let go, nothing else holds them.
    for (const stream of ahead.streams) stream.release();
    for (const kid of far) expect(await pdfjsAsks(ahead, offsets.get(kid)!), `page object ${kid} not held twice`).to.equal(null);
  });

  it('weighs the early stream by the early question’s round trip, not by a request for several ranges answered with it', async () => {
    const { bytes } = scatteredPdf(150);
    // Not yet known: the read ahead's own request for several ranges is answered at once, the
    // early question's refusal a moment later.
    const { client, singles, streams } = fileClient(bytes, 'single-only');
    const trial = new Promise<number>((resolve) => setTimeout(() => resolve(300), 30));
    startReadAhead({ client, total: bytes.byteLength, chunkSize: CHUNK, held: held(bytes), coming: [], ...streamFavoured, trial });
    await waitUntil(() => streams.length > 0 && streams.every((s) => s.done));
    for (let i = 0; i < 20; i++) await settle();
    expect(singles, 'no page object one request each').to.deep.equal([]);
    expect(streams.map((s) => [...s.range, s.whole])).to.deep.equal([[65_536, held(bytes)[1]!.begin, true]]);
  });

  it('lets the front it goes on from bring every byte up to the early stream, however pdf.js asks elsewhere', async () => {
    const { bytes } = scatteredPdf(150);
    const { client, singles, streams } = fileClient(bytes, 'single-only', true);
    const front = new FrontRead(client, 65_536, 65_536 + 6 * 65_536);
    const ahead = readPageTreeAhead({ url: 'https://documents.invalid/none.pdf', client, total: bytes.byteLength, chunkSize: CHUNK, held: held(bytes), front, ...streamFavoured });
    await waitUntil(() => streams.length > 1);
    // pdf.js asks for something the front does not bring.
    front.yieldTo();
    await waitUntil(() => streams.every((s) => s.done));
    for (let i = 0; i < 20; i++) await settle();
    expect(streams.map((s) => [...s.range, s.whole]), 'the front to its end, the early stream from there').to.deep.equal([
      [65_536, front.end, true],
      [front.end, held(bytes)[1]!.begin, true],
    ]);
    expect(singles, 'no page object one request each').to.deep.equal([]);
    ahead.release();
  });

  it('does not ask for page objects that another read is bringing', async () => {
    const { bytes } = scatteredPdf(150);
    const { client, batches } = fileClient(bytes);
    startReadAhead({ client, total: bytes.byteLength, chunkSize: CHUNK, held: held(bytes), coming: [[65_536, 1_000_000]] });
    await waitUntil(() => batches.length >= 2);
    for (let i = 0; i < 20; i++) await settle();
    const asked = batches.flat();
    expect(asked.some(([begin]) => begin < 1_000_000)).to.equal(false);
    expect(asked.length).to.be.greaterThan(90);
  });
});

describe('mayReadPageTreeAhead', () => {
  const hint = (file: Uint8Array, frontEnd = 524_288) => {
    const [initial, tail] = held(file);
    return mayReadPageTreeAhead(initial!.bytes, tail!, frontEnd);
  };

  it('is yes for a file whose page objects lie outside the bytes in hand and the front', () => {
    expect(hint(scatteredPdf(150).bytes)).to.equal(true);
    // All of them within a front that reaches far enough.
    expect(hint(scatteredPdf(150).bytes, 4_000_000)).to.equal(false);
  });

  it('is no for a file with its pages first; yes for one with a cross-reference stream (its nodes in object streams)', () => {
    expect(hint(scatteredPdf(150, 20_000, { pagesFirst: true }).bytes)).to.equal(false);
    expect(hint(scatteredPdf(150, 20_000, { xrefStream: true }).bytes)).to.equal(true);
  });

  it('is yes when it cannot tell: updated files, a table beyond the end in hand', () => {
    const { bytes } = scatteredPdf(150, 20_000, { pagesFirst: true });
    const updated = new Uint8Array([...bytes, ...new TextEncoder().encode('xref\n3 1\n0000000100 00000 n \ntrailer\n<< /Size 303 /Prev 1 >>\nstartxref\n1\n%%EOF\n')]);
    expect(hint(updated)).to.equal(true);
    const long = scatteredPdf(3_000, 300, { pagesFirst: true }).bytes;
    expect(hint(long)).to.equal(true);
  });
});

describe('the page tree read ahead, against the reference backend', () => {
  /** Opens the 500-page `long` sample, page objects spread through its 4.4 MB, and shows page 1. */
  async function openLong(faults: Faults): Promise<{ size: number; log: ReturnType<typeof contentRequests> }> {
    const size = (await sampleDocuments()).find((d) => d.id === 'long')!.size;
    expect(size, 'loaded by ranges, not read whole').to.be.greaterThan(4_194_304);
    const id = await createScenario('long', faults);
    const el = await openViewer();
    el.token = await mintToken(id);
    el.src = contentUrl(id);
    await waitForState(el, ['ready', 'error'], 30_000);
    expect(el.error).to.equal(null);
    await renderedCanvas(el, 1);
    return { size, log: contentRequests(await requestLog(id)) };
  }

  it('opens a 500-page document whose page objects are spread through the file in a few requests, no byte twice', async () => {
    const { size, log } = await openLong({ latency: 20 });
    expect(log.every((r) => r.status === 206)).to.equal(true);
    // First bytes, end, front, then the page objects 64 to a request (500 pages, some in the front).
    expect(log.length, log.map((r) => r.range).join('\n')).to.be.at.most(14);
    // With them, the question how the server answers several ranges (the first bytes list 500
    // kids): single bytes of the first 64 KiB, in hand already, a few kB of part headers.
    const specs = (r: (typeof log)[number]) => (r.range ?? '').replace('bytes=', '').split(',').map((spec) => spec.split('-').map(Number) as [number, number]);
    const questions = log.filter((r) => specs(r).length > 1 && specs(r).every(([b, e]) => b === e && e < 65_536));
    expect(questions).to.have.length(1);
    expect(questions[0]!.bytes).to.be.lessThan(8_192);
    const spans = log
      .filter((r) => !questions.includes(r))
      .flatMap((r) => (r.range ?? '').replace('bytes=', '').split(','))
      .map((spec) => spec.split('-').map(Number) as [number, number])
      .sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0], 'no byte asked twice').to.be.greaterThan(spans[i - 1]![1]);
    const bytes = log.reduce((sum, r) => sum + r.bytes, 0);
    expect(bytes).to.be.lessThan(size / 4);
  });

  it('against a server that answers several ranges with 200: one answer dropped, then single ranges', async () => {
    const { size, log } = await openLong({ multiRange: 'ignore', bandwidth: 4_000_000 });
    const several = log.filter((r) => (r.range ?? '').includes(','));
    expect(several, 'the read ahead tries once; nothing tries again').to.have.length(1);
    expect(several[0]!.status).to.equal(200);
    expect(several[0]!.bytes, 'its body dropped at once').to.be.lessThan(size / 4);
    expect(log.filter((r) => r !== several[0]).every((r) => r.status === 206)).to.equal(true);
  });
});
