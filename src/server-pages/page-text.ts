import { ViewerError } from '../errors.ts';

/** One run of a page's text, in PDF points from the page's top left (the server's `…/text`). */
export interface TextRun {
  str: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Rotation about the run's top left, in radians (absent for upright text). */
  angle?: number;
  eol: boolean;
}

/** A page's text as the server gives it. */
export interface PageText {
  page: number;
  width: number;
  height: number;
  items: TextRun[];
}

/** A box on a page, as fractions of the page's width and height (so it holds at every zoom). */
export interface PageBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** One match of a search: its page and the boxes that cover it. */
export interface TextMatch {
  page: number;
  boxes: PageBox[];
}

function invalidText(): ViewerError {
  return new ViewerError('invalid-document', { message: 'The server\u2019s page text is not in the expected form.' });
}

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Checks a page text's JSON; anything else is `invalid-document`. */
export function parsePageText(value: unknown): PageText {
  if (typeof value !== 'object' || value === null) throw invalidText();
  const { page, width, height, items } = value as Record<string, unknown>;
  if (!finite(page) || !finite(width) || !finite(height) || width <= 0 || height <= 0 || !Array.isArray(items)) throw invalidText();
  return {
    page,
    width,
    height,
    items: items.map((item: unknown) => {
      const run = item as Record<string, unknown> | null;
      if (!run || typeof run['str'] !== 'string' || !finite(run['x']) || !finite(run['y']) || !finite(run['width']) || !finite(run['height'])) throw invalidText();
      const angle = finite(run['angle']) && run['angle'] !== 0 ? { angle: run['angle'] } : {};
      return { str: run['str'], x: run['x'], y: run['y'], width: run['width'], height: run['height'], ...angle, eol: run['eol'] === true };
    }),
  };
}

/** Case and accents do not matter to a search; each UTF-16 unit stays one unit, so places hold. */
function foldUnit(unit: string): string {
  const base = unit.normalize('NFD')[0] ?? unit;
  const lower = base.toLowerCase();
  const folded = lower.length === 1 ? lower : base.length === 1 ? base : unit;
  return /\s/.test(folded) ? ' ' : folded;
}

function fold(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += foldUnit(text[i]!);
  return out;
}

/**
 * Every match of `query` on a page, case- and accent-insensitive, across runs (a line end counts
 * as a space). Each match's boxes cover its part of each run it spans, measured by characters.
 */
export function findInPage(text: PageText, query: string): TextMatch[] {
  const needle = fold(query.trim().replace(/\s+/g, ' '));
  if (needle === '') return [];
  // The page's text as one string, and for each unit the run it came from (-1: a line end).
  let flat = '';
  const owner: number[] = [];
  const offset: number[] = [];
  text.items.forEach((run, index) => {
    flat += fold(run.str);
    for (let i = 0; i < run.str.length; i++) {
      owner.push(index);
      offset.push(i);
    }
    if (run.eol && !/\s$/.test(run.str)) {
      flat += ' ';
      owner.push(-1);
      offset.push(0);
    }
  });
  const matches: TextMatch[] = [];
  for (let at = flat.indexOf(needle); at >= 0; at = flat.indexOf(needle, at + Math.max(needle.length, 1))) {
    const spans = new Map<number, [number, number]>();
    for (let i = at; i < at + needle.length; i++) {
      const run = owner[i];
      if (run === undefined || run < 0) continue;
      const span = spans.get(run);
      spans.set(run, span ? [span[0], offset[i]! + 1] : [offset[i]!, offset[i]! + 1]);
    }
    const boxes = [...spans].map(([index, [from, to]]) => {
      const run = text.items[index]!;
      const length = run.str.length || 1;
      const x = run.x + (run.width * from) / length;
      return { left: x / text.width, top: run.y / text.height, width: (run.width * (to - from)) / length / text.width, height: run.height / text.height };
    });
    if (boxes.length > 0) matches.push({ page: text.page, boxes });
  }
  return matches;
}
