/**
 * Builds the public chat page into web/dist, which the service serves under /chat/. Web Chat's
 * minimal bundle (no Adaptive Cards, Markdown or speech) is imported by its file: the package's
 * `exports` name only the full bundle. Adaptive Cards are loaded after the first card arrives.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/chat/',
  plugins: [react()],
  logLevel: 'warn',
  resolve: {
    alias: {
      'botframework-webchat/minimal': path.resolve(here, '../node_modules/botframework-webchat/dist/botframework-webchat.minimal.mjs'),
      // The App Service Extension's transport, never used here (src/noStreaming.ts says why).
      'botframework-streaming': path.resolve(here, 'src/noStreaming.ts'),
    },
  },
  build: {
    outDir: path.join(here, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
  },
});
