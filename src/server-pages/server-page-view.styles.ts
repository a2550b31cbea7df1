import { css } from 'lit';

/** The column of server-rendered pages, adopted into the shadow root when the mode loads. */
export const serverPageViewStyles = css`
  .sv-server-column {
    position: relative;
    min-width: 100%;
  }
  .sv-server-column > .page {
    position: absolute;
    /* pdf.js's page styles, once loaded for a PDF in this element, must not move these boxes. */
    margin: 0;
    border: 0;
    box-sizing: content-box;
    background: #fff;
    box-shadow: 0 1px 3px rgb(0 0 0 / 0.25);
  }
  .sv-server-column .sv-match {
    position: absolute;
    background: rgb(255 200 0 / 0.35);
    pointer-events: none;
  }
  .sv-server-column .sv-match.selected {
    background: rgb(0 120 255 / 0.4);
  }
  .sv-server-column > .page > canvas {
    display: block;
    width: 100%;
    height: 100%;
  }
`;
