import { EXPOSE_GC_ARGS, MemoryProbe, collectGarbage, launchBrowser, openPage } from '../browser.ts';
import type { GeneratedDocument } from '../documents.ts';
import { ELEMENT_PAGE, type ScenarioContext } from './context.ts';

export interface PassPeaks {
  rendererRssBytes: number | null;
  jsHeapUsedBytes: number;
  liveCanvases: number;
  canvasPixels: number;
  /** Pages that were not drawn within the per-page wait (scrolled past regardless). */
  pagesNotDrawn: number;
  ms: number;
  /** Renderer RSS at the end of the pass after full collections in the page and the worker: what is still held. */
  retainedRssBytes: number | null;
  retainedJsHeapBytes: number;
}

export interface MemoryResult {
  document: string;
  pages: number;
  passes: PassPeaks[];
  /** Renderer RSS before the first scroll (document open, page 1 drawn). */
  baselineRssBytes: number | null;
  /** (second-pass peak − first-pass peak) ÷ first-pass peak: includes garbage not yet collected. */
  rssGrowth: number | null;
  heapGrowth: number;
  /** The same for what is retained after full collections at the end of each pass: growth that stays. */
  retainedRssGrowth: number | null;
}

const SAMPLE_EVERY_PAGES = 10;
const WAIT_PER_PAGE_MS = 3000;

/** Scrolls page by page to the end, twice, in a browser of its own so no other tab adds memory. */
export async function measureScrollMemory(context: ScenarioContext, doc: GeneratedDocument): Promise<MemoryResult> {
  const { config, server, log } = context;
  const browser = await launchBrowser(config.chromiumPath, [...context.browserArgs, ...EXPOSE_GC_ARGS]);
  try {
    const { page } = await openPage(browser, `${server.origin}${ELEMENT_PAGE}`);
    server.resetRun();
    await page.evaluate(`window.bench.firstPage(${JSON.stringify(`${server.origin}/docs/${doc.name}`)})`);
    const probe = await MemoryProbe.attach(browser, page);
    const baseline = await probe.sample();
    const passes: PassPeaks[] = [];
    for (let pass = 0; pass < 2; pass++) {
      const peaks: PassPeaks = {
        rendererRssBytes: null,
        jsHeapUsedBytes: 0,
        liveCanvases: 0,
        canvasPixels: 0,
        pagesNotDrawn: 0,
        ms: 0,
        retainedRssBytes: null,
        retainedJsHeapBytes: 0,
      };
      const started = performance.now();
      for (let n = 1; n <= doc.pages; n++) {
        const step = (await page.evaluate(`window.bench.scrollTo(${n}, ${WAIT_PER_PAGE_MS}).then((drawn) => ({ drawn, ...window.bench.canvases() }))`)) as {
          drawn: boolean;
          live: number;
          pixels: number;
        };
        if (!step.drawn) peaks.pagesNotDrawn++;
        peaks.liveCanvases = Math.max(peaks.liveCanvases, step.live);
        peaks.canvasPixels = Math.max(peaks.canvasPixels, step.pixels);
        if (n % SAMPLE_EVERY_PAGES === 0 || n === doc.pages) {
          const sample = await probe.sample();
          peaks.jsHeapUsedBytes = Math.max(peaks.jsHeapUsedBytes, sample.jsHeapUsedBytes);
          if (sample.rendererRssBytes !== null) peaks.rendererRssBytes = Math.max(peaks.rendererRssBytes ?? 0, sample.rendererRssBytes);
        }
      }
      peaks.ms = performance.now() - started;
      // Peaks depend on when V8 happens to collect; what survives a full collection is what grows.
      await collectGarbage(page);
      const retained = await probe.sample();
      peaks.retainedRssBytes = retained.rendererRssBytes;
      peaks.retainedJsHeapBytes = retained.jsHeapUsedBytes;
      passes.push(peaks);
      log(
        `  pass ${pass + 1}: ${(peaks.ms / 1000).toFixed(1)} s, peak RSS ${mib(peaks.rendererRssBytes)}, peak JS heap ${mib(peaks.jsHeapUsedBytes)}, ` +
          `max live canvases ${peaks.liveCanvases}, not drawn in time ${peaks.pagesNotDrawn}, ` +
          `after collection RSS ${mib(peaks.retainedRssBytes)}, JS heap ${mib(peaks.retainedJsHeapBytes)}`,
      );
    }
    await probe.detach();
    const [first, second] = passes as [PassPeaks, PassPeaks];
    return {
      document: doc.name,
      pages: doc.pages,
      passes,
      baselineRssBytes: baseline.rendererRssBytes,
      rssGrowth:
        first.rendererRssBytes && second.rendererRssBytes ? (second.rendererRssBytes - first.rendererRssBytes) / first.rendererRssBytes : null,
      heapGrowth: (second.jsHeapUsedBytes - first.jsHeapUsedBytes) / first.jsHeapUsedBytes,
      retainedRssGrowth:
        first.retainedRssBytes && second.retainedRssBytes ? (second.retainedRssBytes - first.retainedRssBytes) / first.retainedRssBytes : null,
    };
  } finally {
    await browser.close();
  }
}

const mib = (bytes: number | null): string => (bytes === null ? 'n/a' : `${(bytes / 2 ** 20).toFixed(0)} MiB`);
