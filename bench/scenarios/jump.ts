import type { GeneratedDocument } from '../documents.ts';
import { openPage } from '../browser.ts';
import { ELEMENT_PAGE, median, type ScenarioContext } from './context.ts';

export interface JumpRun {
  run: number;
  firstPageMs: number;
  /** Time from goToPage(n) until page n is drawn, and the document bytes that took. */
  jumps: Array<{ page: number; ms: number; bytes: number }>;
}

export interface JumpResult {
  document: string;
  pages: number;
  size: number;
  targets: number[];
  runs: JumpRun[];
  median: Array<{ page: number; ms: number; bytes: number }>;
}

export async function measureJumps(context: ScenarioContext, doc: GeneratedDocument): Promise<JumpResult> {
  const { config, server, browser, log } = context;
  const targets = [Math.ceil(doc.pages / 2), doc.pages];
  const runs: JumpRun[] = [];
  for (let run = 0; run < config.runs; run++) {
    const { context: browserContext, page } = await openPage(browser, `${server.origin}${ELEMENT_PAGE}`);
    server.resetRun();
    try {
      const first = (await page.evaluate(`window.bench.firstPage(${JSON.stringify(`${server.origin}/docs/${doc.name}`)})`)) as { ms: number };
      const jumps: JumpRun['jumps'] = [];
      let before = server.marks.get('first-page')?.bytes ?? server.bytesSent;
      for (const target of targets) {
        const result = (await page.evaluate(`window.bench.jump(${target})`)) as { ms: number };
        const after = server.marks.get(`jump-${target}`)?.bytes ?? server.bytesSent;
        jumps.push({ page: target, ms: result.ms, bytes: after - before });
        before = after;
      }
      runs.push({ run, firstPageMs: first.ms, jumps });
      log(`  run ${run + 1}: ${jumps.map((j) => `page ${j.page} ${j.ms.toFixed(0)} ms (${(j.bytes / 1e3).toFixed(0)} kB)`).join(', ')}`);
    } finally {
      await browserContext.close();
    }
  }
  return {
    document: doc.name,
    pages: doc.pages,
    size: doc.size,
    targets,
    runs,
    median: targets.map((target, index) => ({
      page: target,
      ms: median(runs.map((r) => r.jumps[index]!.ms)),
      bytes: median(runs.map((r) => r.jumps[index]!.bytes)),
    })),
  };
}
