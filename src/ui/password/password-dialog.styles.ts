import { css } from 'lit';

/** The password dialog's styles, adopted when it is first needed. */
export const passwordDialogStyles = css`
  /* The password dialog covers the element only; the host page stays usable. */
  .password-dialog {
    position: absolute;
    inset: 0;
    margin: auto;
    inline-size: min(360px, calc(100% - 2 * var(--sv-spacing, 12px)));
    block-size: fit-content;
    max-block-size: calc(100% - 2 * var(--sv-spacing, 12px));
    overflow: auto;
    box-sizing: border-box;
    padding: calc(var(--sv-spacing, 12px) * 1.5);
    border: 1px solid var(--sv-border-color, #8c959f);
    border-radius: calc(var(--sv-radius, 6px) * 1.5);
    color: var(--sv-dialog-color, var(--sv-color, #1f2328));
    background: var(--sv-dialog-background, #ffffff);
    box-shadow: 0 8px 32px rgb(0 0 0 / 0.25);
    z-index: 2;
  }

  .password-dialog h2 {
    margin: 0 0 var(--sv-spacing, 12px);
    font-size: 1.15em;
  }

  .password-dialog p {
    margin: 0 0 var(--sv-spacing, 12px);
  }

  .password-dialog label {
    display: block;
    margin-block-end: 4px;
    font-weight: 600;
  }

  .password-dialog input {
    box-sizing: border-box;
    inline-size: 100%;
    font: inherit;
    padding: 6px 8px;
    border: 1px solid var(--sv-border-color, #8c959f);
    border-radius: var(--sv-radius, 6px);
    background: var(--sv-input-background, #ffffff);
    color: var(--sv-input-color, #1f2328);
  }

  .password-dialog input:focus-visible {
    outline: 2px solid var(--sv-focus-color, #0b69d4);
    outline-offset: 1px;
  }

  .password-message {
    min-block-size: 1.4em;
    color: var(--sv-error-color, #b42318);
  }

  .password-actions {
    display: flex;
    justify-content: flex-end;
    gap: calc(var(--sv-spacing, 12px) / 1.5);
  }

  .password-actions button[type='submit'] {
    background: var(--sv-accent-background, #0b69d4);
    border-color: var(--sv-accent-background, #0b69d4);
    color: var(--sv-accent-color, #ffffff);
  }

  @media (prefers-color-scheme: dark) {
    .password-dialog {
      color: var(--sv-dialog-color, var(--sv-color, #e6edf3));
      background: var(--sv-dialog-background, #2d333b);
    }
    .password-dialog input {
      background: var(--sv-input-background, #22272e);
      color: var(--sv-input-color, #e6edf3);
    }
    .password-message {
      color: var(--sv-error-color, #ff938a);
    }
  }
`;
