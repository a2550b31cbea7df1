import { css } from 'lit';

/** The element's own styles; pdf.js's page styles are adopted lazily with the first document. */
export const secureViewerStyles = css`
  :host {
    display: block;
    position: relative;
    height: 600px;
    overflow: hidden;
    box-sizing: border-box;
    color: var(--sv-color, #1f2328);
    background: var(--sv-background, #e9ecef);
    font-family: var(--sv-font-family, system-ui, sans-serif);
    font-size: var(--sv-font-size, 14px);
    contain: layout paint;
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

  .viewport {
    /* pdf.js requires its scroll container to be absolutely positioned. */
    position: absolute;
    inset: 0;
    overflow: auto;
    outline: none;
  }

  .viewport:focus-visible {
    box-shadow: inset 0 0 0 2px var(--sv-focus-color, #0b69d4);
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
`;
