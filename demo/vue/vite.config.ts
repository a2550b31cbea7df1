import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { packageAliases } from '../package-aliases.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [
    vue({
      // <secure-viewer> is a custom element, not a Vue component to resolve.
      template: { compilerOptions: { isCustomElement: (tag) => tag === 'secure-viewer' } },
    }),
  ],
  resolve: { alias: packageAliases },
});
