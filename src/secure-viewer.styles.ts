import { css } from 'lit';

/** The element's own styles; pdf.js's page styles are adopted lazily with the first document. */
export const secureViewerStyles = css`
  /*
   * The host may set display, size, flex and grid placement on the element: the inner layout lives
   * in .frame, which fills the element's box whatever its display. Size containment keeps the
   * content from sizing the element: without a width it fills its line (also as inline-block),
   * without a height it is 600 px tall, and as a grid or flex item it stretches like a div.
   */
  :host {
    display: block;
    position: relative;
    inline-size: -webkit-fill-available;
    inline-size: stretch;
    contain-intrinsic-block-size: 600px;
    overflow: hidden;
    box-sizing: border-box;
    color: var(--sv-color, #1f2328);
    background: var(--sv-background, #e9ecef);
    font-family: var(--sv-font-family, system-ui, sans-serif);
    font-size: var(--sv-font-size, 14px);
    contain: size layout paint;
  }

  :host([hidden]) {
    display: none;
  }

  @media (prefers-color-scheme: dark) {
    :host {
      color: var(--sv-color, #e6edf3);
      background: var(--sv-background, #22272e);
    }
  }

  .frame {
    position: absolute;
    inset: 0;
    display: flex;
    flex-direction: column;
    /* The toolbar folds by the element's width, whatever the page's. */
    container-type: inline-size;
  }

  .stage {
    position: relative;
    flex: 1 1 auto;
    min-block-size: 0;
    /* pdf.js lays pages out and scrolls left to right; the toolbar follows the page's direction. */
    direction: ltr;
  }

  .viewport {
    /* pdf.js requires its scroll container to be absolutely positioned. */
    position: absolute;
    inset: 0;
    overflow: auto;
    outline: none;
    /* Pinch-zoom is the element's (it zooms the document, not the page); scrolling stays native. */
    touch-action: pan-x pan-y;
  }

  .viewport:focus-visible {
    box-shadow: inset 0 0 0 2px var(--sv-focus-color, #0b69d4);
  }

  /*
   * A tagged PDF's structure (headings, paragraphs) owns the text layer's marked-content spans with
   * aria-owns, and Chromium does not follow aria-owns to an element with display: contents (pdf.js's
   * rule). As a plain inline box it adds nothing to the layout: its text spans are positioned
   * against the text layer either way.
   */
  .textLayer .markedContent {
    display: inline;
  }

  .overlay {
    position: absolute;
    inset: 0;
    display: grid;
    place-content: center;
    justify-items: center;
    gap: var(--sv-spacing, 12px);
    padding: var(--sv-spacing, 12px);
    text-align: center;
    background: var(--sv-overlay-background, transparent);
  }

  .overlay[hidden] {
    display: none;
  }

  progress {
    inline-size: min(240px, 60vw);
  }

  [part='error'] {
    background: var(--sv-background, #e9ecef);
  }

  [part='error'] p {
    margin: 0;
    max-inline-size: 40ch;
  }

  button {
    font: inherit;
    padding: 6px 14px;
    border-radius: var(--sv-radius, 6px);
    border: 1px solid var(--sv-border-color, #8c959f);
    background: var(--sv-button-background, #ffffff);
    color: var(--sv-button-color, #1f2328);
    cursor: pointer;
  }

  button:focus-visible {
    outline: 2px solid var(--sv-focus-color, #0b69d4);
    outline-offset: 2px;
  }

  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }

  button:disabled {
    opacity: 0.6;
    cursor: not-allowed;
  }

  .toolbar {
    display: flex;
    flex-wrap: nowrap;
    align-items: center;
    gap: calc(var(--sv-spacing, 12px) / 2);
    padding: calc(var(--sv-spacing, 12px) / 3) calc(var(--sv-spacing, 12px) / 2);
    background: var(--sv-toolbar-background, #f6f8fa);
    color: var(--sv-toolbar-color, var(--sv-color, #1f2328));
    border-block-end: 1px solid var(--sv-border-color, #8c959f);
    position: relative;
    z-index: 1;
  }

  .toolbar .group {
    display: flex;
    align-items: center;
    gap: 2px;
  }

  .toolbar .spacer {
    flex: 1 1 auto;
  }

  button.icon {
    display: inline-grid;
    place-items: center;
    inline-size: 32px;
    block-size: 32px;
    padding: 0;
    border-color: transparent;
    background: transparent;
    color: inherit;
  }

  button.icon:hover:not(:disabled) {
    background: var(--sv-button-hover-background, rgb(127 127 127 / 0.16));
  }

  .page-number input {
    inline-size: 3.5em;
    text-align: center;
    font: inherit;
    padding: 3px 4px;
    border: 1px solid var(--sv-border-color, #8c959f);
    border-radius: var(--sv-radius, 6px);
    background: var(--sv-input-background, #ffffff);
    color: var(--sv-input-color, #1f2328);
  }

  .page-count,
  .zoom-level {
    white-space: nowrap;
    font-variant-numeric: tabular-nums;
  }

  .zoom-level {
    min-inline-size: 4.5ch;
    text-align: center;
  }

  .more-button {
    display: none !important;
  }

  /* Narrow embeds: fit and rotate fold into the "more" menu. */
  @container (max-width: 520px) {
    .more-button {
      display: inline-grid !important;
    }
    .toolbar .secondary {
      display: none;
    }
    .toolbar .secondary.open {
      display: flex;
      position: absolute;
      inset-block-start: 100%;
      inset-inline-end: calc(var(--sv-spacing, 12px) / 2);
      padding: 4px;
      background: var(--sv-toolbar-background, #f6f8fa);
      border: 1px solid var(--sv-border-color, #8c959f);
      border-radius: var(--sv-radius, 6px);
    }
    .zoom-level {
      display: none;
    }
  }

  @container (max-width: 360px) {
    .page-count {
      display: none;
    }
  }

  /* The pages make room for the sidebar from 520 px wide; below, it folds over them. */
  @container (min-width: 520px) {
    .stage.with-sidebar .viewport {
      inset-inline-start: var(--sv-sidebar-width, 200px);
    }
  }

  /* Without the copy permission, text cannot be selected (the text layer is not built either). */
  .viewport.no-copy {
    user-select: none;
    -webkit-user-select: none;
  }

  @media print {
    /* Without the print permission, printing the host page shows nothing of the document. */
    .viewport.no-print,
    .toolbar {
      display: none !important;
    }
  }

  @media (prefers-color-scheme: dark) {
    .toolbar,
    .toolbar .secondary.open {
      background: var(--sv-toolbar-background, #2d333b);
      color: var(--sv-toolbar-color, var(--sv-color, #e6edf3));
    }
    .page-number input {
      background: var(--sv-input-background, #22272e);
      color: var(--sv-input-color, #e6edf3);
    }
    button {
      background: var(--sv-button-background, #373e47);
      color: var(--sv-button-color, #e6edf3);
    }
    button.icon {
      background: transparent;
      color: inherit;
    }
  }
`;
