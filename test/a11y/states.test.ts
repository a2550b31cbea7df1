import { expect } from '@open-wc/testing';
import { backendUrl, contentUrl, createScenario, mintToken } from '../helpers/backend.ts';
import { openViewer, renderedCanvas, waitFor, waitForState } from '../helpers/viewer.ts';

// axe-core (through chai-a11y-axe) on every state the element can be in.
describe('accessibility of every state', () => {
  it('idle', async () => {
    const el = await openViewer();
    expect(el.state).to.equal('idle');
    await expect(el).to.be.accessible();
  });

  it('loading', async () => {
    const id = await createScenario('report', { latency: 1500 });
    const el = await openViewer();
    el.token = await mintToken(id);
    el.src = contentUrl(id);
    await waitForState(el, ['loading']);
    await expect(el).to.be.accessible();
  });

  it('password', async () => {
    const id = await createScenario('protected');
    const el = await openViewer();
    el.passwordUrl = `${backendUrl}/api/documents/${id}/password-token`;
    el.src = contentUrl(id);
    await waitForState(el, ['password']);
    await waitFor(() => el.shadowRoot!.querySelector<HTMLDialogElement>('[part="password-dialog"]')?.open);
    await expect(el).to.be.accessible();
  });

  it('ready, on a tagged document with its structure tree and text layer', async () => {
    const id = await createScenario('report');
    const el = await openViewer();
    el.token = await mintToken(id, { permissions: ['read', 'copy', 'print', 'download'] });
    el.src = contentUrl(id);
    await waitForState(el, ['ready']);
    await renderedCanvas(el, 1);
    await waitFor(() => el.shadowRoot!.querySelector('.page[data-page-number="1"] .structTree'));
    await expect(el).to.be.accessible();
  });

  it('ready with the sidebar open, on the outline and on the thumbnails', async () => {
    const id = await createScenario('report');
    const el = await openViewer();
    el.token = await mintToken(id, { permissions: ['read', 'copy'] });
    el.src = contentUrl(id);
    await waitForState(el, ['ready']);
    el.sidebarOpen = true;
    await waitFor(() => el.shadowRoot!.querySelector('[part~="outline"] [role="treeitem"]'));
    await expect(el).to.be.accessible();
    el.shadowRoot!.querySelector<HTMLElement>('[part~="thumbnails-tab"]')!.click();
    await waitFor(() => el.shadowRoot!.querySelector('[part~="thumbnail"] canvas'));
    await expect(el).to.be.accessible();
  });

  it('error', async () => {
    const el = await openViewer();
    el.token = await mintToken('sample');
    el.src = contentUrl('no-such-document');
    await waitForState(el, ['error']);
    await expect(el).to.be.accessible();
  });
});
