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
  /* The server's text over the image, transparent: there to be selected and copied (as pdf.js's text layer). */
  .sv-server-column .sv-text-layer {
    position: absolute;
    inset: 0;
    overflow: hidden;
    line-height: 1;
    text-align: initial;
    user-select: text;
    -webkit-user-select: text;
  }
  .sv-server-column .sv-text-layer > span {
    position: absolute;
    color: transparent;
    white-space: pre;
    cursor: text;
    font-family: sans-serif;
    transform-origin: 0 0;
  }
  .sv-server-column .sv-text-layer ::selection {
    background: rgb(0 100 255 / 0.25);
  }
  .sv-server-column > .page > canvas {
    display: block;
    width: 100%;
    height: 100%;
  }
`;
