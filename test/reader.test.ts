import { expect } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import type { SecureViewer } from '../src/index.ts';
import { contentUrl, createScenario, mintToken } from './helpers/backend.ts';
import { engine, NOT_IN_ENGINE, onlyIn } from './helpers/engine.ts';
import { inkIn, openViewer, pageElement, pixelAt, renderedCanvas, sleep, waitFor, waitForState } from './helpers/viewer.ts';

async function readyViewer(document: string, permissions: string[], extra: { watermark?: string; sub?: string; style?: string } = {}): Promise<SecureViewer> {
  const id = await createScenario(document);
  const el = await openViewer(extra.style ? { style: extra.style } : {});
  if (extra.watermark) el.watermark = extra.watermark;
  el.token = await mintToken(id, { permissions, ...(extra.sub ? { sub: extra.sub } : {}) });
  el.src = contentUrl(id);
  await waitForState(el, ['ready']);
  await renderedCanvas(el, 1);
  return el;
}

/** Presses a key with Control held, as a reader would. */
async function withControl(key: string): Promise<void> {
  await sendKeys({ down: 'Control' });
  await sendKeys({ press: key });
  await sendKeys({ up: 'Control' });
}

function part(el: SecureViewer, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
}

function click(el: SecureViewer, name: string): void {
  const button = part(el, name) as HTMLButtonElement | null;
  expect(button, name).to.exist;
  expect(button!.disabled, `${name} disabled`).to.equal(false);
  button!.click();
}


describe('toolbar', () => {
  it('navigates with previous/next and the page field', async () => {
    const el = await readyViewer('long', ['read']);
    click(el, 'next-button');
    await waitFor(() => el.page === 2);
    click(el, 'previous-button');
    await waitFor(() => el.page === 1);
    const input = part(el, 'page-input') as HTMLInputElement;
    input.value = '42';
    input.dispatchEvent(new Event('change'));
    await waitFor(() => el.page === 42);
    await renderedCanvas(el, 42);
    expect(el.shadowRoot!.querySelector('.page-count')!.textContent).to.include('500');
    expect((part(el, 'previous-button') as HTMLButtonElement).disabled).to.equal(false);
  });

  it('zooms in and out, fits width and page, and rotates', async () => {
    const el = await readyViewer('sample', ['read']);
    el.zoom = 1;
    const width = () => pageElement(el, 1)!.clientWidth;
    await waitFor(() => Math.abs(width() - 816) < 3);
    const before = width();
    click(el, 'zoom-in-button');
    await waitFor(() => width() > before * 1.05);
    expect(el.zoom).to.be.a('number').greaterThan(1);
    click(el, 'zoom-out-button');
    click(el, 'zoom-out-button');
    await waitFor(() => width() < before * 0.95);
    click(el, 'fit-width-button');
    await waitFor(() => el.zoom === 'page-width');
    const viewport = part(el, 'viewport')!;
    await waitFor(() => Math.abs(width() - viewport.clientWidth) < 60);
    click(el, 'fit-page-button');
    await waitFor(() => el.zoom === 'page-fit');
    await waitFor(() => pageElement(el, 1)!.clientHeight <= viewport.clientHeight);
    const portrait = pageElement(el, 1)!.getBoundingClientRect();
    expect(portrait.height).to.be.greaterThan(portrait.width);
    click(el, 'rotate-button');
    await waitFor(() => {
      const box = pageElement(el, 1)!.getBoundingClientRect();
      return box.width > box.height;
    });
    // The rotated page still shows its red rectangle.
    const canvas = await renderedCanvas(el, 1);
    await waitFor(() => canvas.width > canvas.height || null);
  });

  it('folds secondary tools into a menu on narrow widths', async () => {
    const el = await readyViewer('sample', ['read'], { style: 'height: 500px; width: 340px' });
    const fit = part(el, 'fit-width-button')!;
    expect(getComputedStyle(fit.parentElement!).display).to.equal('none');
    click(el, 'more-button');
    await el.updateComplete;
    expect(getComputedStyle(fit.parentElement!).display).to.equal('flex');
    expect(part(el, 'more-button')!.getAttribute('aria-expanded')).to.equal('true');
  });

  it('hides with no-toolbar', async () => {
    const el = await readyViewer('sample', ['read']);
    el.noToolbar = true;
    await el.updateComplete;
    expect(part(el, 'toolbar')).to.equal(null);
    expect(el.hasAttribute('no-toolbar')).to.equal(false);
  });
});

describe('keyboard', () => {
  onlyIn(['chromium', 'firefox'], NOT_IN_ENGINE.heldKeys)('turns pages with PageDown/PageUp and arrows, jumps with Home/End, zooms with Ctrl', async () => {
    const el = await readyViewer('long', ['read']);
    part(el, 'viewport')!.focus();
    await sendKeys({ press: 'PageDown' });
    await waitFor(() => el.page === 2);
    await sendKeys({ press: 'ArrowRight' });
    await waitFor(() => el.page === 3);
    await sendKeys({ press: 'PageUp' });
    await waitFor(() => el.page === 2);
    await sendKeys({ press: 'End' });
    await waitFor(() => el.page === 500);
    await sendKeys({ press: 'Home' });
    await waitFor(() => el.page === 1);
    el.zoom = 1;
    await el.updateComplete;
    await withControl('Equal');
    await waitFor(() => typeof el.zoom === 'number' && el.zoom > 1);
    await withControl('Minus');
    await withControl('Minus');
    await waitFor(() => typeof el.zoom === 'number' && el.zoom < 1);
    await withControl('Digit0');
    await waitFor(() => el.zoom === 'auto');
  });

  onlyIn(['chromium', 'firefox'], NOT_IN_ENGINE.heldKeys)('shows a visible focus ring on the viewport', async () => {
    const el = await readyViewer('sample', ['read']);
    part(el, 'next-button')!.focus();
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    await sendKeys({ press: 'Tab' });
    const focused = el.shadowRoot!.activeElement as HTMLElement;
    expect(focused).to.exist;
    const style = getComputedStyle(focused);
    expect(style.outlineStyle !== 'none' || style.boxShadow !== 'none').to.equal(true);
  });
});

describe('find', () => {
  onlyIn(['chromium', 'firefox'], NOT_IN_ENGINE.heldKeys)('finds text on later pages, highlights it, and steps through matches', async () => {
    const el = await readyViewer('long', ['read', 'copy']);
    part(el, 'viewport')!.focus();
    await withControl('KeyF');
    const input = await waitFor(() => part(el, 'find-input') as HTMLInputElement | null);
    input.value = 'Page 321';
    input.dispatchEvent(new Event('input'));
    await waitFor(() => el.page === 321, 30_000, () => `page ${el.page}, status ${el.shadowRoot!.querySelector('.find-status')?.textContent}`);
    await waitFor(() => el.shadowRoot!.querySelector('.find-status')!.textContent!.includes('of'), 30_000);
    await waitFor(() => pageElement(el, 321)!.querySelector('.highlight'), 10_000);
    expect(el.shadowRoot!.querySelector('.find-status')!.textContent).to.match(/^1 of \d+$/);
    click(el, 'find-close-button');
    await el.updateComplete;
    expect(part(el, 'find-bar')).to.equal(null);
  });
});

describe('permissions', () => {
  it('read only: no download or print button, no text to select or copy', async () => {
    const el = await readyViewer('sample', ['read']);
    expect(el.permissions).to.deep.equal(['read']);
    expect(part(el, 'download-button')).to.equal(null);
    expect(part(el, 'print-button')).to.equal(null);
    expect(pageElement(el, 1)!.querySelector('.textLayer span')).to.equal(null);
    const copy = new Event('copy', { bubbles: true, composed: true, cancelable: true });
    part(el, 'viewport')!.dispatchEvent(copy);
    expect(copy.defaultPrevented).to.equal(true);
    // WebKit computes only the prefixed property (the stylesheet sets both).
    const style = getComputedStyle(part(el, 'viewport')!);
    expect(style.getPropertyValue('user-select') || style.getPropertyValue('-webkit-user-select')).to.equal('none');
  });

  it('+ download: saves the whole file through the authorized fetch', async () => {
    const el = await readyViewer('long', ['read', 'download']);
    expect(part(el, 'print-button')).to.equal(null);
    const saved: Array<{ href: string; name: string }> = [];
    const original = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      if (this.download) saved.push({ href: this.href, name: this.download });
      else original.call(this);
    };
    try {
      click(el, 'download-button');
      await waitFor(() => saved.length === 1, 30_000);
    } finally {
      HTMLAnchorElement.prototype.click = original;
    }
    expect(saved[0]!.href).to.match(/^blob:/);
    expect(saved[0]!.name).to.match(/\.pdf$/);
    const bytes = new Uint8Array(await (await fetch(saved[0]!.href)).arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).to.equal('%PDF-');
    expect(new TextDecoder().decode(bytes.slice(-6))).to.include('EOF');
  });

  it('+ print: prints every page, watermarked, and nothing else of the host page', async () => {
    const el = await readyViewer('sample', ['read', 'print'], { watermark: 'CONFIDENTIAL {sub}', sub: 'alice@example.com' });
    expect(part(el, 'download-button')).to.equal(null);
    let printed: HTMLImageElement[] = [];
    const original = window.print;
    window.print = () => {
      printed = [...document.querySelectorAll<HTMLImageElement>('[data-secure-viewer-print] img')];
    };
    try {
      click(el, 'print-button');
      await waitFor(() => printed.length > 0, 20_000);
    } finally {
      window.print = original;
    }
    expect(printed).to.have.length(3);
    const canvas = document.createElement('canvas');
    canvas.width = printed[0]!.naturalWidth;
    canvas.height = printed[0]!.naturalHeight;
    canvas.getContext('2d')!.drawImage(printed[0]!, 0, 0);
    expect(inkIn(canvas, 0.75, 0.98)).to.be.greaterThan(0.005);
    await waitFor(() => !document.querySelector('[data-secure-viewer-print]'));
  });

  it('+ copy: a text layer to select from', async () => {
    const el = await readyViewer('sample', ['read', 'copy']);
    await waitFor(() => pageElement(el, 1)!.querySelector('.textLayer span'));
    const copy = new Event('copy', { bubbles: true, composed: true, cancelable: true });
    part(el, 'viewport')!.dispatchEvent(copy);
    expect(copy.defaultPrevented).to.equal(false);
  });

  it('lets the host override the token permissions', async () => {
    const el = await readyViewer('sample', ['read']);
    el.permissions = ['read', 'download', 'print'];
    await el.updateComplete;
    expect(part(el, 'download-button')).to.exist;
    expect(part(el, 'print-button')).to.exist;
  });
});

describe('memory', () => {
  onlyIn(['chromium'], NOT_IN_ENGINE.gc)("lets go of a page's text once the page has left the view", async () => {
    const el = await readyViewer('long', ['read', 'copy']);
    // Only a weak reference: the test itself must not keep the span alive.
    const text = await waitFor(() => {
      const span = pageElement(el, 1)!.querySelector('.textLayer span');
      return span ? new WeakRef(span) : null;
    });
    // pdf.js keeps about ten pages drawn; jumping further on evicts page 1 and removes its layer.
    for (const page of [40, 80, 120, 160, 200, 240, 280, 320, 360, 400, 440, 480]) {
      el.goToPage(page);
      await renderedCanvas(el, page);
    }
    await waitFor(() => !pageElement(el, 1)!.querySelector('.textLayer span'));
    const collect = (globalThis as { gc?: () => void }).gc;
    expect(collect, 'the test browser exposes gc()').to.be.a('function');
    // The element lets go when pdf.js next draws a page (it may still be drawing one ahead), and
    // a WeakRef holds its target until the current task ends: collect in later tasks until gone.
    // (A boolean: chai would walk the whole DOM to describe a live span.)
    await waitFor(
      () => {
        collect!();
        return text.deref() === undefined;
      },
      10_000,
      () => 'a span of the removed text layer is still held',
    );
  });
});

describe('watermark', () => {
  it('is drawn into every rendered page canvas', async () => {
    const plain = await readyViewer('sample', ['read']);
    const marked = await readyViewer('sample', ['read'], { watermark: '{sub} · {date}', sub: 'alice@example.com' });
    for (const page of [1, 2, 3]) {
      plain.goToPage(page);
      marked.goToPage(page);
      const clean = await renderedCanvas(plain, page);
      const canvas = await renderedCanvas(marked, page);
      await sleep(50);
      expect(inkIn(clean, 0.75, 0.98), `page ${page} without`).to.equal(0);
      expect(inkIn(canvas, 0.75, 0.98), `page ${page} with`).to.be.greaterThan(0.005);
      // The document's own colours still show through.
      const [r, g, b] = pixelAt(canvas, 0.5, 0.3);
      expect(Math.max(r, g, b)).to.be.greaterThan(150);
    }
  });

  it('renders markup in the template literally', async () => {
    const el = await readyViewer('sample', ['read'], { watermark: '<img src=x onerror=alert(1)> {sub}', sub: '<b>bob</b>' });
    await renderedCanvas(el, 1);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    expect(el.shadowRoot!.querySelector('b')).to.equal(null);
  });
});

describe('theme and accessibility', () => {
  afterEach(async () => {
    if (engine === 'chromium') await emulateMedia({ colorScheme: 'light' });
  });

  onlyIn(['chromium'], NOT_IN_ENGINE.colorScheme)('follows a dark colour scheme', async () => {
    const el = await readyViewer('sample', ['read']);
    const light = getComputedStyle(part(el, 'toolbar')!).backgroundColor;
    await emulateMedia({ colorScheme: 'dark' });
    await waitFor(() => getComputedStyle(part(el, 'toolbar')!).backgroundColor !== light);
    expect(getComputedStyle(part(el, 'toolbar')!).backgroundColor).to.equal('rgb(45, 51, 59)');
    expect(getComputedStyle(el).backgroundColor).to.equal('rgb(34, 39, 46)');
  });

  it('takes --sv-* custom properties', async () => {
    const el = await readyViewer('sample', ['read']);
    el.style.setProperty('--sv-toolbar-background', 'rgb(1, 2, 3)');
    expect(getComputedStyle(part(el, 'toolbar')!).backgroundColor).to.equal('rgb(1, 2, 3)');
  });

  it('is accessible while loading, ready and in error', async () => {
    const id = await createScenario('large', { latency: 800 });
    const el = await openViewer();
    el.token = await mintToken(id);
    el.src = contentUrl(id);
    await waitForState(el, ['loading']);
    await expect(el).to.be.accessible();
    await waitForState(el, ['ready']);
    await expect(el).to.be.accessible();
    el.src = contentUrl('no-such-document');
    await waitForState(el, ['error']);
    await expect(el).to.be.accessible();
  });

  it('announces page changes', async () => {
    const el = await readyViewer('sample', ['read']);
    el.goToPage(3);
    await waitFor(() => el.shadowRoot!.querySelector('[aria-live="polite"]')!.textContent === 'Page 3 of 3');
  });
});
