// Reader features whose code is a chunk loaded on first use, used before that chunk has arrived.
// Each test is the first use of its feature in this file's page (modules load once per page), and
// checks that its code was not there yet.
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { SecureViewer } from '../src/index.ts';
import { backendUrl, contentUrl, createScenario, mintToken } from './helpers/backend.ts';
import { inkIn, openViewer, pageElement, renderedCanvas, sleep, waitFor, waitForState } from './helpers/viewer.ts';

/** Whether the page has fetched the module (the sources are served one module per file). */
function loaded(module: string): boolean {
  return performance.getEntriesByType('resource').some((entry) => new URL(entry.name).pathname.endsWith(module));
}

async function readyViewer(document: string, permissions = ['read']): Promise<SecureViewer> {
  const id = await createScenario(document);
  const el = await openViewer();
  el.token = await mintToken(id, { permissions });
  el.src = contentUrl(id);
  await waitForState(el, ['ready']);
  await renderedCanvas(el, 1);
  return el;
}

function part(el: SecureViewer, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
}

describe('features loaded on first use', () => {
  it('sidebar: opened with F4 before its content has loaded, the box is there at once, then the outline, with focus in it', async () => {
    const el = await readyViewer('report');
    expect(loaded('/src/ui/sidebar/sidebar-panel.ts'), 'the sidebar content before first use').to.equal(false);
    const viewportLeft = part(el, 'viewport')!.getBoundingClientRect().left;
    part(el, 'viewport')!.focus();
    await sendKeys({ press: 'F4' });
    await el.updateComplete;
    expect(el.sidebarOpen).to.equal(true);
    expect(part(el, 'sidebar')!.hidden).to.equal(false);
    expect(part(el, 'viewport')!.getBoundingClientRect().left).to.be.greaterThan(viewportLeft + 100);
    await waitFor(() => el.shadowRoot!.querySelector('[part~="outline"] [role="treeitem"]'));
    await waitFor(() => part(el, 'sidebar')!.contains(el.shadowRoot!.activeElement));
    await expect(el).to.be.accessible();
  });

  it('touch: a pinch made before the gesture code has loaded is applied when it arrives', async () => {
    const el = await readyViewer('report');
    el.zoom = 1;
    await waitFor(() => Math.abs((pageElement(el, 1)?.clientWidth ?? 0) - 816) < 3);
    // Not a touch screen: nothing loads the gestures before the first touch.
    expect(loaded('/src/ui/touch/touch-gestures.ts'), 'the gestures before first use').to.equal(false);
    const viewport = part(el, 'viewport')!;
    const box = viewport.getBoundingClientRect();
    const x = box.left + box.width * 0.4;
    const y = box.top + box.height * 0.5;
    const fingers = (spread: number) => [
      new Touch({ identifier: 0, target: viewport, clientX: x - spread, clientY: y }),
      new Touch({ identifier: 1, target: viewport, clientX: x + spread, clientY: y }),
    ];
    const send = (type: string, touches: Touch[], changed = touches) =>
      viewport.dispatchEvent(new TouchEvent(type, { touches, targetTouches: touches, changedTouches: changed, bubbles: true, cancelable: true, composed: true }));
    // The whole gesture in one go: its code cannot have arrived in between.
    send('touchstart', fingers(50));
    send('touchmove', fingers(75));
    send('touchmove', fingers(100));
    send('touchend', [], fingers(100));
    await waitFor(() => el.zoom === 2, 5_000, () => `zoom ${String(el.zoom)}`);
    await waitFor(() => Math.abs(pageElement(el, 1)!.clientWidth - 1632) < 4);
    expect(el.shadowRoot!.querySelector<HTMLElement>('.pdfViewer')!.style.transform).to.equal('');
  });

  it('find: closed again before the find bar has loaded, it stays closed; opened, its field takes focus once there', async () => {
    const el = await readyViewer('sample', ['read', 'copy']);
    expect(loaded('/src/ui/find/find-bar.ts'), 'the find bar before first use').to.equal(false);
    const ctrlF = () => el.dispatchEvent(new KeyboardEvent('keydown', { key: 'f', ctrlKey: true, bubbles: true, composed: true, cancelable: true }));
    ctrlF();
    part(el, 'find-button')!.click();
    await waitFor(() => loaded('/src/ui/find/find-bar.ts'));
    await sleep(300);
    expect(part(el, 'find-bar')).to.equal(null);
    expect(part(el, 'find-button')!.getAttribute('aria-expanded')).to.equal('false');
    ctrlF();
    const input = await waitFor(() => part(el, 'find-input'));
    await waitFor(() => el.shadowRoot!.activeElement === input);
    expect(part(el, 'find-button')!.getAttribute('aria-expanded')).to.equal('true');
    await expect(el).to.be.accessible();
  });

  it('print: under way from the press on (busy until its code is there), and Escape before that cancels it', async () => {
    const el = await readyViewer('sample', ['read', 'print']);
    expect(loaded('/src/export/print.ts'), 'the print code before first use').to.equal(false);
    const button = () => part(el, 'print-button') as HTMLButtonElement;
    const print = window.print;
    let printed = 0;
    window.print = () => {
      printed++;
    };
    try {
      button().click();
      await el.updateComplete;
      expect(button().disabled, 'busy while the print code loads').to.equal(true);
      el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
      await waitFor(() => loaded('/src/export/print.ts'));
      await sleep(500);
      expect(printed, 'print dialogs').to.equal(0);
      expect(document.querySelector('[data-secure-viewer-print]')).to.equal(null);
      expect(button().getAttribute('aria-label')).to.equal('Print');
      expect(button().disabled).to.equal(false);
      // And it prints when asked again, showing how far it got.
      const labels = new Set<string>();
      const watcher = new MutationObserver(() => labels.add(button()?.getAttribute('aria-label') ?? ''));
      watcher.observe(el.shadowRoot!, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label'] });
      button().click();
      await waitFor(() => printed === 1, 10_000, () => 'no print dialog');
      watcher.disconnect();
      expect([...labels].some((label) => label.startsWith('Preparing to print')), [...labels].join(' | ')).to.equal(true);
    } finally {
      window.print = print;
    }
  });

  it('watermark: set on an open document and printed at once, before its code has loaded, it is in the print and on the pages', async () => {
    const el = await readyViewer('sample', ['read', 'print']);
    expect(loaded('/src/pdf/watermark.ts'), 'the watermark code before first use').to.equal(false);
    expect(inkIn(await renderedCanvas(el, 1), 0.75, 0.98), 'no mark yet').to.equal(0);
    const print = window.print;
    let printed: HTMLImageElement[] = [];
    window.print = () => {
      printed = [...document.querySelectorAll<HTMLImageElement>('[data-secure-viewer-print] img')];
    };
    try {
      el.watermark = 'CONFIDENTIAL';
      await el.updateComplete;
      const done = el.print();
      await waitFor(() => printed.length > 0, 20_000, () => 'no print dialog');
      await done;
    } finally {
      window.print = print;
    }
    expect(printed).to.have.length(3);
    for (const image of printed) {
      const canvas = document.createElement('canvas');
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      canvas.getContext('2d')!.drawImage(image, 0, 0);
      expect(inkIn(canvas, 0.75, 0.98), 'the mark on a printed page').to.be.greaterThan(0.005);
    }
    // The pages on screen are drawn again, with the mark.
    await waitFor(async () => inkIn(await renderedCanvas(el, 1), 0.75, 0.98) > 0.005, 10_000, () => 'page 1 not marked');
  });

  it('password: a question dropped while the dialog loads never opens it; the next one does', async () => {
    const id = await createScenario('protected');
    const el = await openViewer();
    const asked: string[] = [];
    el.addEventListener('sv-password-required', (event) => asked.push(event.detail.kind));
    expect(loaded('/src/ui/password/password-dialog.ts'), 'the dialog before first use').to.equal(false);
    el.passwordUrl = `${backendUrl}/api/documents/${id}/password-token`;
    el.src = contentUrl(id);
    await el.updateComplete;
    await sleep(0);
    // The document goes away while the dialog's code is on its way.
    el.src = null;
    await waitFor(() => loaded('/src/ui/password/password-dialog.ts'));
    await sleep(300);
    expect(el.state).to.equal('idle');
    expect(el.shadowRoot!.querySelector('[part="password-dialog"]')).to.equal(null);
    expect(asked).to.deep.equal([]);
    el.src = contentUrl(id);
    await waitFor(() => el.shadowRoot!.querySelector<HTMLDialogElement>('[part="password-dialog"]')?.open);
    expect(el.state).to.equal('password');
    expect(asked).to.deep.equal(['access']);
  });
});
