import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** A PDF destination as pdf.js gives it: a name, or an explicit `[page, mode, …]` array. */
export type Destination = string | unknown[];

/** One bookmark of the document's outline. */
export interface OutlineEntry {
  /** Stable within one document: the entry's path, e.g. `0.2.1`. */
  id: string;
  title: string;
  /** Where it leads inside the document; null for bookmarks that only open a URL or do nothing. */
  destination: Destination | null;
  children: OutlineEntry[];
}

interface PdfjsOutlineNode {
  title: string;
  dest: string | unknown[] | null;
  items: PdfjsOutlineNode[];
}

/** Bookmarks deeper than this are not shown (a malformed outline can nest without end). */
const MAX_DEPTH = 16;

/**
 * Reads the document's bookmarks (`getOutline`); an empty list when it has none or they cannot
 * be read. Bookmarks that point outside the document (URLs, scripts) keep their place, without a
 * destination: we never follow them.
 */
export async function readOutline(pdf: PDFDocumentProxy): Promise<OutlineEntry[]> {
  let nodes: PdfjsOutlineNode[] | null;
  try {
    nodes = (await pdf.getOutline()) as PdfjsOutlineNode[] | null;
  } catch {
    return [];
  }
  const convert = (list: PdfjsOutlineNode[], prefix: string, depth: number): OutlineEntry[] =>
    list.map((node, index) => {
      const id = prefix ? `${prefix}.${index}` : String(index);
      return {
        id,
        // Titles are shown as text; control characters would only confuse screen readers.
        title: (node.title ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').trim() || '—',
        destination: typeof node.dest === 'string' || Array.isArray(node.dest) ? node.dest : null,
        children: depth < MAX_DEPTH ? convert(node.items ?? [], id, depth + 1) : [],
      };
    });
  return convert(nodes ?? [], '', 0);
}

/** Entries in reading order with their depth, skipping the children of collapsed entries. */
export function visibleEntries(entries: OutlineEntry[], expanded: ReadonlySet<string>, level = 1): Array<{ entry: OutlineEntry; level: number; parent: OutlineEntry | null }> {
  const out: Array<{ entry: OutlineEntry; level: number; parent: OutlineEntry | null }> = [];
  const walk = (list: OutlineEntry[], depth: number, parent: OutlineEntry | null) => {
    for (const entry of list) {
      out.push({ entry, level: depth, parent });
      if (entry.children.length > 0 && expanded.has(entry.id)) walk(entry.children, depth + 1, entry);
    }
  };
  walk(entries, level, null);
  return out;
}
