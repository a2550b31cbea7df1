// web-test-runner commands that reach Chromium's DevTools protocol from a browser test: `cdp`
// sends one protocol command for the test's own page (touch input, the accessibility tree), and
// `renderer-memory` reads the memory of the browser's renderer processes from /proc (Linux), which
// counts what the page's JavaScript cannot see: canvas backing stores, decoded images, the worker.
import { readFile } from 'node:fs/promises';

/** One protocol session per test page, opened on first use. */
const sessions = new WeakMap();

async function pageSession(page) {
  let session = sessions.get(page);
  if (!session) {
    session = await page.createCDPSession();
    sessions.set(page, session);
  }
  return session;
}

/** Resident anonymous memory (heap, canvases, images; not shared libraries) of one process, in bytes. */
async function rssAnon(pid) {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kib = /^RssAnon:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kib ? Number(kib) * 1024 : 0;
  } catch {
    return 0;
  }
}

export function devtoolsCommandsPlugin() {
  return {
    name: 'devtools-commands',
    async executeCommand({ command, payload, session }) {
      if (command !== 'cdp' && command !== 'renderer-memory') return undefined;
      if (session.browser.type !== 'puppeteer') throw new Error(`${command} needs Chromium through puppeteer`);
      const page = session.browser.getPage(session.id);
      if (command === 'cdp') {
        const { method, params } = payload ?? {};
        if (typeof method !== 'string') throw new Error('cdp needs { method, params? }');
        return (await pageSession(page)).send(method, params ?? {});
      }
      const browserSession = await page.browser().target().createCDPSession();
      try {
        const { processInfo } = await browserSession.send('SystemInfo.getProcessInfo');
        const renderers = processInfo.filter((info) => info.type === 'renderer');
        const sizes = await Promise.all(renderers.map((info) => rssAnon(info.id)));
        return { bytes: sizes.reduce((sum, size) => sum + size, 0), processes: renderers.length };
      } finally {
        await browserSession.detach();
      }
    },
  };
}
