// The in-process accountability log's file: each flush appends what changed, the file is rewritten
// whole once the appended lines reach its size, and a reopened log is the same log, also when the
// last line was cut short by a crash.
import assert from 'node:assert/strict';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ServedIncrement, StoredReaderEvent } from '../store/accountability-log.ts';
import { MemoryAccountabilityLog } from '../store/memory-accountability-log.ts';

let dir: string;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sv-accountability-file-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function increment(token: number, start: number, at: number): ServedIncrement {
  return { tokenId: `token-${token}`, doc: 'doc', size: 1_000_000, spans: [[start, start + 99]], bytes: 100, requests: 1, first: at, last: at };
}

function event(token: number, at: number): StoredReaderEvent {
  return { type: 'page-view', page: 1, ms: 1000, at, tokenId: `token-${token}`, doc: 'doc', receivedAt: at };
}

async function theFile(dataDir: string): Promise<string> {
  const folder = path.join(dataDir, 'accountability');
  const [name] = (await readdir(folder)).filter((file) => file.endsWith('.json'));
  return path.join(folder, name!);
}

async function everything(log: MemoryAccountabilityLog) {
  return { served: await log.served({ doc: 'doc' }), events: await log.readerEvents({ doc: 'doc' }) };
}

/** A log in its own folder under `dir`, written once: one token served once. */
async function writtenOnce(name: string): Promise<{ dataDir: string; log: MemoryAccountabilityLog }> {
  const dataDir = path.join(dir, name);
  const log = await MemoryAccountabilityLog.open(dataDir);
  await log.addServed([increment(1, 0, 1)]);
  await log.flush();
  return { dataDir, log };
}

describe('the in-process accountability file', () => {
  it('appends what each flush added, rewrites the whole once that reaches its size, and reads back the same log', async () => {
    const { dataDir, log } = await writtenOnce('appends');
    const file = await theFile(dataDir);
    assert.equal((await readFile(file, 'utf8')).split('\n').filter(Boolean).length, 1, 'the first write is the whole log');

    // Small flushes: a line for each thing added, the first line untouched.
    const first = (await readFile(file, 'utf8')).split('\n')[0];
    for (let i = 1; i <= 5; i++) {
      await log.addServed([increment(1 + (i % 3), i * 1000, 1 + i)]);
      await log.addReaderEvents([event(1, 1 + i)]);
      await log.flush();
    }
    const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
    assert.equal(lines.length, 1 + 5 * 2);
    assert.equal(lines[0], first);
    assert.deepEqual(await everything(await MemoryAccountabilityLog.open(dataDir)), await everything(log));

    // Many flushes: the file does not grow for ever, and still reads back the same.
    let largest = 0;
    for (let i = 0; i < 400; i++) {
      await log.addServed([increment(i % 50, 10_000 + i * 200, 100 + i)]);
      await log.flush();
      largest = Math.max(largest, Buffer.byteLength(await readFile(file, 'utf8')));
    }
    const whole = Buffer.byteLength((await readFile(file, 'utf8')).split('\n')[0]!);
    assert.ok(largest < 2 * Math.max(64 * 1024, whole) + 4096, `${largest} bytes at most, the whole log is ${whole}`);
    assert.deepEqual(await everything(await MemoryAccountabilityLog.open(dataDir)), await everything(log));
  });

  it('leaves out a last line cut short, and keeps every line before it', async () => {
    const { dataDir, log } = await writtenOnce('torn');
    await log.addServed([increment(1, 5000, 2), increment(2, 0, 2)]);
    await log.flush();
    const expected = await everything(log);
    await appendFile(await theFile(dataDir), '{"served":[{"tokenId":"token-3","doc":"do');
    assert.deepEqual(await everything(await MemoryAccountabilityLog.open(dataDir)), expected);
    assert.equal(expected.served.length, 2);
    assert.deepEqual(expected.served.find((entry) => entry.tokenId === 'token-1')?.spans, [[0, 99], [5000, 5099]]);
  });

  it('after a line cut short, what is added next is kept too, across another restart', async () => {
    const { dataDir, log } = await writtenOnce('torn-then-more');
    await log.addServed([increment(1, 5000, 2)]);
    await log.flush();
    await appendFile(await theFile(dataDir), '{"served":[{"tokenId":"token-3","doc":"do');
    // Restarted: the torn line is left out, and what comes next must not be joined to it.
    const reopened = await MemoryAccountabilityLog.open(dataDir);
    await reopened.addServed([increment(2, 0, 3)]);
    await reopened.addReaderEvents([event(2, 3)]);
    await reopened.flush();
    const expected = await everything(reopened);
    assert.equal(expected.served.length, 2);
    assert.deepEqual(await everything(await MemoryAccountabilityLog.open(dataDir)), expected);
    assert.ok((await readFile(await theFile(dataDir), 'utf8')).endsWith('\n'));
  });

  it('a write that fails loses nothing: the next flush writes it', async () => {
    const { dataDir, log } = await writtenOnce('failed-write');
    // A folder where the file was: appending and replacing both fail (also as root).
    const file = await theFile(dataDir);
    await rm(file);
    await mkdir(path.join(file, 'in-the-way'), { recursive: true });
    await log.addServed([increment(2, 0, 2)]);
    await assert.rejects(log.flush());
    await rm(file, { recursive: true });
    await log.flush();
    const expected = await everything(log);
    assert.equal(expected.served.length, 2);
    assert.deepEqual(await everything(await MemoryAccountabilityLog.open(dataDir)), expected);
  });
});
