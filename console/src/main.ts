// Entry point of the console bundle.
import { startApp } from './app.js';
import { getLocale } from './i18n.js';

document.documentElement.lang = getLocale();
const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');
startApp(root);
