// Everything that needs pdf.js, behind one dynamic import: defining <secure-viewer> downloads
// none of it, and the first document pulls it in as one chunk.
export { openDocument, mapPdfjsError } from './open-document.ts';
export { PageViewer, adoptViewerStyles } from './page-viewer.ts';
