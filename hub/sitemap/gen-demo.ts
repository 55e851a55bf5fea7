// `npx tsx hub/sitemap/gen-demo.ts [--check]`: writes config/sitemap.geojson from demo.ts (with
// --check, writes nothing and exits 1 when the committed file is out of date).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { demoSiteMap } from './demo.js';
import { formatSiteMap } from './format.js';

const file = fileURLToPath(new URL('../../config/sitemap.geojson', import.meta.url));
const text = formatSiteMap(demoSiteMap());
let current = '';
try { current = readFileSync(file, 'utf8'); } catch { /* first run */ }
if (current === text) console.log('unchanged  config/sitemap.geojson');
else if (process.argv.includes('--check')) { console.error('out of date  config/sitemap.geojson'); process.exitCode = 1; }
else { writeFileSync(file, text); console.log('wrote  config/sitemap.geojson'); }
