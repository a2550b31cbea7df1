import { expect, fixture, html } from '@open-wc/testing';
import '../../src/index.ts';
import type { SecureViewer, ViewerState } from '../../src/index.ts';
import { contentUrl, createScenario, mintToken } from './backend.ts';

// Tests read resource timing to prove no URL carries a token; the default buffer (250 entries)
// would silently stop recording halfway through a test file.
performance.setResourceTimingBufferSize(100_000);

export interface ViewerSetup {
  src?: string | null;
  token?: string | null;
  style?: string;
}

/** A viewer in the test page, sized like a typical embed. */
export async function openViewer(setup: ViewerSetup = {}): Promise<SecureViewer> {
  const el = await fixture<SecureViewer>(html`<secure-viewer style=${setup.style ?? 'height: 600px; width: 700px'}></secure-viewer>`);
  if (setup.token !== undefined) el.token = setup.token;
  if (setup.src !== undefined) el.src = setup.src;
  return el;
}

/** Resolves when the viewer reaches one of `states`; rejects with what it reached instead on timeout. */
export function waitForState(el: SecureViewer, states: ViewerState[], timeoutMs = 15_000): Promise<ViewerState> {
  return waitFor(() => (states.includes(el.state) ? el.state : null), timeoutMs, () => `state ${el.state} (${el.error?.code ?? 'no error'}), wanted ${states.join('|')}`);
}

export async function waitFor<T>(
  probe: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
  describe?: () => string,
): Promise<T> {
  const start = performance.now();
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (performance.now() - start > timeoutMs) throw new Error(`timed out: ${describe?.() ?? 'condition not met'}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function pageElement(el: SecureViewer, page: number): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(`.page[data-page-number="${page}"]`);
}

/** Waits until pdf.js has finished drawing page `page` and returns its canvas. */
export function renderedCanvas(el: SecureViewer, page: number, timeoutMs = 15_000): Promise<HTMLCanvasElement> {
  return waitFor(
    () => {
      const node = pageElement(el, page);
      const canvas = node?.querySelector('canvas');
      return node?.getAttribute('data-rendered') === 'true' && canvas && canvas.width > 0 ? canvas : null;
    },
    timeoutMs,
    () => `page ${page} not rendered (state ${el.state})`,
  );
}

/** RGBA at a point given as fractions of the canvas size. */
export function pixelAt(canvas: HTMLCanvasElement, x: number, y: number): [number, number, number, number] {
  const ctx = canvas.getContext('2d')!;
  const data = ctx.getImageData(Math.floor(canvas.width * x), Math.floor(canvas.height * y), 1, 1).data;
  return [data[0]!, data[1]!, data[2]!, data[3]!];
}

/** Share of pixels in a horizontal band (fractions of the height) of the canvas that are not white. */
export function inkIn(canvas: HTMLCanvasElement, top: number, bottom: number): number {
  const ctx = canvas.getContext('2d')!;
  const y = Math.floor(canvas.height * top);
  const h = Math.max(1, Math.floor(canvas.height * (bottom - top)));
  const data = ctx.getImageData(0, y, canvas.width, h).data;
  let ink = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i]! < 245 || data[i + 1]! < 245 || data[i + 2]! < 245) ink++;
  return ink / (data.length / 4);
}

/** All canvases pdf.js currently keeps drawn in the viewer. */
export function liveCanvases(el: SecureViewer): number {
  return [...el.shadowRoot!.querySelectorAll<HTMLCanvasElement>('.page canvas')].filter((c) => c.width > 0).length;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Opens a fresh viewer on the sample document and checks that page 1 is drawn (ink on the canvas),
 * with long waits: for tests where pdf.js itself is set up differently (no worker, a host's pdf.js).
 */
export async function openSampleAndExpectDrawn(): Promise<SecureViewer> {
  const id = await createScenario('sample');
  const el = await openViewer({ token: await mintToken(id), src: contentUrl(id) });
  await waitForState(el, ['ready', 'error'], 30_000);
  expect(el.error).to.equal(null);
  const canvas = await renderedCanvas(el, 1, 30_000);
  const samples = [0.2, 0.4, 0.6].map((y) => pixelAt(canvas, 0.5, y).slice(0, 3).join());
  expect(samples.some((rgb) => rgb !== '255,255,255'), 'ink on page 1').to.equal(true);
  return el;
}
