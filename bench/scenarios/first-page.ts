import type { DocumentKind, GeneratedDocument } from '../documents.ts';
import { openPage } from '../browser.ts';
import { ELEMENT_PAGE, PDFJS_PAGE, median, rotate, type ScenarioContext } from './context.ts';

export const variants = ['element', 'pdfjs-defaults', 'fetch-whole'] as const;
export type Variant = (typeof variants)[number];

export const variantLabels: Record<Variant, string> = {
  element: '<secure-viewer>',
  'pdfjs-defaults': 'pdf.js getDocument({url}) defaults',
  'fetch-whole': 'fetch whole file → getDocument({data})',
};

export interface FirstPageRun {
  run: number;
  variant: Variant;
  ms: number;
  /** Document bytes the server had written when page 1 was on screen. */
  bytes: number;
  requests: number;
  /** The element only: when `sv-load` fired. */
  loadMs: number | null;
}

export interface FirstPageResult {
  document: string;
  label: string;
  kind: DocumentKind;
  size: number;
  pages: number;
  page1Bytes: number;
  /** page1Bytes at the configured bandwidth plus two round trips (head and tail together, then the rest). */
  floorMs: number;
  runs: FirstPageRun[];
  median: Record<Variant, { ms: number; bytes: number; requests: number }>;
  /** Medians of per-run ratios: each ratio compares variants measured in the same run. */
  ratios: { elementVsDefaults: number; elementVsWhole: number; elementVsFloor: number };
}

export async function measureFirstPage(context: ScenarioContext, documents: GeneratedDocument[]): Promise<FirstPageResult[]> {
  const { config, server, browser, log } = context;
  const results: FirstPageResult[] = [];
  for (const doc of documents) {
    const floorMs = (doc.page1Bytes / config.bandwidth) * 1000 + 2 * config.latencyMs;
    const runs: FirstPageRun[] = [];
    for (let run = 0; run < config.runs; run++) {
      for (const variant of rotate(variants, run)) {
        const url = `${server.origin}/docs/${doc.name}`;
        const { context: browserContext, page } = await openPage(browser, `${server.origin}${variant === 'element' ? ELEMENT_PAGE : PDFJS_PAGE}`);
        server.resetRun();
        try {
          const call = variant === 'element' ? 'firstPage' : variant === 'pdfjs-defaults' ? 'defaults' : 'wholeFile';
          const result = (await page.evaluate(`window.bench.${call}(${JSON.stringify(url)})`)) as { ms: number; loadMs?: number | null };
          const mark = server.marks.get('first-page') ?? { bytes: server.bytesSent, requests: server.requests.length };
          runs.push({ run, variant, ms: result.ms, bytes: mark.bytes, requests: mark.requests, loadMs: result.loadMs ?? null });
          log(`  ${doc.label.padEnd(36)} run ${run + 1} ${variant.padEnd(15)} ${result.ms.toFixed(0).padStart(6)} ms ${(mark.bytes / 1e6).toFixed(2).padStart(6)} MB ${String(mark.requests).padStart(4)} req`);
        } finally {
          await browserContext.close();
        }
      }
    }
    const pick = (variant: Variant) => runs.filter((r) => r.variant === variant);
    const summary = (variant: Variant) => ({
      ms: median(pick(variant).map((r) => r.ms)),
      bytes: median(pick(variant).map((r) => r.bytes)),
      requests: median(pick(variant).map((r) => r.requests)),
    });
    const perRun = (other: Variant) =>
      median(
        Array.from({ length: config.runs }, (_, run) => {
          const element = runs.find((r) => r.run === run && r.variant === 'element')!;
          const baseline = runs.find((r) => r.run === run && r.variant === other)!;
          return element.ms / baseline.ms;
        }),
      );
    results.push({
      document: doc.name,
      label: doc.label,
      kind: doc.kind,
      size: doc.size,
      pages: doc.pages,
      page1Bytes: doc.page1Bytes,
      floorMs,
      runs,
      median: { element: summary('element'), 'pdfjs-defaults': summary('pdfjs-defaults'), 'fetch-whole': summary('fetch-whole') },
      ratios: {
        elementVsDefaults: perRun('pdfjs-defaults'),
        elementVsWhole: perRun('fetch-whole'),
        elementVsFloor: summary('element').ms / floorMs,
      },
    });
  }
  return results;
}
