// Builds widget.js: one self-contained IIFE file with no React, embedded with a single
// <script src=".../widget.js" data-inbox="ID" async> tag.
import { defineConfig, type Plugin } from 'vite';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
// Same directory as the workspace build (vite.config.ts).
const outDir = resolve(here, process.env.MERIDIAN_WEB_OUT ?? '../build/web-dist');

// widget.js runs inside other people's pages, whose charset we do not know: ship it as pure
// ASCII (non-ASCII characters as \uXXXX escapes), so "×" never turns into "Ã—".
const asciiOnly: Plugin = {
  name: 'meridian-ascii-only',
  // After minification (which would turn escapes back into characters).
  generateBundle(_options, bundle) {
    for (const file of Object.values(bundle)) {
      if (file.type !== 'chunk') continue;
      file.code = file.code.replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
    }
  },
};

export default defineConfig({
  plugins: [asciiOnly],
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
