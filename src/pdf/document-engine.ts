// The code that opens a document and lays out its pages over pdf.js: a chunk of its own, loaded
// together with pdf.js once there is a token, so that a page without a document does not carry it.
export { openDocument } from './open-document.ts';
export { PageViewer, adoptViewerStyles } from './page-viewer.ts';
