import type { BenchConfig, Protocol, RangeMode } from './config.ts';
import { variants, type FirstPageResult } from './scenarios/first-page.ts';
import type { FootprintResult } from './scenarios/footprint.ts';
import type { JumpResult } from './scenarios/jump.ts';
import type { MemoryResult } from './scenarios/memory.ts';

export interface Target {
  name: string;
  met: boolean | null;
  detail: string;
}

export interface BenchResults {
  startedAt: string;
  machine: { cpus: string; cores: number; memoryGiB: number; node: string; browser: string; platform: string };
  source: { commit: string; srcModified: boolean };
  settings: { bandwidthBytesPerSecond: number; latencyMs: number; runs: number; quick: boolean; protocols: Protocol[]; rangeModes: RangeMode[] };
  durationSeconds: number;
  firstPage: FirstPageResult[];
  skipped: string[];
  jump: JumpResult | null;
  memory: MemoryResult | null;
  footprint: FootprintResult | null;
  targets: Target[];
}

/**
 * Limits from the performance issues, judged per document and protocol on medians (times as
 * medians of same-run ratios). Documents in object streams are held to the limits for every
 * document only.
 */
export const LIMITS = {
  /** Every document: first page no later than fetching the whole file, and never more bytes than the file. */
  anyVsWhole: 1,
  /** Scattered and linearized documents. */
  scatteredVsWhole: 0.2,
  scatteredVsDefaults: 0.25,
  scatteredBytes: 2_000_000,
  /** Packed documents: close to pdf.js's own start-up and drawing, and never behind its defaults. */
  packedVsCpuFloor: 1.3,
  packedVsDefaults: 1,
  /** Documents nobody here wrote (bench/real-documents.ts), as published and rewritten: never behind pdf.js's defaults. */
  realVsDefaults: 1,
  jumpToLastMs: 1000,
  liveCanvases: 12,
  /** Second-pass peak may exceed the first by this fraction before it counts as growth (measurement noise). */
  memoryGrowth: 0.1,
  elementGzipBytes: 20_000,
} as const;

const ms = (value: number): string => `${Math.round(value)} ms`;
const x = (value: number): string => `${value.toFixed(2)}×`;
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`;
const kb = (bytes: number): string => `${(bytes / 1e3).toFixed(1)} kB`;
const mib = (bytes: number | null): string => (bytes === null ? 'n/a' : `${(bytes / 2 ** 20).toFixed(0)} MiB`);
const pct = (value: number | null): string => (value === null ? 'n/a' : `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)} %`);

/** What Resource Timing's nextHopProtocol says for each protocol the bench serves. */
const expectedHop: Record<Protocol, string> = { http1: 'http/1.1', http2: 'h2' };

export function evaluateTargets(results: Omit<BenchResults, 'targets'>): Target[] {
  const targets: Target[] = [];
  for (const doc of results.firstPage) {
    const element = doc.median.element.ms;
    const which = `${doc.label} over ${doc.protocol}, ${doc.rangeMode} ranges`;
    targets.push({
      name: `${which}: every document request over ${expectedHop[doc.protocol]}`,
      met: doc.nextHopProtocols.length > 0 && doc.nextHopProtocols.every((hop) => hop === expectedHop[doc.protocol]),
      detail: `Resource Timing nextHopProtocol: ${doc.nextHopProtocols.join(', ') || 'none seen'}`,
    });
    const bytes = doc.median.element.bytes;
    const vsWhole = doc.ratios.elementVsWhole;
    const vsDefaults = doc.ratios.elementVsDefaults;
    const whole = `${ms(element)} vs ${ms(doc.median['fetch-whole'].ms)}, ${x(vsWhole)}`;
    const defaults = `${ms(element)} vs ${ms(doc.median['pdfjs-defaults'].ms)}, ${x(vsDefaults)}`;
    targets.push({ name: `${which}: first page ≤ ${x(LIMITS.anyVsWhole)} fetch-whole`, met: vsWhole <= LIMITS.anyVsWhole, detail: whole });
    targets.push({
      name: `${which}: no more bytes than the file before the first page`,
      met: bytes <= doc.size,
      detail: `${mb(bytes)} of ${mb(doc.size)}`,
    });
    if (doc.kind === 'scattered' || doc.kind === 'linearized') {
      targets.push({ name: `${which}: first page ≤ ${x(LIMITS.scatteredVsWhole)} fetch-whole`, met: vsWhole <= LIMITS.scatteredVsWhole, detail: whole });
      targets.push({
        name: `${which}: first page ≤ ${x(LIMITS.scatteredVsDefaults)} pdf.js defaults`,
        met: vsDefaults <= LIMITS.scatteredVsDefaults,
        detail: defaults,
      });
      targets.push({
        name: `${which}: ≤ ${mb(LIMITS.scatteredBytes)} before the first page`,
        met: bytes <= LIMITS.scatteredBytes,
        detail: `${mb(bytes)} in ${doc.median.element.requests} requests (page 1 needs ${kb(doc.page1Bytes)})`,
      });
    } else if (doc.kind === 'real') {
      targets.push({
        name: `${which}: first page ≤ ${x(LIMITS.realVsDefaults)} pdf.js defaults`,
        met: vsDefaults <= LIMITS.realVsDefaults,
        detail: defaults,
      });
    } else if (doc.kind === 'packed') {
      const vsFloor = doc.ratios.vsCpuFloor.element;
      targets.push({
        name: `${which}: first page ≤ ${x(LIMITS.packedVsCpuFloor)} the CPU floor`,
        met: vsFloor <= LIMITS.packedVsCpuFloor,
        detail: `${ms(element)} vs ${ms(doc.median['cpu-floor'].ms)}, ${x(vsFloor)}`,
      });
      targets.push({
        name: `${which}: first page ≤ ${x(LIMITS.packedVsDefaults)} pdf.js defaults`,
        met: vsDefaults <= LIMITS.packedVsDefaults,
        detail: defaults,
      });
    }
  }
  for (const skipped of results.skipped) targets.push({ name: skipped, met: null, detail: 'skipped' });
  if (results.jump) {
    const last = results.jump.median.at(-1)!;
    targets.push({
      name: `jump to the last page of a ${results.jump.pages}-page document ≤ 1 s`,
      met: last.ms <= LIMITS.jumpToLastMs,
      detail: `page ${last.page}: ${ms(last.ms)}`,
    });
  }
  if (results.memory) {
    const m = results.memory;
    const maxCanvases = Math.max(...m.passes.map((p) => p.liveCanvases));
    targets.push({
      name: `${m.pages}-page scroll: ≤ 12 live canvases`,
      met: maxCanvases <= LIMITS.liveCanvases,
      detail: `max ${maxCanvases}`,
    });
    const growth = m.retainedRssGrowth ?? m.rssGrowth ?? m.heapGrowth;
    targets.push({
      name: `${m.pages}-page scroll: no memory growth between passes`,
      met: growth <= LIMITS.memoryGrowth,
      detail:
        `renderer RSS after collection ${mib(m.passes[0]!.retainedRssBytes)} → ${mib(m.passes[1]!.retainedRssBytes)} (${pct(m.retainedRssGrowth)}); ` +
        `peaks ${mib(m.passes[0]!.rendererRssBytes)} → ${mib(m.passes[1]!.rendererRssBytes)} (${pct(m.rssGrowth)})`,
    });
  }
  if (results.footprint) {
    const f = results.footprint;
    const loaded = f.byLoad.entryGzipBytes + f.byLoad.firstDocumentGzipBytes;
    targets.push({
      name: 'element code loaded up to the first document ≤ 20 kB gzip (without lit and pdf.js)',
      met: loaded <= LIMITS.elementGzipBytes,
      detail: `${kb(loaded)} gzip (entry ${kb(f.byLoad.entryGzipBytes)} + first document ${kb(f.byLoad.firstDocumentGzipBytes)}); loaded on use ${kb(f.byLoad.onUseGzipBytes)} more`,
    });
    targets.push({
      name: 'nothing of pdf.js downloaded before a document is requested',
      met: f.pdfjsBeforeDocument.length === 0,
      detail: f.pdfjsBeforeDocument.length === 0 ? `${f.beforeDocument.length} requests, none pdf.js` : f.pdfjsBeforeDocument.map((d) => d.path).join(', '),
    });
  }
  return targets;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatSummary(results: BenchResults, config: BenchConfig): string {
  const out: string[] = [];
  out.push(
    `\nsecure-viewer bench (element built from ${results.source.commit}${results.source.srcModified ? ' + uncommitted src changes' : ''}) — ${mb(config.bandwidth)}/s shared, ${config.latencyMs} ms per request, medians of ${config.runs} run(s) per variant`,
  );
  if (results.firstPage.length > 0) {
    out.push('\nFirst-page documents (page 1 needs: header, cross-reference data, catalog, page tree, page 1 and what it uses)');
    const documents = [...new Map(results.firstPage.map((doc) => [doc.document, doc])).values()];
    out.push(
      table(
        ['document', 'file', 'size', 'pages', 'page 1 needs', 'at the bandwidth + 2 round trips'],
        documents.map((doc) => [doc.label, doc.document, mb(doc.size), String(doc.pages), kb(doc.page1Bytes), ms(doc.byteFloorMs)]),
      ),
    );
    out.push(
      `\nTime to first page (ratios are medians of same-run ratios; CPU floor: the file in memory before timing, ` +
        `pdf.js drawing page 1 as the element does in a ${results.firstPage[0]!.viewport.width} × ${results.firstPage[0]!.viewport.height} area; ` +
        `range floor: the same, pdf.js reading the file in memory by ranges answered at once; ` +
        `protocol as asked, and as Resource Timing saw it)`,
    );
    out.push(
      table(
        ['document', 'protocol, ranges', 'variant', 'first page', 'bytes by then', 'requests', 'element ÷ this', 'this ÷ CPU floor'],
        results.firstPage.flatMap((doc) =>
          variants.map((variant) => [
            doc.label,
            `${doc.protocol} (${doc.nextHopProtocols.join(', ')}), ${doc.rangeMode}`,
            variant,
            ms(doc.median[variant].ms),
            mb(doc.median[variant].bytes),
            String(doc.median[variant].requests),
            variant === 'pdfjs-defaults'
              ? x(doc.ratios.elementVsDefaults)
              : variant === 'fetch-whole'
                ? x(doc.ratios.elementVsWhole)
                : variant === 'range-floor'
                  ? x(doc.ratios.elementVsRangeFloor)
                  : '',
            variant === 'cpu-floor' ? '' : x(doc.ratios.vsCpuFloor[variant]),
          ]),
        ),
      ),
    );
  }
  if (results.jump) {
    out.push(`\nJump in a ${results.jump.pages}-page document (${mb(results.jump.size)})`);
    out.push(table(['page', 'time', 'bytes'], results.jump.median.map((j) => [String(j.page), ms(j.ms), kb(j.bytes)])));
  }
  if (results.memory) {
    out.push(`\nScrolling a ${results.memory.pages}-page document twice (baseline renderer RSS ${mib(results.memory.baselineRssBytes)})`);
    out.push(
      table(
        ['pass', 'duration', 'peak renderer RSS', 'peak JS heap', 'RSS after collection', 'max live canvases', 'max canvas Mpx', 'not drawn in 3 s'],
        results.memory.passes.map((p, i) => [
          String(i + 1),
          `${(p.ms / 1000).toFixed(1)} s`,
          mib(p.rendererRssBytes),
          mib(p.jsHeapUsedBytes),
          mib(p.retainedRssBytes),
          String(p.liveCanvases),
          (p.canvasPixels / 1e6).toFixed(1),
          String(p.pagesNotDrawn),
        ]),
      ),
    );
  }
  if (results.footprint) {
    const f = results.footprint;
    out.push('\nCode size (npm build, lit external; gzip -9)');
    out.push(table(['chunk', 'kind', 'raw', 'gzip'], f.codeSize.chunks.map((c) => [c.file, c.kind, kb(c.rawBytes), kb(c.gzipBytes)])));
    out.push(
      `element code ${kb(f.codeSize.elementGzipBytes)} gzip (${kb(f.codeSize.elementRawBytes)} raw), of which loaded on define ${kb(f.codeSize.defineGzipBytes)}; ` +
        `pdf.js viewer CSS (lazy chunk) ${kb(f.codeSize.inlinedPdfjsCssGzipBytes)}; drop-in entry with lit ${kb(f.codeSize.dropInEntryGzipBytes)}`,
    );
    const list = (chunks: FootprintResult['byLoad']['entry']) => chunks.map((c) => `${c.file.slice(c.file.lastIndexOf('/') + 1)} ${kb(c.gzipBytes)}`).join(', ') || 'nothing';
    out.push(`  entry (every page): ${kb(f.byLoad.entryGzipBytes)} (${list(f.byLoad.entry)})`);
    out.push(`  with the first document: ${kb(f.byLoad.firstDocumentGzipBytes)} (${list(f.byLoad.firstDocument)})`);
    out.push(`  loaded on use: ${kb(f.byLoad.onUseGzipBytes)} (${list(f.byLoad.onUse)})`);
    out.push(`  React and Vue adapters: ${kb(f.byLoad.adaptersGzipBytes)} (${list(f.byLoad.adapters)})`);
    out.push(`before a document: ${f.beforeDocument.map((d) => `${d.path} ${kb(d.bytes)}`).join(', ')}`);
    out.push(`pdf.js files after the first document: ${f.pdfjsAfterDocument.length}`);
  }
  out.push('\nTargets');
  out.push(
    table(
      ['target', 'result', 'numbers'],
      results.targets.map((t) => [t.name, t.met === null ? 'skipped' : t.met ? 'met' : 'NOT MET', t.detail]),
    ),
  );
  return out.join('\n');
}
