// The render pool on its own: a job that overruns its time limit ends its worker, fails alone, and
// the next job runs on a fresh worker; a full queue is refused at once.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { PDFDocument, PDFName } from 'pdf-lib';
import { createRenderPool, RenderPoolError, type RenderPool } from '../index.ts';
import type { DocumentRef } from '../render/render-jobs.ts';
import { reportPdf } from './render-fixtures.ts';

function shared(key: string, bytes: Uint8Array): DocumentRef {
  const buffer = new SharedArrayBuffer(bytes.byteLength);
  new Uint8Array(buffer).set(bytes);
  return { key, bytes: buffer };
}

/** One page whose content is a million tiny filled squares: seconds of work for any renderer. */
async function slowPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([600, 800]);
  const operators: string[] = [];
  for (let i = 0; i < 1_000_000; i++) operators.push(`${i % 600} ${(i * 7) % 800} 0.5 0.5 re f`);
  page.node.set(PDFName.of('Contents'), pdf.context.register(pdf.context.flateStream(operators.join('\n'))));
  return pdf.save();
}

const pools: RenderPool[] = [];
after(async () => {
  for (const pool of pools) await pool.close();
});

describe('render pool', () => {
  it('ends a job that overruns its time, and the next job runs on a new worker', async () => {
    const pool = createRenderPool({ size: 1, jobTimeoutMs: 3000 });
    pools.push(pool);
    const slow = shared('slow', await slowPdf());
    const report = shared('report', await reportPdf({ xrefStreams: false }));
    await assert.rejects(
      pool.run({ kind: 'page', doc: slow, page: 1, scale: 3, maxPixels: 2 ** 24, clean: null, watermark: [], format: 'png' }),
      (error: unknown) => error instanceof RenderPoolError && (error.reason === 'timeout' || error.reason === 'crashed'),
    );
    const result = await pool.run({ kind: 'layout', doc: report });
    assert.equal(result.kind === 'layout' && result.layout.pageCount, 3);
    assert.equal(pool.stats().started, 2, 'the overrun worker was replaced');
  });

  it('refuses jobs past its queue at once', async () => {
    const pool = createRenderPool({ size: 1, maxQueued: 2 });
    pools.push(pool);
    const report = shared('report', await reportPdf({ xrefStreams: false }));
    await pool.run({ kind: 'layout', doc: report });
    // The first starts on the idle worker at once; two wait, the queue's limit.
    const jobs = [1, 2, 3].map((page) => pool.run({ kind: 'text', doc: report, page }));
    await assert.rejects(pool.run({ kind: 'text', doc: report, page: 1 }), (error: unknown) => error instanceof RenderPoolError && error.reason === 'busy');
    const texts = await Promise.all(jobs);
    assert.deepEqual(
      texts.map((text) => text.kind === 'text' && text.text.page),
      [1, 2, 3],
    );
  });
});
