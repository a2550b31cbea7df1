// Helpers for the server-rendering tests: a loopback HTTP server around handlers, and reading
// page images back as pixels.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { toNodeListener } from '../node-adapter.ts';

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

export async function serve(handle: (request: Request) => Promise<Response | null>): Promise<TestServer> {
  const server: Server = createServer(toNodeListener(async (request) => (await handle(request)) ?? new Response('Not found', { status: 404 })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface Pixels {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export async function decodeImage(bytes: Uint8Array): Promise<Pixels> {
  const image = await loadImage(Buffer.from(bytes));
  const canvas = createCanvas(image.width, image.height);
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  return { width: image.width, height: image.height, data: context.getImageData(0, 0, image.width, image.height).data };
}

/** Pixels tinted like the watermark (red well above green and blue), in each cell of a grid. */
export function watermarkCells(pixels: Pixels, grid: number): number[] {
  const counts = new Array<number>(grid * grid).fill(0);
  for (let y = 0; y < pixels.height; y++) {
    for (let x = 0; x < pixels.width; x++) {
      const i = (y * pixels.width + x) * 4;
      const [r, g, b] = [pixels.data[i]!, pixels.data[i + 1]!, pixels.data[i + 2]!];
      if (r - g > 25 && r - b > 25) counts[Math.floor((y * grid) / pixels.height) * grid + Math.floor((x * grid) / pixels.width)]!++;
    }
  }
  return counts;
}

/** Dark pixels (page content such as text). */
export function darkPixels(pixels: Pixels): number {
  let count = 0;
  for (let i = 0; i < pixels.data.length; i += 4) if (pixels.data[i]! < 100 && pixels.data[i + 1]! < 100 && pixels.data[i + 2]! < 100) count++;
  return count;
}
