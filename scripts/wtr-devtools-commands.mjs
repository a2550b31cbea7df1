// web-test-runner commands that reach Chromium's DevTools protocol from a browser test: `cdp`
// sends one protocol command for the test's own page (touch input, the accessibility tree), and
// `renderer-memory` reads the memory of the browser's renderer processes from /proc (Linux), which
// counts what the page's JavaScript cannot see: canvas backing stores, decoded images, the worker.
// `heap-contains` takes a heap snapshot of the page (after a full garbage collection) and tells
// which of the given strings some reachable JavaScript string contains, and how many reachable
// objects there are of the given classes.
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

/** Objects per class name (`object` nodes of a parsed heap snapshot) among `names`. */
function countObjects(snapshot, names) {
  const counts = Object.fromEntries(names.map((name) => [name, 0]));
  if (names.length === 0) return counts;
  const { node_fields: fields, node_types: [types] } = snapshot.snapshot.meta;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const objectType = types.indexOf('object');
  const { nodes, strings } = snapshot;
  for (let i = 0; i < nodes.length; i += fields.length) {
    if (nodes[i + typeAt] !== objectType) continue;
    const name = strings[nodes[i + nameAt]];
    if (name in counts) counts[name]++;
  }
  return counts;
}

/**
 * Which of `needles` occur in a heap snapshot of the page, and how many objects of the classes
 * `classes` it holds: only what is still reachable, since the snapshot collects garbage first.
 */
async function heapContains(session, needles, classes) {
  let text = '';
  const onChunk = ({ chunk }) => {
    text += chunk;
  };
  session.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  try {
    await session.send('HeapProfiler.enable');
    await session.send('HeapProfiler.collectGarbage');
    await session.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false, captureNumericValue: false });
  } finally {
    session.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
    await session.send('HeapProfiler.disable').catch(() => {});
  }
  return { texts: needles.map((needle) => text.includes(needle)), objects: countObjects(JSON.parse(text), classes) };
}

export function devtoolsCommandsPlugin() {
  return {
    name: 'devtools-commands',
    async executeCommand({ command, payload, session }) {
      if (command !== 'cdp' && command !== 'renderer-memory' && command !== 'heap-contains') return undefined;
      if (session.browser.type !== 'puppeteer') throw new Error(`${command} needs Chromium through puppeteer`);
      const page = session.browser.getPage(session.id);
      if (command === 'cdp') {
        const { method, params } = payload ?? {};
        if (typeof method !== 'string') throw new Error('cdp needs { method, params? }');
        return (await pageSession(page)).send(method, params ?? {});
      }
      if (command === 'heap-contains') {
        // Needles arrive reversed, so that the test's own copy of a needle is not what is found.
        const { reversed = [], classes = [] } = payload ?? {};
        if (!Array.isArray(reversed) || !reversed.every((needle) => typeof needle === 'string' && needle.length >= 6)) {
          throw new Error('heap-contains needs { reversed: string[] } of at least 6 characters each');
        }
        if (!Array.isArray(classes) || !classes.every((name) => typeof name === 'string')) throw new Error('heap-contains: classes are names');
        const needles = reversed.map((needle) => [...needle].reverse().join(''));
        return heapContains(await pageSession(page), needles, classes);
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
