// Shared by the Node-side browser suites: Debian's Chromium, and a local HTTP server's lifecycle.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../../scripts/chromium-flags.mjs';

/** Headless Chromium from the system; nothing is downloaded, no background traffic. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_FLAGS],
  });
}

/** Listens on a free loopback port and returns the origin. */
export async function listenLocal(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes a server at once, open connections included. */
export async function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** RGB at (50 %, 30 %) of page 1 of the viewer matching `selector`, once it is drawn. */
export async function firstPagePixel(page: Page, selector = 'secure-viewer'): Promise<number[]> {
  const handle = await page.waitForFunction(
    (sel) => {
      const canvas = document.querySelector(sel)?.shadowRoot?.querySelector<HTMLCanvasElement>('.page[data-page-number="1"][data-rendered="true"] canvas');
      if (!canvas || canvas.width === 0) return null;
      const data = canvas.getContext('2d')!.getImageData(Math.floor(canvas.width * 0.5), Math.floor(canvas.height * 0.3), 1, 1).data;
      return [data[0], data[1], data[2]];
    },
    selector,
    { timeout: 20_000 },
  );
  return (await handle.jsonValue()) as number[];
}
