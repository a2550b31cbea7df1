import { css } from 'lit';

/**
 * Right-to-left layout for the languages written that way, adopted with the first language other
 * than English; it applies only while the UI's `dir` is `rtl`. The toolbar, find bar and dialog
 * mirror by themselves (flex rows, logical properties); the stage needs help, as the pages stay
 * left to right: pdf.js lays out and scrolls them so.
 */
export const rtlStyles = css`
  /* The sidebar on the start side, which is the right. */
  .frame[dir='rtl'] .stage {
    direction: rtl;
  }

  .frame[dir='rtl'] .viewport {
    direction: ltr;
  }

  @container (min-width: 520px) {
    .frame[dir='rtl'] .stage.with-sidebar .viewport {
      left: 0;
      right: var(--sv-sidebar-width, 200px);
    }
  }

  @container (max-width: 519.98px) {
    .frame[dir='rtl'] .sidebar {
      box-shadow: -4px 0 16px rgb(0 0 0 / 0.25);
    }
  }

  /* Arrows that say "back" and "forward", and the sidebar icon, point the other way. */
  .frame[dir='rtl'] :is([part='previous-button'], [part='next-button'], [part='sidebar-toggle-button']) svg {
    transform: scaleX(-1);
  }

  .frame[dir='rtl'] .outline-item[aria-expanded='false']::before {
    content: '◂';
  }

  /* The print button's progress bar grows from the start. */
  .frame[dir='rtl'] button.icon.printing {
    background-position: right bottom;
  }
`;
