import type { TemplateResult } from 'lit';
import { readOutline, visibleEntries, type OutlineEntry } from '../../pdf/outline.ts';
import { THUMBNAIL_WIDTH, ThumbnailPainter } from '../../pdf/thumbnail-painter.ts';
import type { SidebarDocument, SidebarHost, SidebarOptions, ThumbnailPaint } from './sidebar-options.ts';
import { sidebarStyles } from './sidebar.styles.ts';
import { renderSidebar, type OutlineRow, type SidebarActions, type SidebarTab } from './sidebar.ts';
import { format, partStrings, type CoreStrings, type SidebarStrings } from '../../i18n/strings.ts';
import { adoptSheet } from '../../internal/adopt-sheet.ts';

/** Under this width the sidebar folds over the pages instead of pushing them aside. */
const SIDEBAR_OVERLAY_BELOW = 520;
/** Thumbnails this far outside the sidebar's view are drawn ahead, and kept. */
const THUMBNAIL_MARGIN = '400px 0px';

export const SIDEBAR_STRINGS: SidebarStrings = {
  outline: 'Outline',
  thumbnails: 'Thumbnails',
};

export interface SidebarPanelOptions extends SidebarOptions {
  /** Closes the sidebar (a sidebar folded over the pages, after navigating). */
  close(): void;
}

/**
 * What the open sidebar shows and does, loaded the first time it opens: the outline (read when
 * the sidebar first opens) and its tree keyboard, and the thumbnails (built when their tab is
 * first shown; only those near the sidebar's view get a canvas, drawn after the pages in view).
 * Stops everything on a new document and on removal.
 */
export class SidebarPanel {
  readonly #host: SidebarHost;
  readonly #options: SidebarPanelOptions;
  #tab: SidebarTab = 'thumbnails';
  #tabChosen = false;
  #outline: OutlineEntry[] | null = null;
  #outlineFor: object | null = null;
  /** Settles once the outline is read, and with it which tab shows first. */
  #outlineRead: Promise<void> = Promise.resolve();
  readonly #expanded = new Set<string>();
  #focusedEntry: string | null = null;
  #thumbnails: Thumbnails | null = null;

  constructor(host: SidebarHost, options: SidebarPanelOptions) {
    this.#host = host;
    this.#options = options;
    adoptSheet(host.renderRoot, sidebarStyles.styleSheet);
  }

  /** Removed from the page: the thumbnails let go of their canvases. */
  disconnect(): void {
    this.#thumbnails?.destroy();
    this.#thumbnails = null;
  }

  /** A new document (or none): outline and thumbnails are read again when next needed. */
  reset(): void {
    this.disconnect();
    this.#outline = null;
    this.#outlineFor = null;
    this.#expanded.clear();
    this.#focusedEntry = null;
    this.#tabChosen = false;
    this.#tab = 'thumbnails';
  }

  /** The current page changed: its thumbnail is highlighted and kept in the sidebar's view. */
  showPage(page: number): void {
    this.#thumbnails?.setCurrent(page);
  }

  /** After each update of the element: an open thumbnails tab gets its thumbnails. */
  updated(open: boolean): void {
    if (!open || this.#tab !== 'thumbnails') return;
    const panel = this.#host.renderRoot.querySelector<HTMLElement>('#sv-panel-thumbnails');
    const doc = this.#options.document();
    if (!panel || !doc) return;
    const key = documentKey(doc);
    if (this.#thumbnails && !this.#thumbnails.showsIn(panel, key)) {
      this.#thumbnails.destroy();
      this.#thumbnails = null;
    }
    this.#thumbnails ??= new Thumbnails(panel, { ...doc, key, pageSize: pageSize(doc) }, {
      painter: 'pdf' in doc ? new ThumbnailPainter({ pdf: doc.pdf, pages: doc.pages, decorate: (canvas) => this.#options.decorate(canvas) }) : doc.source.painter(),
      label: (page) => {
        const strings = this.#strings();
        return format(strings.pageLabel, { page }, strings);
      },
      go: (page) => this.#navigate(() => this.#host.goToPage(page)),
    });
    // The reader's language changed: the thumbnails' names follow.
    this.#thumbnails.relabel();
  }

  render(open: boolean): TemplateResult {
    const outline = this.#outline === null ? null : this.#rows(this.#outline);
    return renderSidebar({ strings: this.#strings(), open, tab: this.#tab, outline, focusedEntry: this.#focusedEntry }, this.#actions);
  }

  /** Reads the outline once per document; shows it first when there is one. */
  prepare(): void {
    const doc = this.#options.document();
    const key = doc && documentKey(doc);
    if (!doc || this.#outlineFor === key) return;
    this.#outlineFor = key;
    this.#outlineRead = ('pdf' in doc ? readOutline(doc.pdf) : Promise.resolve(doc.source.outline)).then((outline) => {
      if (this.#outlineFor !== key) return;
      this.#outline = outline;
      this.#focusedEntry = outline[0]?.id ?? null;
      if (!this.#tabChosen) this.#tab = outline.length > 0 ? 'outline' : 'thumbnails';
      this.#host.requestUpdate();
    });
  }

  /**
   * Moves focus into the sidebar: the tree's or the thumbnails' tab stop, else the selected tab.
   * Only once the outline is read: it decides the tab, and a tab hidden later would drop focus.
   */
  async focusInside(): Promise<void> {
    await this.#outlineRead;
    await this.#host.updateComplete;
    const root = this.#host.renderRoot;
    const target =
      this.#tab === 'outline'
        ? root.querySelector<HTMLElement>('.outline [role="treeitem"][tabindex="0"]')
        : root.querySelector<HTMLElement>('#sv-panel-thumbnails [tabindex="0"]');
    (target ?? root.querySelector<HTMLElement>('.sidebar [role="tab"][aria-selected="true"]'))?.focus();
  }

  #strings(): CoreStrings & SidebarStrings {
    return partStrings(SIDEBAR_STRINGS, this.#options.strings());
  }

  #rows(outline: OutlineEntry[]): OutlineRow[] {
    const visible = visibleEntries(outline, this.#expanded);
    return visible.map(({ entry, level, parent }) => {
      const siblings = parent ? parent.children : outline;
      return {
        entry,
        level,
        position: siblings.indexOf(entry) + 1,
        siblings: siblings.length,
        expanded: entry.children.length > 0 ? this.#expanded.has(entry.id) : null,
      };
    });
  }

  /** Navigates; a sidebar folded over the pages gets out of the way. */
  #navigate(go: () => void): void {
    go();
    if (this.#host.clientWidth < SIDEBAR_OVERLAY_BELOW) this.#options.close();
  }

  #focusEntry(id: string): void {
    this.#focusedEntry = id;
    this.#host.requestUpdate();
    void this.#host.updateComplete.then(() =>
      this.#host.renderRoot.querySelector<HTMLElement>(`.outline [data-entry="${CSS.escape(id)}"]`)?.focus(),
    );
  }

  readonly #actions: SidebarActions = {
    selectTab: (tab) => {
      this.#tab = tab;
      this.#tabChosen = true;
      this.#host.requestUpdate();
    },
    outlineClick: (entry) => {
      this.#focusedEntry = entry.id;
      this.#host.requestUpdate();
      this.#follow(entry);
    },
    tabKeydown: (event) => {
      const key = inlineKey(event);
      if (key !== 'ArrowLeft' && key !== 'ArrowRight') return;
      event.preventDefault();
      event.stopPropagation();
      const tabs = [...this.#host.renderRoot.querySelectorAll<HTMLElement>('.sidebar [role="tab"]')];
      const index = tabs.indexOf(event.target as HTMLElement);
      const next = tabs[(index + (key === 'ArrowRight' ? 1 : -1) + tabs.length) % tabs.length];
      next?.click();
      next?.focus();
    },
    outlineKeydown: (event) => this.#outlineKey(event),
  };

  #follow(entry: OutlineEntry): void {
    const destination = entry.destination;
    const doc = this.#options.document();
    if (destination === null || !doc) return;
    this.#navigate(() => ('pdf' in doc ? doc.pages.goToDestination(destination) : doc.source.goToDestination(destination)));
  }

  /** The ARIA tree pattern's keys: ↑ ↓ Home End move, → opens or enters, ← closes or leaves, Enter follows. */
  #outlineKey(event: KeyboardEvent): void {
    if (!this.#outline) return;
    const rows = visibleEntries(this.#outline, this.#expanded);
    const index = rows.findIndex((row) => row.entry.id === this.#focusedEntry);
    const row = rows[index];
    if (!row) return;
    const { entry, parent } = row;
    let handled = true;
    switch (inlineKey(event)) {
      case 'ArrowDown':
        if (rows[index + 1]) this.#focusEntry(rows[index + 1]!.entry.id);
        break;
      case 'ArrowUp':
        if (index > 0) this.#focusEntry(rows[index - 1]!.entry.id);
        break;
      case 'Home':
        this.#focusEntry(rows[0]!.entry.id);
        break;
      case 'End':
        this.#focusEntry(rows.at(-1)!.entry.id);
        break;
      case 'ArrowRight':
        if (entry.children.length === 0) break;
        if (this.#expanded.has(entry.id)) this.#focusEntry(entry.children[0]!.id);
        else {
          this.#expanded.add(entry.id);
          this.#host.requestUpdate();
        }
        break;
      case 'ArrowLeft':
        if (this.#expanded.has(entry.id)) {
          this.#expanded.delete(entry.id);
          this.#host.requestUpdate();
        } else if (parent) this.#focusEntry(parent.id);
        break;
      case 'Enter':
      case ' ':
        this.#follow(entry);
        break;
      default:
        handled = false;
    }
    if (handled) {
      event.preventDefault();
      // The reader's keymap (←/→ turn pages, Home/End…) must not also act on these keys.
      event.stopPropagation();
    }
  }
}

/** What stays the same while one document is open: pdf.js's document, or the other source. */
function documentKey(doc: SidebarDocument): object {
  return 'pdf' in doc ? doc.pdf : doc.source.key;
}

/** The first page's size, for the placeholders' shape. */
function pageSize(doc: SidebarDocument): Promise<{ width: number; height: number }> {
  if (!('pdf' in doc)) return Promise.resolve(doc.source.pageSize);
  return doc.pdf.getPage(1).then((page) => page.getViewport({ scale: 1 }));
}

interface ThumbnailsOptions {
  painter: ThumbnailPaint;
  label(page: number): string;
  go(page: number): void;
}

/**
 * The thumbnails panel, built by hand rather than by the template: a thousand placeholders cost
 * nothing, and only those an IntersectionObserver finds near the panel's view get a canvas, which
 * is dropped again when they scroll away.
 */
class Thumbnails {
  readonly #panel: HTMLElement;
  readonly #key: object;
  readonly #options: ThumbnailsOptions;
  readonly #buttons: HTMLButtonElement[] = [];
  readonly #drawing = new Map<number, AbortController>();
  readonly #observer: IntersectionObserver;
  #current = 0;

  constructor(panel: HTMLElement, doc: { key: object; pageSize: Promise<{ width: number; height: number }>; numPages: number; page: number }, options: ThumbnailsOptions) {
    this.#panel = panel;
    this.#key = doc.key;
    this.#options = options;
    this.#observer = new IntersectionObserver((entries) => this.#onIntersect(entries), { root: panel, rootMargin: THUMBNAIL_MARGIN });
    const list = document.createElement('div');
    list.className = 'thumbnail-list';
    for (let page = 1; page <= doc.numPages; page++) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'thumbnail';
      button.setAttribute('part', 'thumbnail');
      button.dataset['page'] = String(page);
      button.tabIndex = -1;
      button.setAttribute('aria-label', options.label(page));
      const frame = document.createElement('span');
      frame.className = 'thumbnail-frame';
      const number = document.createElement('span');
      number.className = 'thumbnail-number';
      number.setAttribute('aria-hidden', 'true');
      number.textContent = String(page);
      button.append(frame, number);
      list.append(button);
      this.#buttons.push(button);
    }
    list.addEventListener('click', this.#onClick);
    list.addEventListener('keydown', this.#onKeydown);
    panel.replaceChildren(list);
    // Placeholders take the first page's shape until drawn.
    void doc.pageSize.then(({ width, height }) => {
      panel.style.setProperty('--thumbnail-ratio', `${width} / ${height}`);
    }, () => {});
    panel.style.setProperty('--thumbnail-width', `${THUMBNAIL_WIDTH}px`);
    this.setCurrent(doc.page);
    for (const button of this.#buttons) this.#observer.observe(button);
  }

  /** Names each thumbnail again, when the label it was given has changed. */
  relabel(): void {
    if (this.#options.label(1) === this.#buttons[0]?.getAttribute('aria-label')) return;
    this.#buttons.forEach((button, index) => button.setAttribute('aria-label', this.#options.label(index + 1)));
  }

  showsIn(panel: HTMLElement, key: object): boolean {
    return panel === this.#panel && key === this.#key && panel.firstElementChild !== null;
  }

  setCurrent(page: number): void {
    const previous = this.#buttons[this.#current - 1];
    const next = this.#buttons[page - 1];
    if (!next) return;
    if (previous) {
      previous.removeAttribute('aria-current');
      previous.tabIndex = -1;
    }
    next.setAttribute('aria-current', 'page');
    next.tabIndex = 0;
    this.#current = page;
    // Keep it in view unless the reader is working in the panel.
    if (!this.#panel.matches(':focus-within') && !this.#panel.hidden) next.scrollIntoView({ block: 'nearest' });
  }

  destroy(): void {
    this.#observer.disconnect();
    for (const abort of this.#drawing.values()) abort.abort();
    this.#drawing.clear();
    this.#options.painter.close();
    for (const canvas of this.#panel.querySelectorAll('canvas')) canvas.width = canvas.height = 0;
    this.#panel.replaceChildren();
  }

  #onIntersect(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      const button = entry.target as HTMLButtonElement;
      const page = Number(button.dataset['page']);
      const frame = button.querySelector<HTMLElement>('.thumbnail-frame')!;
      if (entry.isIntersecting) {
        if (this.#drawing.has(page) || frame.querySelector('canvas')) continue;
        const abort = new AbortController();
        this.#drawing.set(page, abort);
        const canvas = document.createElement('canvas');
        canvas.setAttribute('aria-hidden', 'true');
        void this.#options.painter.paint(page, canvas, abort.signal).then((drawn) => {
          if (this.#drawing.get(page) !== abort) return;
          this.#drawing.delete(page);
          if (drawn) {
            frame.append(canvas);
            button.dataset['drawn'] = 'true';
          } else {
            canvas.width = canvas.height = 0;
          }
        });
      } else {
        // Far from view: stop drawing it, and let its pixels go.
        this.#drawing.get(page)?.abort();
        this.#drawing.delete(page);
        const canvas = frame.querySelector('canvas');
        if (canvas) {
          canvas.width = canvas.height = 0;
          canvas.remove();
          delete button.dataset['drawn'];
        }
      }
    }
  }

  readonly #onClick = (event: Event): void => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button.thumbnail');
    if (button) this.#options.go(Number(button.dataset['page']));
  };

  /** ↑/↓ move between thumbnails (one tab stop for the whole list); Enter and Space go there (native). */
  readonly #onKeydown = (event: KeyboardEvent): void => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button.thumbnail');
    if (!button) return;
    const page = Number(button.dataset['page']);
    const target =
      event.key === 'ArrowDown' ? page + 1 : event.key === 'ArrowUp' ? page - 1 : event.key === 'Home' ? 1 : event.key === 'End' ? this.#buttons.length : 0;
    if (event.key === 'Enter' || event.key === ' ') {
      event.stopPropagation();
      return;
    }
    const next = this.#buttons[target - 1];
    if (!next) return;
    event.preventDefault();
    event.stopPropagation();
    button.tabIndex = -1;
    next.tabIndex = 0;
    next.focus();
  };
}

/**
 * The key as the reader means it: in a right-to-left UI the arrow pointing to the start is the
 * right one, so → and ← swap (the ARIA tab and tree patterns follow the reading direction).
 */
function inlineKey(event: KeyboardEvent): string {
  if (!(event.currentTarget as Element | null)?.matches(':dir(rtl)')) return event.key;
  return event.key === 'ArrowLeft' ? 'ArrowRight' : event.key === 'ArrowRight' ? 'ArrowLeft' : event.key;
}
