// The element's own UI in the reader's language: picked from `lang` on the element or its nearest
// ancestor, followed live, laid out right to left for Arabic, with the host's strings winning, and
// pdf.js's messages in the pages in the same language. Against the reference backend.
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/index.ts';
import type { SecureViewer } from '../../src/index.ts';
import { contentUrl, createScenario, mintToken } from '../helpers/backend.ts';
import { renderedCanvas, waitFor, waitForState } from '../helpers/viewer.ts';

/** Whether the page has fetched the module (the sources are served one module per file). */
function loaded(module: string): boolean {
  return performance.getEntriesByType('resource').some((entry) => new URL(entry.name).pathname.endsWith(module));
}

function part(el: SecureViewer, name: string): HTMLElement {
  return el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)!;
}

const label = (el: SecureViewer, name: string) => part(el, name).getAttribute('aria-label');

async function open(el: SecureViewer, document = 'report'): Promise<void> {
  const id = await createScenario(document);
  el.token = await mintToken(id, { permissions: ['read'] });
  el.src = contentUrl(id);
  await waitForState(el, ['ready']);
  await renderedCanvas(el, 1);
}

const SIZE = 'height: 600px; width: 760px';

describe('the reader\'s language', () => {
  it('English (the test browser\'s language, no lang anywhere) loads nothing more', async () => {
    const el = await fixture<SecureViewer>(html`<secure-viewer style=${SIZE}></secure-viewer>`);
    await open(el);
    expect(label(el, 'next-button')).to.equal('Next page');
    expect(loaded('/src/i18n/localization.ts'), 'the localization chunk').to.equal(false);
    expect(performance.getEntriesByType('resource').filter((entry) => entry.name.includes('/src/i18n/languages/')), 'language chunks').to.deep.equal([]);
    expect(part(el, 'toolbar').closest('.frame')!.hasAttribute('dir')).to.equal(false);
  });

  it('comes from lang on the element: German strings, numbers and plural forms, pdf.js\'s page landmarks, one language chunk', async () => {
    const el = await fixture<SecureViewer>(html`<secure-viewer lang="de" style=${SIZE}></secure-viewer>`);
    await waitFor(() => label(el, 'next-button') === 'Nächste Seite', 5_000, () => `next button: ${label(el, 'next-button')}`);
    const id = await createScenario('report', { latency: 300 });
    el.token = await mintToken(id, { permissions: ['read'] });
    el.src = contentUrl(id);
    await waitFor(() => part(el, 'status').textContent!.includes('Dokument wird geladen'), 5_000, () => `status: ${part(el, 'status').textContent}`);
    await waitForState(el, ['ready']);
    expect(part(el, 'toolbar').getAttribute('aria-label')).to.equal('Dokumentwerkzeuge');
    expect(el.shadowRoot!.querySelector('.page-count')!.textContent).to.equal(`von ${el.numPages}`);
    await waitFor(() => el.shadowRoot!.querySelector('.page[data-page-number="1"]')?.getAttribute('aria-label') === 'Seite 1', 5_000, () => 'page landmark');
    const languageChunks = performance.getEntriesByType('resource').filter((entry) => entry.name.includes('/src/i18n/languages/'));
    expect(languageChunks.map((entry) => new URL(entry.name).pathname)).to.deep.equal(['/src/i18n/languages/de.ts']);
  });

  it('the error panel speaks the language; sv-error keeps its English message for the host', async () => {
    const el = await fixture<SecureViewer>(html`<secure-viewer lang="de" style=${SIZE}></secure-viewer>`);
    const id = await createScenario('report', { status: 404 });
    el.token = await mintToken(id, { permissions: ['read'] });
    el.src = contentUrl(id);
    await waitForState(el, ['error']);
    await waitFor(() => part(el, 'error').textContent!.includes('Das Dokument wurde nicht gefunden.'), 5_000, () => `error: ${part(el, 'error').textContent}`);
    expect(part(el, 'retry-button').textContent!.trim()).to.equal('Erneut versuchen');
    expect(el.error).to.deep.include({ code: 'not-found', message: 'The document could not be found.' });
  });

  it('comes from the nearest ancestor with lang; the host\'s strings win over it', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div lang="fr"><section><secure-viewer style=${SIZE}></secure-viewer></section></div>`);
    const el = wrapper.querySelector('secure-viewer')!;
    await waitFor(() => label(el, 'next-button') === 'Page suivante', 5_000, () => `next button: ${label(el, 'next-button')}`);
    el.strings = { nextPage: 'Suivante !', errors: { 'not-found': 'Introuvable.' } };
    await el.updateComplete;
    expect(label(el, 'next-button')).to.equal('Suivante !');
    expect(label(el, 'previous-button')).to.equal('Page précédente');
  });

  it('follows lang as it changes on a live element and on its ancestors, back to English', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div lang="en"><secure-viewer lang="de" style=${SIZE}></secure-viewer></div>`);
    const el = wrapper.querySelector('secure-viewer')!;
    await waitFor(() => label(el, 'zoom-in-button') === 'Vergrößern', 5_000, () => `${label(el, 'zoom-in-button')}`);
    await open(el);
    el.lang = 'ja';
    await waitFor(() => label(el, 'zoom-in-button') === '拡大', 5_000, () => `${label(el, 'zoom-in-button')}`);
    await waitFor(() => el.shadowRoot!.querySelector('.page[data-page-number="2"]')?.getAttribute('aria-label') === '2 ページ', 5_000, () => 'page landmark in Japanese');
    el.sidebarOpen = true;
    (await waitFor(() => el.shadowRoot!.querySelector<HTMLElement>('[part~="thumbnails-tab"]'), 5_000, () => 'thumbnails tab')).click();
    const thumbnail = () => el.shadowRoot!.querySelector('[part~="thumbnail"][data-page="3"]')?.getAttribute('aria-label');
    await waitFor(() => thumbnail() === '3 ページ', 5_000, () => `thumbnail: ${thumbnail()}`);
    el.removeAttribute('lang');
    await waitFor(() => label(el, 'zoom-in-button') === 'Zoom in', 5_000, () => `${label(el, 'zoom-in-button')}`);
    await waitFor(() => el.shadowRoot!.querySelector('.page[data-page-number="2"]')?.getAttribute('aria-label') === 'Page 2', 5_000, () => 'page landmark in English');
    await waitFor(() => thumbnail() === 'Page 3', 5_000, () => `thumbnail: ${thumbnail()}`);
    wrapper.lang = 'pl';
    await waitFor(() => label(el, 'zoom-in-button') === 'Powiększ', 5_000, () => `${label(el, 'zoom-in-button')}`);
    expect(el.shadowRoot!.querySelector('.page-count')!.textContent).to.equal(`z ${el.numPages}`);
  });

  it('Arabic is laid out right to left: toolbar order mirrored, the sidebar on the right, pages as they are', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div lang="ar-EG"><secure-viewer style=${SIZE}></secure-viewer></div>`);
    const el = wrapper.querySelector('secure-viewer')!;
    await open(el);
    await waitFor(() => part(el, 'toolbar').closest('.frame')!.getAttribute('dir') === 'rtl', 5_000, () => 'dir');
    expect(label(el, 'next-button')).to.equal('الصفحة التالية');
    const box = (name: string) => part(el, name).getBoundingClientRect();
    // The start of the toolbar is its right end: the sidebar toggle, then previous page, then next.
    expect(box('sidebar-toggle-button').left).to.be.greaterThan(box('previous-button').left);
    expect(box('previous-button').left).to.be.greaterThan(box('next-button').left);
    expect(box('zoom-out-button').left).to.be.greaterThan(box('zoom-in-button').left);
    const host = el.getBoundingClientRect();
    expect(box('sidebar-toggle-button').right).to.be.closeTo(host.right, 60);
    expect(el.shadowRoot!.querySelector('.page-count')!.textContent).to.equal(`من ${new Intl.NumberFormat('ar').format(el.numPages)}`);
    // The sidebar opens on the start side, the right; the pages make room on the left.
    el.sidebarOpen = true;
    await waitFor(() => el.shadowRoot!.querySelector('[part~="thumbnail"]'), 10_000, () => 'thumbnails');
    await waitFor(() => Math.abs(box('sidebar').right - host.right) < 2, 5_000, () => `sidebar at ${box('sidebar').left}–${box('sidebar').right}, host ${host.left}–${host.right}`);
    expect(box('viewport').right).to.be.at.most(box('sidebar').left + 1);
    expect(box('viewport').left).to.be.closeTo(host.left, 2);
    // The document itself is not mirrored: pdf.js scrolls it left to right.
    expect(getComputedStyle(part(el, 'viewport')).direction).to.equal('ltr');
    // In the outline tree ← opens an entry, as → does left to right.
    const top = await waitFor(() => el.shadowRoot!.querySelector<HTMLElement>('[part~="outline"] [role="treeitem"]'), 5_000, () => 'outline');
    expect(top.getAttribute('aria-expanded')).to.equal('false');
    top.focus();
    await sendKeys({ press: 'ArrowLeft' });
    await waitFor(() => top.getAttribute('aria-expanded') === 'true', 5_000, () => 'the entry did not open');
    await expect(el).to.be.accessible();
  });
});
