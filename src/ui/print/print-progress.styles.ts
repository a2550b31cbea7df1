import { css } from 'lit';

/** The print button's look while a print is prepared, adopted with the print code. */
export const printProgressStyles = css`
  button.icon.printing {
    display: inline-flex;
    gap: 4px;
    inline-size: auto;
    padding-inline: 6px;
    background-image: linear-gradient(var(--sv-focus-color, #0b69d4), var(--sv-focus-color, #0b69d4));
    background-repeat: no-repeat;
    background-position: left bottom;
    background-size: var(--print-progress, 0%) 3px;
  }

  .print-progress {
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
`;
