import { css } from 'lit';

/**
 * The sidebar, adopted when it first opens; until then its box is empty and unstyled, and the
 * element's own styles only make room for it beside the pages.
 */
export const sidebarStyles = css`
  /* Beside the pages from 520 px wide, folded over them below. */
  .sidebar {
    position: absolute;
    inset-block: 0;
    inset-inline-start: 0;
    z-index: 2;
    inline-size: var(--sv-sidebar-width, 200px);
    max-inline-size: 85%;
    display: flex;
    flex-direction: column;
    box-sizing: border-box;
    border-inline-end: 1px solid var(--sv-border-color, #8c959f);
    background: var(--sv-sidebar-background, #f6f8fa);
    color: var(--sv-toolbar-color, var(--sv-color, #1f2328));
  }

  .sidebar[hidden] {
    display: none;
  }

  @container (max-width: 519.98px) {
    .sidebar {
      box-shadow: 4px 0 16px rgb(0 0 0 / 0.25);
    }
  }

  .sidebar-panel[hidden] {
    display: none;
  }

  .sidebar-tabs {
    display: flex;
    gap: 2px;
    padding: 4px;
    border-block-end: 1px solid var(--sv-border-color, #8c959f);
  }

  .sidebar-tabs [role='tab'] {
    flex: 1 1 0;
    padding: 4px 6px;
    border-color: transparent;
    background: transparent;
    color: inherit;
  }

  .sidebar-tabs [role='tab'][aria-selected='true'] {
    border-color: var(--sv-border-color, #8c959f);
    background: var(--sv-button-background, #ffffff);
    font-weight: 600;
  }

  .sidebar-panel {
    flex: 1 1 auto;
    min-block-size: 0;
    overflow: auto;
    overscroll-behavior: contain;
  }

  .outline {
    padding: 4px;
  }

  .outline-item {
    padding-block: 4px;
    padding-inline: calc(var(--level, 1) * 12px - 6px) 6px;
    border-radius: var(--sv-radius, 6px);
    cursor: pointer;
    outline: none;
    overflow-wrap: anywhere;
  }

  .outline-item[aria-expanded]::before {
    content: '▸';
    display: inline-block;
    inline-size: 1em;
  }

  .outline-item[aria-expanded='true']::before {
    content: '▾';
  }

  .outline-item:hover {
    background: var(--sv-button-hover-background, rgb(127 127 127 / 0.16));
  }

  .outline-item:focus-visible,
  .thumbnail:focus-visible {
    box-shadow: 0 0 0 2px var(--sv-focus-color, #0b69d4);
  }

  .thumbnail-list {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 10px;
    padding: 10px 0;
  }

  .thumbnail {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 4px;
    padding: 4px;
    border: 0;
    background: transparent;
    color: inherit;
    outline: none;
  }

  .thumbnail-frame {
    display: block;
    inline-size: var(--thumbnail-width, 112px);
    aspect-ratio: var(--thumbnail-ratio, 612 / 792);
    background: #ffffff;
    box-shadow: 0 0 0 1px rgb(0 0 0 / 0.2);
  }

  .thumbnail[data-drawn] .thumbnail-frame {
    aspect-ratio: auto;
  }

  .thumbnail-frame canvas {
    display: block;
    inline-size: 100%;
    block-size: auto;
  }

  .thumbnail[aria-current='page'] .thumbnail-frame {
    box-shadow: 0 0 0 3px var(--sv-current-color, #0b69d4);
  }

  .thumbnail-number {
    font-size: 0.85em;
    font-variant-numeric: tabular-nums;
  }

  @media print {
    .sidebar {
      display: none !important;
    }
  }

  @media (prefers-color-scheme: dark) {
    .sidebar {
      background: var(--sv-sidebar-background, #2d333b);
      color: var(--sv-toolbar-color, var(--sv-color, #e6edf3));
    }
  }
`;
