/** The agents' queue tab: renders the app once the early requests have answered (or a moment has passed). */
// First, so its requests start before the rest of the bundle is evaluated.
import { readyDesk } from './startup.js';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';

const root = createRoot(document.getElementById('root')!);
// A short wait, in the worst case: beyond it the app shows its spinner while the answers come.
void readyDesk(200).then((ready) => root.render(<App {...(ready ? { ready } : {})} />));
