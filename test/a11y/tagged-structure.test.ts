import { expect } from '@open-wc/testing';
import type { SecureViewer } from '../../src/index.ts';
import { contentUrl, createScenario, mintToken } from '../helpers/backend.ts';
import { cdp } from '../helpers/devtools.ts';
import { NOT_IN_ENGINE, onlyIn } from '../helpers/engine.ts';
import { openViewer, pageElement, renderedCanvas, waitFor, waitForState } from '../helpers/viewer.ts';

interface AXNode {
  nodeId: string;
  ignored: boolean;
  role?: { value?: unknown };
  name?: { value?: unknown };
  properties?: Array<{ name: string; value: { value?: unknown } }>;
  childIds?: string[];
}

interface Exposed {
  role: string;
  name: string;
  level?: unknown;
}

/** The text a screen reader reads inside a node: its static text descendants. */
function textOf(node: AXNode, byId: Map<string, AXNode>): string {
  if (node.role?.value === 'StaticText') return String(node.name?.value ?? '');
  return (node.childIds ?? []).map((id) => byId.get(id)).map((child) => (child ? textOf(child, byId) : '')).join(' ').trim();
}

/** The text inside each exposed paragraph (paragraphs take no name from their content). */
async function paragraphTexts(): Promise<string[]> {
  const { nodes } = await cdp<{ nodes: AXNode[] }>('Accessibility.getFullAXTree');
  const byId = new Map(nodes.map((node) => [node.nodeId, node] as const));
  return nodes.filter((node) => !node.ignored && node.role?.value === 'paragraph').map((node) => textOf(node, byId));
}

async function reportViewer(): Promise<SecureViewer> {
  const id = await createScenario('report');
  const el = await openViewer();
  // The structure tree is built on the text layer, which needs the copy permission.
  el.token = await mintToken(id, { permissions: ['read', 'copy'] });
  el.src = contentUrl(id);
  await waitForState(el, ['ready']);
  return el;
}

/** Shows page `n` and waits until pdf.js has linked its structure tree into the text layer. */
async function showPage(el: SecureViewer, n: number): Promise<HTMLElement> {
  el.goToPage(n);
  await renderedCanvas(el, n);
  return waitFor(() => pageElement(el, n)!.querySelector<HTMLElement>('.structTree'), 10_000, () => `no structure tree on page ${n}`);
}

/** What Chromium gives screen readers (not ignored nodes) with one of `roles`. */
async function exposed(...roles: string[]): Promise<Exposed[]> {
  const { nodes } = await cdp<{ nodes: AXNode[] }>('Accessibility.getFullAXTree');
  return nodes
    .filter((node) => !node.ignored && roles.includes(String(node.role?.value)))
    .map((node) => {
      const level = node.properties?.find((p) => p.name === 'level')?.value.value;
      return { role: String(node.role!.value), name: String(node.name?.value ?? ''), ...(level === undefined ? {} : { level }) };
    });
}

describe('tagged PDF structure inside the shadow root', () => {
  onlyIn(['chromium'], NOT_IN_ENGINE.devtools)('exposes headings and paragraphs with their text in the accessibility tree', async () => {
    const el = await reportViewer();
    await showPage(el, 1);
    await waitFor(async () => (await exposed('heading')).some((h) => h.name === 'Annual report 2025'), 5_000, () => 'no H1 with its text');
    expect(await exposed('heading')).to.deep.include({ role: 'heading', name: 'Annual report 2025', level: 1 });
    await showPage(el, 2);
    await waitFor(async () => (await exposed('heading')).some((h) => h.name === 'Summary'), 5_000, () => 'no H2 with its text');
    expect(await exposed('heading')).to.deep.include({ role: 'heading', name: 'Summary', level: 2 });
    const paragraphs = await paragraphTexts();
    expect(paragraphs.some((text) => text.startsWith('Revenue grew in every quarter')), JSON.stringify(paragraphs)).to.equal(true);
  });

  it('links every structure element to text inside the shadow root, none through the document', async () => {
    const el = await reportViewer();
    const structure = await showPage(el, 2);
    const owned = [...structure.querySelectorAll('[aria-owns]')].flatMap((node) => node.getAttribute('aria-owns')!.split(' '));
    expect(owned.length).to.be.greaterThan(2);
    for (const id of owned) {
      expect(el.shadowRoot!.getElementById(id), id).to.exist;
      expect(document.getElementById(id), `${id} in the document`).to.equal(null);
    }
  });

  onlyIn(['chromium'], NOT_IN_ENGINE.devtools)('gives a figure its description, placed in the text layer through the shadow root', async () => {
    const el = await reportViewer();
    await showPage(el, 4);
    const description = 'Bar chart of quarterly revenue: 12.4, 13.9, 14.3 and 16.8 million';
    // pdf.js puts an img-role span for the figure into the text layer by id (document.getElementById).
    await waitFor(() => pageElement(el, 4)!.querySelector(`.textLayer [role="img"][aria-label="${description}"]`), 5_000, () => 'no figure in the text layer');
    await waitFor(async () => (await exposed('image', 'img')).some((node) => node.name === description), 5_000, () => 'figure not exposed');
  });
});
