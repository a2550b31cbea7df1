import type { Protocol, RangeMode } from '../config.ts';
import type { DocumentKind, GeneratedDocument } from '../documents.ts';
import { openPage } from '../browser.ts';
import { UNTIMED_DOCS, type BenchServer } from '../server.ts';
import { ELEMENT_PAGE, FLOOR_PAGE, PDFJS_PAGE, median, rotate, type ScenarioContext } from './context.ts';

/** The element's chunk size and first request (RANGE_CHUNK_SIZE, OPENING_BYTES in src/fetch/first-bytes.ts), for the range floor. */
const RANGE_CHUNK_SIZE = 512;
const OPENING_BYTES = 65_536;

export const variants = ['element', 'pdfjs-defaults', 'fetch-whole', 'cpu-floor', 'range-floor'] as const;
export type Variant = (typeof variants)[number];

export const variantLabels: Record<Variant, string> = {
  element: '<secure-viewer>',
  'pdfjs-defaults': 'pdf.js getDocument({url}) defaults',
  'fetch-whole': 'fetch whole file → getDocument({data})',
  'cpu-floor': 'file already in memory → pdf.js drawing page 1 as the element does',
  'range-floor': 'file already in memory, read by pdf.js through ranges answered at once (the element\'s chunks) → page 1 drawn as the element does',
};

const pages: Record<Variant, { path: string; call: string }> = {
  element: { path: ELEMENT_PAGE, call: 'firstPage' },
  'pdfjs-defaults': { path: PDFJS_PAGE, call: 'defaults' },
  'fetch-whole': { path: PDFJS_PAGE, call: 'wholeFile' },
  'cpu-floor': { path: FLOOR_PAGE, call: 'cpuFloor' },
  'range-floor': { path: FLOOR_PAGE, call: 'rangeFloor' },
};

export interface FirstPageRun {
  run: number;
  variant: Variant;
  ms: number;
  /** Document bytes the server had written when page 1 was on screen (none for the CPU floor: its file came before timing). */
  bytes: number;
  requests: number;
  /** The element only: when `sv-load` fired. */
  loadMs: number | null;
  /** Width in pixels of page 1's canvas: the element and the CPU floor must draw the same. */
  canvasWidth: number | null;
  /** nextHopProtocol of the document's requests as the page saw them (Resource Timing). */
  nextHopProtocols: string[];
}

export interface VariantSummary {
  ms: number;
  bytes: number;
  requests: number;
}

/** One document over one protocol. */
export interface FirstPageResult {
  document: string;
  protocol: Protocol;
  /** How the server answered several ranges in one request. */
  rangeMode: RangeMode;
  /** Every nextHopProtocol seen for the document's requests over all runs (h2 for http2, http/1.1 for http1). */
  nextHopProtocols: string[];
  label: string;
  kind: DocumentKind;
  size: number;
  pages: number;
  page1Bytes: number;
  /** Informational: page1Bytes at the configured bandwidth plus two round trips. */
  byteFloorMs: number;
  /** The element's scrolling area, which the CPU floor's has the size of. */
  viewport: { width: number; height: number };
  runs: FirstPageRun[];
  median: Record<Variant, VariantSummary>;
  /** Medians of per-run ratios: each ratio compares variants measured in the same run. */
  ratios: {
    elementVsDefaults: number;
    elementVsWhole: number;
    /** The element over pdf.js reading the file in memory by ranges: what the loader adds to pdf.js's own cost of ranges. */
    elementVsRangeFloor: number;
    /** Every variant's first page over the CPU floor's. */
    vsCpuFloor: Record<Variant, number>;
  };
}

export async function measureFirstPage(context: ScenarioContext, documents: GeneratedDocument[]): Promise<FirstPageResult[]> {
  const { config, servers, log } = context;
  const viewport = await elementViewport(context);
  const results: FirstPageResult[] = [];
  for (const doc of documents) {
    const runs = new Map<BenchServer, FirstPageRun[]>(servers.map((server) => [server, []]));
    // Protocols alternate like the variants, each run starting with another.
    for (let run = 0; run < config.runs; run++) {
      for (const server of rotate(servers, run)) {
        for (const variant of rotate(variants, run)) {
          const measured = await measureOnce(context, server, doc, variant, viewport, run);
          runs.get(server)!.push(measured);
          log(
            `  ${doc.label.padEnd(36)} ${server.protocol} ${server.rangeMode.padEnd(10)} run ${run + 1} ${variant.padEnd(15)} ${measured.ms.toFixed(0).padStart(6)} ms ` +
              `${(measured.bytes / 1e6).toFixed(2).padStart(6)} MB ${String(measured.requests).padStart(4)} req  ` +
              `canvas ${measured.canvasWidth ?? '?'} px  ${measured.nextHopProtocols.join(',')}`,
          );
        }
      }
    }
    for (const server of servers) results.push(summarize(doc, server, runs.get(server)!, config.runs, config.bandwidth, config.latencyMs, viewport));
  }
  return results;
}

async function measureOnce(
  context: ScenarioContext,
  server: BenchServer,
  doc: GeneratedDocument,
  variant: Variant,
  viewport: { width: number; height: number },
  run: number,
): Promise<FirstPageRun> {
  const url = `${server.origin}/docs/${doc.name}`;
  const { context: browserContext, page } = await openPage(context.browser, `${server.origin}${pages[variant].path}`);
  try {
    // The floors' file comes before their timing starts, untimed and uncounted.
    const floor = variant === 'cpu-floor' || variant === 'range-floor';
    if (floor) await page.evaluate(`window.bench.prefetch(${JSON.stringify(`${server.origin}${UNTIMED_DOCS}${doc.name}`)})`);
    server.resetRun();
    const call =
      variant === 'cpu-floor'
        ? `window.bench.cpuFloor(${viewport.width}, ${viewport.height})`
        : variant === 'range-floor'
          ? `window.bench.rangeFloor(${viewport.width}, ${viewport.height}, ${RANGE_CHUNK_SIZE}, ${OPENING_BYTES})`
          : `window.bench.${pages[variant].call}(${JSON.stringify(url)})`;
    const result = (await page.evaluate(call)) as { ms: number; loadMs?: number | null; canvasWidth?: number | null; protocols: string[] };
    const mark = server.marks.get('first-page') ?? { bytes: server.bytesSent, requests: server.requests.length };
    return {
      run,
      variant,
      ms: result.ms,
      bytes: mark.bytes,
      requests: mark.requests,
      loadMs: result.loadMs ?? null,
      canvasWidth: result.canvasWidth ?? null,
      nextHopProtocols: result.protocols,
    };
  } finally {
    await browserContext.close();
  }
}

function summarize(
  doc: GeneratedDocument,
  server: BenchServer,
  runs: FirstPageRun[],
  runCount: number,
  bandwidth: number,
  latencyMs: number,
  viewport: { width: number; height: number },
): FirstPageResult {
  const pick = (variant: Variant) => runs.filter((r) => r.variant === variant);
  const summary = (variant: Variant): VariantSummary => ({
    ms: median(pick(variant).map((r) => r.ms)),
    bytes: median(pick(variant).map((r) => r.bytes)),
    requests: median(pick(variant).map((r) => r.requests)),
  });
  const perRun = (variant: Variant, baseline: Variant) =>
    median(
      Array.from({ length: runCount }, (_, run) => {
        const measured = runs.find((r) => r.run === run && r.variant === variant)!;
        const reference = runs.find((r) => r.run === run && r.variant === baseline)!;
        return measured.ms / reference.ms;
      }),
    );
  return {
    document: doc.name,
    protocol: server.protocol,
    rangeMode: server.rangeMode,
    nextHopProtocols: [...new Set(runs.flatMap((r) => r.nextHopProtocols))].sort(),
    label: doc.label,
    kind: doc.kind,
    size: doc.size,
    pages: doc.pages,
    page1Bytes: doc.page1Bytes,
    byteFloorMs: (doc.page1Bytes / bandwidth) * 1000 + 2 * latencyMs,
    viewport,
    runs,
    median: Object.fromEntries(variants.map((variant) => [variant, summary(variant)])) as Record<Variant, VariantSummary>,
    ratios: {
      elementVsDefaults: perRun('element', 'pdfjs-defaults'),
      elementVsWhole: perRun('element', 'fetch-whole'),
      elementVsRangeFloor: perRun('element', 'range-floor'),
      vsCpuFloor: Object.fromEntries(variants.map((variant) => [variant, perRun(variant, 'cpu-floor')])) as Record<Variant, number>,
    },
  };
}

/** The size of the element's scrolling area on the bench page, for the CPU floor's. */
async function elementViewport(context: ScenarioContext): Promise<{ width: number; height: number }> {
  const { context: browserContext, page } = await openPage(context.browser, `${context.server.origin}${ELEMENT_PAGE}`);
  try {
    return (await page.evaluate('window.bench.viewportSize()')) as { width: number; height: number };
  } finally {
    await browserContext.close();
  }
}
