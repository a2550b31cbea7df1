import { expect } from '@open-wc/testing';
import type { PDFDataRangeTransport } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { DocumentClient } from '../../src/fetch/document-client.ts';
import { FrontRead } from '../../src/fetch/front-read.ts';
import { defineRangeTransport } from '../../src/fetch/range-transport.ts';

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
  const front = new FrontRead(fake.client, 65_536, 327_680, keepFrontMs);
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
