/** Builds the agents' tab into tab/dist, which the service serves under /tab/. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/tab/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: path.join(here, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    // Fluent UI is most of the bundle; one main chunk plus teams-js loaded only inside Teams.
    chunkSizeWarningLimit: 900,
  },
});
