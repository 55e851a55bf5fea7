// Entry point of the console bundle.
import { startApp } from './app.js';
import { getLocale } from './i18n.js';
import { registerServiceWorker } from './pwa.js';

document.documentElement.lang = getLocale();
const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');
startApp(root);

// The PWA shell (phone): cache the app shell, never the API. No-op where unsupported.
void registerServiceWorker();
