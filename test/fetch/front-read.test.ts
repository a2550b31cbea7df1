import { expect } from '@open-wc/testing';
import type { DocumentClient } from '../../src/fetch/document-client.ts';
import { FrontRead } from '../../src/fetch/front-read.ts';

/** A client whose one streamed response the test feeds by hand. */
function streamingClient() {
  let push: (bytes: Uint8Array) => void = () => {};
  let finish: (delivered: number) => void = () => {};
  let fail: (error: Error) => void = () => {};
  let delivered = 0;
  let stopped = false;
  const client = {
    streamRange(_begin: number, _end: number, onChunk: (bytes: Uint8Array) => boolean): Promise<number> {
      return new Promise<number>((resolve, reject) => {
        finish = resolve;
        fail = reject;
        push = (bytes) => {
          if (stopped) return;
          delivered += bytes.byteLength;
          // Like DocumentClient: false cancels the rest of the body.
          if (!onChunk(bytes)) {
            stopped = true;
            resolve(delivered);
          }
        };
      });
    },
  } as unknown as DocumentClient;
  return {
    client,
    push: (...values: number[]) => push(Uint8Array.from(values)),
    get stopped() {
      return stopped;
    },
    end: () => finish(delivered),
    fail: () => fail(new Error('gone')),
  };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('FrontRead', () => {
  it('answers a slice once the stream has reached its end', async () => {
    const stream = streamingClient();
    const front = new FrontRead(stream.client, 100, 106);
    let answer: Uint8Array | null | undefined;
    void front.slice(102, 104).then((bytes) => (answer = bytes));
    stream.push(1, 2, 3);
    await settled();
    expect(answer).to.equal(undefined);
    stream.push(4);
    await settled();
    expect([...answer!]).to.deep.equal([3, 4]);
    expect(front.position).to.equal(104);
  });

  it('hands chunks on in order, those that came before following started first', async () => {
    const stream = streamingClient();
    const front = new FrontRead(stream.client, 0, 5);
    stream.push(1, 2);
    const seen: number[][] = [];
    let ended = false;
    front.follow(
      (bytes) => seen.push([...bytes]),
      () => (ended = true),
    );
    stream.push(3);
    stream.push(4, 5);
    stream.end();
    await settled();
    expect(seen).to.deep.equal([[1, 2], [3], [4, 5]]);
    expect(ended).to.equal(true);
  });

  it('gives up on slices it will never reach when the stream breaks off', async () => {
    const stream = streamingClient();
    const front = new FrontRead(stream.client, 0, 10);
    const pending = front.slice(4, 8);
    stream.push(1, 2, 3, 4, 5);
    stream.fail();
    expect(await pending).to.equal(null);
    // What did arrive can still be had; the rest is no longer covered.
    expect(front.covers(0, 5)).to.equal(true);
    expect(front.covers(4, 8)).to.equal(false);
    expect([...(await front.slice(1, 3))!]).to.deep.equal([2, 3]);
  });

  it('stops at its next chunk when pdf.js asks for bytes elsewhere while much is still to come', async () => {
    const stream = streamingClient();
    const front = new FrontRead(stream.client, 0, 400_000);
    stream.push(1, 2, 3);
    front.yieldTo();
    expect(stream.stopped).to.equal(false);
    const pending = front.slice(0, 10);
    stream.push(4);
    await settled();
    expect(stream.stopped).to.equal(true);
    expect(front.position).to.equal(4);
    expect(await pending).to.equal(null);
    expect(front.covers(0, 4)).to.equal(true);
    expect(front.covers(4, 8)).to.equal(false);
  });

  it('goes on to its end after all once another stream goes on from there', async () => {
    const stream = streamingClient();
    const front = new FrontRead(stream.client, 0, 400_000);
    stream.push(1, 2, 3);
    front.yieldTo();
    front.goOn();
    stream.push(4);
    await settled();
    expect(stream.stopped).to.equal(false);
    front.yieldTo();
    stream.push(5);
    await settled();
    expect(stream.stopped).to.equal(false);
    expect(front.position).to.equal(5);
    expect(front.covers(0, 400_000)).to.equal(true);
  });

  it('finishes anyway when it is nearly complete', async () => {
    const stream = streamingClient();
    const front = new FrontRead(stream.client, 0, 6);
    stream.push(1, 2, 3);
    front.yieldTo();
    stream.push(4, 5, 6);
    stream.end();
    expect(stream.stopped).to.equal(false);
    expect([...(await front.slice(0, 6))!]).to.deep.equal([1, 2, 3, 4, 5, 6]);
  });

  it('drops its copy a while after every byte went on to its follower', async () => {
    const stream = streamingClient();
    const front = new FrontRead(stream.client, 0, 5, { keepMs: 0 });
    stream.push(1, 2);
    front.follow(
      () => {},
      () => {},
    );
    stream.push(3, 4, 5);
    stream.end();
    await settled();
    await settled();
    expect(front.covers(0, 5)).to.equal(false);
  });

  it('keeps its copy while nobody has taken the bytes', async () => {
    const stream = streamingClient();
    const front = new FrontRead(stream.client, 0, 3, { keepMs: 0 });
    stream.push(1, 2, 3);
    stream.end();
    await settled();
    await settled();
    expect(front.covers(0, 3)).to.equal(true);
    expect([...(await front.slice(0, 3))!]).to.deep.equal([1, 2, 3]);
  });

  it('stops and drops everything at once when released', async () => {
    const stream = streamingClient();
    const front = new FrontRead(stream.client, 0, 400_000);
    stream.push(1, 2, 3);
    const pending = front.slice(0, 10);
    front.release();
    expect(await pending).to.equal(null);
    expect(front.covers(0, 3)).to.equal(false);
    expect(await front.slice(0, 3)).to.equal(null);
    stream.push(4);
    expect(stream.stopped, 'the download stopped at its next chunk').to.equal(true);
  });

  it('covers only its own range', () => {
    const front = new FrontRead(streamingClient().client, 100, 200);
    expect(front.covers(100, 200)).to.equal(true);
    expect(front.covers(99, 150)).to.equal(false);
    expect(front.covers(150, 201)).to.equal(false);
  });
});
