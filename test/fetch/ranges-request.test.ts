// The policy for several ranges in one request, against hand-made answers: what a 416 teaches,
// and an answer that breaks off after its last part.
import { expect } from '@open-wc/testing';
import { ViewerError } from '../../src/errors.ts';
import { MAX_BATCH_RANGES } from '../../src/fetch/batch-limits.ts';
import type { ByteRange } from '../../src/fetch/byte-ranges.ts';
import { fetchRanges, type MultiRangeState, type RangesRequestContext } from '../../src/fetch/multi-range/ranges-request.ts';

const TOTAL = 100_000;
const file = Uint8Array.from({ length: TOTAL }, (_, i) => i % 251);
const encoder = new TextEncoder();

/** A multipart answer for `ranges`, cut off before its closing boundary when `cut`. */
function multipart(ranges: readonly ByteRange[], cut = false): Response {
  const pieces: Uint8Array[] = [];
  for (const [begin, end] of ranges) {
    pieces.push(encoder.encode(`\r\n--B\r\nContent-Range: bytes ${begin}-${end - 1}/${TOTAL}\r\n\r\n`));
    pieces.push(file.slice(begin, end));
  }
  if (!cut) pieces.push(encoder.encode('\r\n--B--\r\n'));
  // Piece by piece as they are read: an error would drop pieces still queued.
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const piece = pieces.shift();
      if (piece) controller.enqueue(piece);
      else if (cut) controller.error(new TypeError('connection reset'));
      else controller.close();
    },
  });
  return new Response(body, { status: 206, headers: { 'Content-Type': 'multipart/byteranges; boundary=B' } });
}

/** Specs of a `bytes=` header. */
const specsOf = (header: string): ByteRange[] =>
  header
    .slice('bytes='.length)
    .split(',')
    .map((spec) => spec.split('-').map(Number))
    .map(([begin, last]) => [begin!, last! + 1] as const);

function context(state: MultiRangeState, answer: (specs: ByteRange[]) => Response, headers: string[]): RangesRequestContext {
  return {
    total: TOTAL,
    state,
    send: async (header, read) => {
      headers.push(header());
      return read(answer(specsOf(header())));
    },
    checkVersion: () => {},
    readChunks: async (response, onChunk) => {
      const reader = response.body!.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          onChunk(value);
        }
      } catch {
        throw new ViewerError('network');
      }
    },
    readBody: async (response) => new Uint8Array(await response.arrayBuffer()),
  };
}

const spread = (count: number): ByteRange[] => Array.from({ length: count }, (_, i) => [i * 5000, i * 5000 + 100] as const);

describe('fetchRanges (several ranges a request)', () => {
  it('an answer that breaks off after its last part has brought everything: nothing is asked again', async () => {
    const headers: string[] = [];
    const got = new Map<number, Uint8Array>();
    const ranges = spread(3);
    const result = await fetchRanges([...ranges], (begin, bytes) => got.set(begin, bytes), () => {}, context({ answer: 'untried', rangesPerRequest: MAX_BATCH_RANGES }, (specs) => multipart(specs, true), headers));
    expect(result).to.deep.equal({ answer: 'multipart', missing: [] });
    expect(headers).to.have.length(1);
    for (const [begin, end] of ranges) expect([...got.get(begin)!]).to.deep.equal([...file.slice(begin, end)]);
  });

  it('a 416 halves the ranges a request; a late 416 for more does not raise the limit again', async () => {
    const headers: string[] = [];
    const state: MultiRangeState = { answer: 'yes', rangesPerRequest: MAX_BATCH_RANGES };
    const allowing = (limit: number) => (specs: ByteRange[]) => (specs.length > limit ? new Response(null, { status: 416 }) : multipart(specs));
    await fetchRanges(spread(10), () => {}, () => {}, context(state, allowing(4), headers));
    expect(headers.map((h) => specsOf(h).length)).to.deep.equal([10, 5, 2, 2, 2, 2, 2]);
    expect(state.rangesPerRequest).to.equal(2);
    // A request of 8 sent before the limit was learnt comes back 416: the limit stays at 2.
    const late: string[] = [];
    state.rangesPerRequest = 64;
    const sentEarly: RangesRequestContext = {
      ...context(state, allowing(4), late),
      send: async (header, read) => {
        late.push(header());
        state.rangesPerRequest = 2; // learnt meanwhile by another request
        return read(new Response(null, { status: 416 }));
      },
    };
    await fetchRanges(spread(8), () => {}, () => {}, sentEarly);
    // 8 refused: on with 2 at once, not 4.
    expect(late.map((h) => specsOf(h).length)).to.deep.equal([8, 2]);
    expect(state.rangesPerRequest).to.equal(2);
  });

  it('a 416 to the first request for several ranges: one refusal, one range per request from then on', async () => {
    const headers: string[] = [];
    const state: MultiRangeState = { answer: 'untried', rangesPerRequest: MAX_BATCH_RANGES };
    const answers: string[] = [];
    const result = await fetchRanges(spread(7), () => expect.fail('nothing handed out'), (answer) => answers.push(answer), context(state, () => new Response(null, { status: 416 }), headers));
    expect(headers.map((h) => specsOf(h).length)).to.deep.equal([7]);
    expect(result.answer).to.equal('single-only');
    expect(result.missing).to.have.length(7);
    expect(state.answer).to.equal('no');
    expect(answers).to.deep.equal(['single-only']);
  });
});
