// The demo apps import `secure-viewer` and `secure-viewer/react` as an app would after
// `npm install secure-viewer`: these aliases point the package's public entry points at its build.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');

export const packageAliases = [
  { find: /^secure-viewer\/react$/, replacement: path.join(dist, 'react.js') },
  { find: /^secure-viewer\/vue$/, replacement: path.join(dist, 'vue.js') },
  { find: /^secure-viewer$/, replacement: path.join(dist, 'index.js') },
];
