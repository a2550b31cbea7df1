import { ViewerError } from '../errors.ts';
import { fillTemplate } from './manifest.ts';
import { chooseScale } from './scale-choice.ts';
import type { ServerDocument } from './server-document.ts';

/** 150 dpi on paper, as PDF mode prints; as a zoom, that is 150 over the screen's 96. */
const PRINT_ZOOM = 150 / 96;
/** A print asks for every page: past the render budget it waits as the server says, this often. */
const BUDGET_WAITS = 3;

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * Each page's image for printing, from the server (with its watermark, as on screen), at the
 * offered scale nearest above 150 dpi.
 */
export function serverPrintImages(doc: ServerDocument, manifestUrl: string, signal: AbortSignal): (page: number) => Promise<Blob> {
  const { manifest, client } = doc;
  return async (page) => {
    const scale = chooseScale(manifest.scales, PRINT_ZOOM, 1, manifest.pages[page - 1]!, manifest.maxPixels);
    const url = fillTemplate(manifest.urls.image, manifestUrl, { page, scale });
    if (url === null) throw new ViewerError('invalid-document', { message: 'The page images are not on the document\u2019s server.' });
    for (let wait = 0; ; wait++) {
      try {
        return await client.image(url);
      } catch (error) {
        if (!(error instanceof ViewerError) || error.code !== 'rate-limited' || wait >= BUDGET_WAITS || signal.aborted) throw error;
        await sleep(Math.min(error.retryAfter ?? 5, 60) * 1000, signal);
      }
    }
  };
}
