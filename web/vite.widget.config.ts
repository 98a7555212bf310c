// Builds widget.js: one self-contained IIFE file with no React, embedded with a single
// <script src=".../widget.js" data-inbox="ID" async> tag.
import { defineConfig } from 'vite';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
// Same directory as the workspace build (vite.config.ts).
const outDir = resolve(here, process.env.MERIDIAN_WEB_OUT ?? '../build/web-dist');

export default defineConfig({
  build: {
    outDir,
    emptyOutDir: false,
    sourcemap: false,
    lib: {
      entry: 'widget/widget.ts',
      formats: ['iife'],
      name: 'MeridianWidget',
      fileName: () => 'widget.js',
    },
  },
});
