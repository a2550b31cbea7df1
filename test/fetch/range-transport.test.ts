import { expect } from '@open-wc/testing';
import type { PDFDataRangeTransport } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { DocumentClient } from '../../src/fetch/document-client.ts';
import { FrontRead } from '../../src/fetch/front-read.ts';
import { defineRangeTransport } from '../../src/fetch/range-transport.ts';
import { MAX_BATCH_RANGES } from '../../src/fetch/batch-limits.ts';
import { AheadReads } from '../../src/fetch/page-tree/ahead-reads.ts';

const CHUNK = 32_768;
const TOTAL = 400_000;

/** Stands in for pdf.js's PDFDataRangeTransport: records what the transport hands to pdf.js. */
class RecordingBase {
  readonly answers: Array<[begin: number, end: number]> = [];
  progressive = 0;
  constructor(
    readonly length: number,
    readonly initialData: Uint8Array,
  ) {}
  onDataRange(begin: number, chunk: Uint8Array): void {
    this.answers.push([begin, begin + chunk.byteLength]);
  }
  onDataProgressiveRead(chunk: Uint8Array): void {
    this.progressive += chunk.byteLength;
  }
  onDataProgressiveDone(): void {}
  requestDataRange(): void {}
  abort(): void {}
}

/** A client whose ranges come back at once and whose one stream the test feeds by hand. */
function fakeClient() {
  const fetched: Array<[number, number]> = [];
  let push: (bytes: Uint8Array) => boolean = () => false;
  let end: () => void = () => {};
  const client = {
    fetchRange: async (begin: number, to: number) => {
      fetched.push([begin, to]);
      return new Uint8Array(to - begin);
    },
    streamRange: (_begin: number, _end: number, onChunk: (bytes: Uint8Array) => boolean) =>
      new Promise<number>((resolve) => {
        push = (bytes) => {
          const more = onChunk(bytes);
          if (!more) resolve(0);
          return more;
        };
        end = () => resolve(0);
      }),
  } as unknown as DocumentClient;
  return { client, fetched, push: (n: number) => push(new Uint8Array(n)), end: () => end() };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A 400 kB file: first 64 KiB in hand, the front streaming up to the held tail at 320 KiB. */
function openTransport(keepFrontMs?: number) {
  const fake = fakeClient();
  const front = new FrontRead(fake.client, 65_536, 327_680, { keepMs: keepFrontMs });
  const Transport = defineRangeTransport(RecordingBase as unknown as typeof PDFDataRangeTransport);
  const fatal: unknown[] = [];
  const transport = new Transport(fake.client, TOTAL, new Uint8Array(65_536), {
    chunkSize: CHUNK,
    prefetched: [{ begin: 327_680, bytes: new Uint8Array(TOTAL - 327_680) }],
    front,
    onFatal: (error) => fatal.push(error),
  }) as unknown as RecordingBase & PDFDataRangeTransport;
  return { ...fake, front, transport, fatal };
}

describe('AuthorizedRangeTransport', () => {
  it('answers a request inside the streamed front once its bytes are here, without a fetch', async () => {
    const { transport, push, fetched } = openTransport();
    transport.requestDataRange(98_304, 131_072);
    push(40_000);
    await settle();
    expect(transport.answers).to.deep.equal([]);
    push(40_000);
    await settle();
    expect(transport.answers).to.deep.equal([[98_304, 131_072]]);
    expect(fetched).to.deep.equal([]);
    expect(transport.progressive).to.equal(80_000);
  });

  it('answers a request that runs from the front into the held end of the file', async () => {
    const { transport, push, fetched, fatal } = openTransport();
    push(84_464);
    // pdf.js reads the end first, which splits the held tail.
    transport.requestDataRange(393_216, TOTAL);
    await settle();
    expect(transport.answers).to.deep.equal([[393_216, TOTAL]]);
    // An object across the end of the front: neither the stream nor the held bytes can answer it
    // from its first byte, so it is fetched, and the stream gives way to it.
    transport.requestDataRange(294_912, 360_448);
    await settle();
    expect(fetched).to.deep.equal([[294_912, 360_448]]);
    expect(transport.answers).to.deep.include([294_912, 360_448]);
    expect(push(1_000), 'the stream stopped').to.equal(false);
    expect(fatal).to.deep.equal([]);
  });

  it('fetches what a stream that broke off did not bring', async () => {
    const { transport, push, end, fetched } = openTransport();
    push(50_000);
    transport.requestDataRange(98_304, 131_072);
    end();
    await settle();
    await settle();
    expect(fetched).to.deep.equal([[98_304, 131_072]]);
    expect(transport.answers).to.deep.equal([[98_304, 131_072]]);
  });

  it('fetches a request inside the front that comes after the front dropped its copy', async () => {
    const { transport, push, end, fetched, fatal } = openTransport(0);
    push(262_144);
    end();
    await settle();
    await settle();
    expect(transport.progressive).to.equal(262_144);
    transport.requestDataRange(98_304, 131_072);
    await settle();
    expect(fetched).to.deep.equal([[98_304, 131_072]]);
    expect(transport.answers).to.deep.equal([[98_304, 131_072]]);
    expect(fatal).to.deep.equal([]);
  });

  it('stops the front read and drops its copy when pdf.js closes the document', () => {
    const { transport, push, front } = openTransport();
    push(10_000);
    transport.abort();
    expect(push(10_000), 'the stream stopped').to.equal(false);
    expect(front.covers(65_536, 70_000)).to.equal(false);
  });

  it('answers a request inside the held end of the file without a fetch', async () => {
    const { transport, push, fetched } = openTransport();
    push(262_144);
    await settle();
    transport.requestDataRange(360_448, TOTAL);
    await settle();
    expect(transport.answers).to.deep.equal([[360_448, TOTAL]]);
    expect(fetched).to.deep.equal([]);
  });
});

/**
 * A client whose requests stay open until the test answers them: single ranges never come back
 * (they keep a connection busy), batches are answered by hand, streams are fed by hand.
 */
function heldClient() {
  const singles: Array<[number, number]> = [];
  const batches: Array<{ ranges: Array<[number, number]>; answer: (kind: 'multipart' | 'single-only') => void }> = [];
  const streams: Array<{ begin: number; end: number; push: (n: number) => boolean; breakOff: () => void }> = [];
  const client = {
    multiRange: 'untried',
    rangesPerRequest: MAX_BATCH_RANGES,
    fetchRange: (begin: number, end: number) => {
      singles.push([begin, end]);
      return new Promise<Uint8Array>(() => {});
    },
    fetchRanges: (
      ranges: ReadonlyArray<readonly [number, number]>,
      onRange: (begin: number, bytes: Uint8Array) => void,
      onAnswer: (kind: 'multipart' | 'single-only') => void,
    ) =>
      new Promise((resolve) => {
        const copy = ranges.map(([b, e]) => [b, e] as [number, number]);
        batches.push({
          ranges: copy,
          answer: (kind) => {
            onAnswer(kind);
            if (kind === 'multipart') for (const [b, e] of copy) onRange(b, new Uint8Array(e - b));
            resolve({ answer: kind, missing: kind === 'multipart' ? [] : copy });
          },
        });
      }),
    streamRange: (begin: number, end: number, onChunk: (bytes: Uint8Array) => boolean) =>
      new Promise<number>((resolve) => {
        let at = begin;
        streams.push({
          begin,
          end,
          push: (n) => {
            const more = onChunk(new Uint8Array(n));
            at += n;
            if (!more || at >= end) resolve(at - begin);
            return more;
          },
          breakOff: () => resolve(at - begin),
        });
      }),
  } as unknown as DocumentClient;
  return { client, singles, batches, streams };
}

const SMALL_CHUNK = 4096;
const BIG_TOTAL = 8_000_000;

function openHeld(ahead?: AheadReads) {
  const held = heldClient();
  const Transport = defineRangeTransport(RecordingBase as unknown as typeof PDFDataRangeTransport);
  const fatal: unknown[] = [];
  const transport = new Transport(held.client, BIG_TOTAL, new Uint8Array(65_536), {
    chunkSize: SMALL_CHUNK,
    onFatal: (error) => fatal.push(error),
    ...(ahead ? { ahead: Promise.resolve(ahead) } : {}),
  }) as unknown as RecordingBase & PDFDataRangeTransport;
  // One request in flight, as when pdf.js's walk starts: the link is busy.
  transport.requestDataRange(7_000 * SMALL_CHUNK, 7_001 * SMALL_CHUNK);
  return { ...held, transport, fatal };
}

/** The next task, as pdf.js's next message would come (a timer would be clamped to 4 ms). */
function nextMessage(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** pdf.js's requests, one message (task) each, then time for the row to end. */
async function row(transport: PDFDataRangeTransport, chunks: number[]): Promise<void> {
  for (const c of chunks) {
    transport.requestDataRange(c * SMALL_CHUNK, (c + 1) * SMALL_CHUNK);
    await nextMessage();
  }
  await new Promise((resolve) => setTimeout(resolve, 80));
}

describe('AuthorizedRangeTransport: a stream of the read ahead through the file', () => {
  it('hands it to pdf.js as the bytes in order once the front has ended, and answers requests inside it without bytes once it has passed them', async () => {
    const held = heldClient();
    const front = new FrontRead(held.client, 65_536, 131_072);
    const ahead = new AheadReads();
    const stream = new FrontRead(held.client, 131_072, 327_680, { yields: false });
    ahead.stream(stream, CHUNK);
    const Transport = defineRangeTransport(RecordingBase as unknown as typeof PDFDataRangeTransport);
    const transport = new Transport(held.client, TOTAL, new Uint8Array(65_536), {
      chunkSize: CHUNK,
      front,
      ahead: Promise.resolve(ahead),
      onFatal: () => {},
    }) as unknown as RecordingBase & PDFDataRangeTransport;
    await settle();
    const [frontStream, throughStream] = held.streams;
    // The stream set out while the front was still coming: its bytes wait for the front's.
    throughStream!.push(65_536);
    await settle();
    expect(transport.progressive).to.equal(0);
    // A request for bytes the stream has brought but pdf.js does not have in order: a copy.
    transport.requestDataRange(163_840, 196_608);
    await settle();
    expect(transport.answers).to.deep.equal([[163_840, 196_608]]);
    frontStream!.push(65_536);
    await settle();
    expect(transport.progressive, 'the front, then what the stream brought meanwhile').to.equal(131_072);
    transport.requestDataRange(229_376, 262_144);
    await settle();
    expect(transport.answers).to.have.length(1);
    throughStream!.push(131_072);
    await settle();
    expect(transport.progressive).to.equal(262_144);
    // pdf.js has these bytes in order already: the answer carries none.
    expect(transport.answers.at(-1)).to.deep.equal([229_376, 229_376]);
    expect(held.singles).to.deep.equal([]);
  });
});

describe('AuthorizedRangeTransport: rows of requests', () => {
  it('sends a row of far-apart requests together, not one connection each', async () => {
    const { transport, singles, batches, streams } = openHeld();
    await row(
      transport,
      Array.from({ length: MAX_BATCH_RANGES + 8 }, (_, i) => 1_900 - 16 * i),
    );
    expect(singles).to.have.length(1);
    expect(streams).to.deep.equal([]);
    // The first batch tries the server; the rest waits for its answer, then goes out together.
    expect(batches.map((b) => b.ranges.length)).to.deep.equal([MAX_BATCH_RANGES]);
    batches[0]!.answer('multipart');
    await settle();
    expect(batches.map((b) => b.ranges.length)).to.deep.equal([MAX_BATCH_RANGES, 8]);
    expect(transport.answers).to.have.length(MAX_BATCH_RANGES);
  });

  it('sends no more ranges a request than the server was found to take', async () => {
    const { client, transport, batches } = openHeld();
    (client as unknown as { rangesPerRequest: number }).rangesPerRequest = 16;
    await row(
      transport,
      Array.from({ length: 40 }, (_, i) => 1_900 - 16 * i),
    );
    batches[0]!.answer('multipart');
    await settle();
    expect(batches.map((b) => b.ranges.length)).to.deep.equal([16, 16, 8]);
  });

  it('reads a row that covers most of its stretch of the file as one stream, and answers every request from it', async () => {
    const { transport, singles, batches, streams, fatal } = openHeld();
    // Two chunks of every three between chunk 200 and 500: a flat page tree of small pages.
    const chunks = Array.from({ length: 300 }, (_, i) => 500 - i).filter((c) => c % 3 !== 0);
    await row(transport, chunks);
    expect(batches).to.deep.equal([]);
    expect(singles).to.have.length(1);
    // One stream, or one per part when a slow machine split the row: together the stretch, once.
    const spans = streams.map(({ begin, end }) => [begin / SMALL_CHUNK, end / SMALL_CHUNK]).sort((x, y) => x[0]! - y[0]!);
    expect(spans[0]![0]).to.equal(202);
    expect(spans.at(-1)![1]).to.equal(501);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).to.equal(spans[i - 1]![1]);
    const first = streams[0]!;
    first.push(30 * SMALL_CHUNK);
    await settle();
    expect(transport.answers.length).to.be.within(15, 25);
    for (const stream of streams) stream.push(stream.end - stream.begin - (stream === first ? 30 * SMALL_CHUNK : 0));
    await settle();
    expect(transport.answers.map(([b]) => b / SMALL_CHUNK).sort((a, b) => a - b)).to.deep.equal([...chunks].sort((a, b) => a - b));
    // A request inside the stretch that comes later is answered from the copy too.
    transport.requestDataRange(300 * SMALL_CHUNK, 301 * SMALL_CHUNK);
    await settle();
    expect(transport.answers.at(-1)).to.deep.equal([300 * SMALL_CHUNK, 301 * SMALL_CHUNK]);
    expect(singles).to.have.length(1);
    expect(fatal).to.deep.equal([]);
  });

  it('does not read a stretch again that is mostly on its way already', async () => {
    const { transport, singles, batches, streams } = openHeld();
    transport.requestDataRange(300 * SMALL_CHUNK, 700 * SMALL_CHUNK);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(singles.map(([b, e]) => [b / SMALL_CHUNK, e / SMALL_CHUNK])).to.deep.include([300, 700]);
    // Dense on both sides of that request: read as one stretch, its middle would come twice.
    const sides = [...Array.from({ length: 100 }, (_, i) => 200 + i), ...Array.from({ length: 100 }, (_, i) => 700 + i)];
    await row(
      transport,
      sides.filter((c) => c % 3 !== 0),
    );
    expect(streams).to.deep.equal([]);
    expect(batches.length).to.be.greaterThan(0);
  });

  it('after a refused batch, asks for one range per request for the rest of the document', async () => {
    const { transport, singles, batches } = openHeld();
    await row(transport, Array.from({ length: MAX_BATCH_RANGES + 8 }, (_, i) => 1_900 - 16 * i));
    batches[0]!.answer('multipart');
    await settle();
    // The second batch comes back as one part far larger than asked: the server merges.
    batches[1]!.answer('single-only');
    await settle();
    await settle();
    expect(batches).to.have.length(2);
    await row(transport, [1_500, 1_600]);
    expect(batches).to.have.length(2);
    expect(singles.length).to.be.greaterThan(1);
  });

  it('answers the ranges of a refused batch from reads ahead sent meanwhile, without asking again', async () => {
    const ahead = new AheadReads();
    const { transport, singles, batches, fatal } = openHeld(ahead);
    await settle();
    await row(transport, [1_500, 1_900]);
    expect(batches.map((b) => b.ranges.length)).to.deep.equal([2]);
    // The read ahead sends for both (page 1's objects) while the batch is out.
    const first = ahead.expect(1_500 * SMALL_CHUNK, 1_504 * SMALL_CHUNK);
    const second = ahead.expect(1_900 * SMALL_CHUNK, 1_902 * SMALL_CHUNK);
    batches[0]!.answer('single-only');
    await settle();
    first(new Uint8Array(4 * SMALL_CHUNK));
    second(new Uint8Array(2 * SMALL_CHUNK));
    await settle();
    await settle();
    expect(singles, 'only the request made before the row').to.have.length(1);
    expect(transport.answers).to.deep.include.members([
      [1_500 * SMALL_CHUNK, 1_504 * SMALL_CHUNK],
      [1_900 * SMALL_CHUNK, 1_902 * SMALL_CHUNK],
    ]);
    expect(fatal).to.deep.equal([]);
  });

  it('fetches what a stream of a row did not bring when it broke off, and streams no more', async () => {
    const { transport, batches, streams, singles, fatal } = openHeld();
    const chunks = Array.from({ length: 300 }, (_, i) => 500 - i).filter((c) => c % 3 !== 0);
    await row(transport, chunks);
    const broken = streams[0]!;
    broken.push(10 * SMALL_CHUNK);
    for (const stream of streams) stream.breakOff();
    const streamCount = streams.length;
    await new Promise((resolve) => setTimeout(resolve, 80));
    for (let answered = 0; answered < batches.length; answered++) {
      batches[answered]!.answer('multipart');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Answered, or asked alone (this client never answers single ranges).
    const answered = [...transport.answers, ...singles.slice(1)].map(([b]) => b / SMALL_CHUNK).sort((a, b) => a - b);
    expect(answered).to.deep.equal([...chunks].sort((a, b) => a - b));
    // The first ten chunks came from the stream; the rest by ranges, none asked twice.
    const asked = batches.flatMap((b) => b.ranges.map(([begin]) => begin));
    expect(new Set(asked).size).to.equal(asked.length);
    expect(asked.some((c) => c >= broken.begin && c < broken.begin + 10 * SMALL_CHUNK)).to.equal(false);
    expect(streams).to.have.length(streamCount);
    expect(fatal).to.deep.equal([]);
  });
});
