import type { OutlineEntry } from '../pdf/outline.ts';
import type { ServerOutlineItem } from './manifest.ts';

/**
 * The manifest's bookmarks as the sidebar shows them. A destination is pdf.js's explicit form
 * with a page index (`[index]`), which the server-rendered view follows too; null goes nowhere.
 */
export function serverOutline(items: readonly ServerOutlineItem[], prefix = ''): OutlineEntry[] {
  return items.map((item, index) => {
    const id = prefix ? `${prefix}.${index}` : String(index);
    return {
      id,
      title: item.title.replace(/[\u0000-\u001f\u007f]/g, ' ').trim() || '\u2014',
      destination: item.page === null ? null : [item.page - 1],
      children: serverOutline(item.items, id),
    };
  });
}

/** The page (1-based) an explicit destination with a page index leads to, or null. */
export function destinationPage(destination: string | unknown[]): number | null {
  if (!Array.isArray(destination)) return null;
  const index = destination[0];
  return typeof index === 'number' && Number.isInteger(index) && index >= 0 ? index + 1 : null;
}
