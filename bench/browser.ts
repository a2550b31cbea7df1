import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../scripts/chromium-flags.mjs';

export async function launchBrowser(executablePath: string, extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(executablePath)) throw new Error(`No browser at ${executablePath} (set CHROME_PATH)`);
  return chromium.launch({ executablePath, args: [...CHROMIUM_FLAGS, ...extraArgs], headless: true });
}

/** Lets the memory scenario call `gc()` in the page and in its workers (pdf.js's among them). */
export const EXPOSE_GC_ARGS = ['--js-flags=--expose-gc'];

/** Full collections in the page and every worker, then a moment for freed memory to go back. */
export async function collectGarbage(page: Page): Promise<void> {
  for (let round = 0; round < 2; round++) {
    await page.evaluate('gc()');
    for (const worker of page.workers()) await worker.evaluate('gc()').catch(() => {});
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
}

/** A fresh context per run: empty cache, a new pdf.js worker, nothing carried over. */
export async function openPage(browser: Browser, url: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction('window.benchReady === true');
  return { context, page };
}

export interface MemorySample {
  /** Resident memory of all renderer processes (page + pdf.js worker + canvas backing stores). */
  rendererRssBytes: number | null;
  /** The page's main-thread JavaScript heap (the worker's is not included). */
  jsHeapUsedBytes: number;
}

/** Reads renderer memory: pids from CDP `SystemInfo.getProcessInfo`, resident size from /proc. */
export class MemoryProbe {
  private constructor(
    private readonly browserSession: CDPSession,
    private readonly pageSession: CDPSession,
  ) {}

  static async attach(browser: Browser, page: Page): Promise<MemoryProbe> {
    const browserSession = await browser.newBrowserCDPSession();
    const pageSession = await page.context().newCDPSession(page);
    await pageSession.send('Performance.enable');
    return new MemoryProbe(browserSession, pageSession);
  }

  async sample(): Promise<MemorySample> {
    const { metrics } = await this.pageSession.send('Performance.getMetrics');
    const jsHeapUsedBytes = metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? 0;
    return { rendererRssBytes: await this.#rendererRss(), jsHeapUsedBytes };
  }

  async #rendererRss(): Promise<number | null> {
    try {
      const info = (await this.browserSession.send('SystemInfo.getProcessInfo')) as {
        processInfo: Array<{ type: string; id: number }>;
      };
      let total = 0;
      for (const process of info.processInfo.filter((p) => p.type === 'renderer')) {
        const status = await readFile(`/proc/${process.id}/status`, 'utf8').catch(() => '');
        const kilobytes = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
        if (kilobytes) total += Number(kilobytes) * 1024;
      }
      return total > 0 ? total : null;
    } catch {
      // Not Linux, or the browser does not answer SystemInfo: fall back to the JS heap alone.
      return null;
    }
  }

  async detach(): Promise<void> {
    await this.pageSession.detach().catch(() => {});
    await this.browserSession.detach().catch(() => {});
  }
}
