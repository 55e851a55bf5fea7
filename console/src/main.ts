// Entry point of the console bundle.
import { startApp } from './app.js';
import { getLocale } from './i18n.js';
import { registerServiceWorker } from './pwa.js';

document.documentElement.lang = getLocale();
const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');
// The report print route (hub's Chromium → PDF) needs no session and no live link: a lazy chunk.
const print = /^#\/reports\/print\/([0-9a-f]+)$/.exec(location.hash);
if (print) void import('./views/reports/print-view.js').then((m) => m.startPrint(root, print[1]));
else {
  startApp(root);
  // The PWA shell (phone): cache the app shell, never the API. No-op where unsupported. Not during
  // the first paint: its install fetches the shell again and then every request passes through it.
  addEventListener('load', () => setTimeout(() => void registerServiceWorker(), 3000), { once: true });
}
