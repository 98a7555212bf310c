// Builds the agent workspace (index.html + assets/) into $MERIDIAN_WEB_OUT. The widget is a
// second, separate build (vite.widget.config.ts) into the same directory.
/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

const outDir = resolve(here, process.env.MERIDIAN_WEB_OUT ?? '../build/web-dist');

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', ws: true },
      '/widget.js': 'http://127.0.0.1:8080',
      '/demo': 'http://127.0.0.1:8080',
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'widget/**/*.test.ts'],
    environment: 'node',
  },
});
