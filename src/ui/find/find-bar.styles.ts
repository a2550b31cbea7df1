import { css } from 'lit';

/** The find bar's styles, adopted the first time find opens. */
export const findBarStyles = css`
  .find-bar {
    display: flex;
    align-items: center;
    gap: 4px;
    padding: 4px calc(var(--sv-spacing, 12px) / 2);
    background: var(--sv-toolbar-background, #f6f8fa);
    border-block-end: 1px solid var(--sv-border-color, #8c959f);
  }

  .find-bar input {
    font: inherit;
    inline-size: min(240px, 50cqi);
    padding: 3px 6px;
    border: 1px solid var(--sv-border-color, #8c959f);
    border-radius: var(--sv-radius, 6px);
    background: var(--sv-input-background, #ffffff);
    color: var(--sv-input-color, #1f2328);
  }

  .find-status {
    flex: 1 1 auto;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }

  @media print {
    .find-bar {
      display: none !important;
    }
  }

  @media (prefers-color-scheme: dark) {
    .find-bar {
      background: var(--sv-toolbar-background, #2d333b);
      color: var(--sv-toolbar-color, var(--sv-color, #e6edf3));
    }
    .find-bar input {
      background: var(--sv-input-background, #22272e);
      color: var(--sv-input-color, #e6edf3);
    }
  }
`;
