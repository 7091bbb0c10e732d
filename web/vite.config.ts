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
      // Web Chat's "-es5" wrappers build their lib/ folder in an install script, which package.json
      // denies (allowScripts: it runs babel and esbuild at install time). Their sources are one
      // re-export of the original package each, all installed: the page is built from those.
      'p-defer-es5': path.resolve(here, '../node_modules/p-defer-es5/src/index.mjs'),
      'abort-controller-es5': path.resolve(here, '../node_modules/abort-controller-es5/src/index.mjs'),
      'markdown-it-attrs-es5': path.resolve(here, '../node_modules/markdown-it-attrs-es5/src/index.mjs'),
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
