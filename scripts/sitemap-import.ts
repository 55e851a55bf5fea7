// `npx tsx scripts/sitemap-import.ts <extract.osm | drawing.geojson> [--site hq] [--origin lat,lon] [--out config/sitemap.geojson]`
// Imports an OpenStreetMap extract (.osm XML) or a WGS-84 GeoJSON drawing into a site map in the
// local metric frame (docs/sitemap.md), offline. Prints what it kept and skipped and the problems
// the hub would refuse (cameras without a heading from OSM get 0°, fov 60°, range 60 m: survey them).
import { readFileSync, writeFileSync } from 'node:fs';
import { buildSiteMap, parseOsmXml, rawFromGeoJson, rawFromOsm } from '../hub/sitemap/import.js';
import { formatSiteMap } from '../hub/sitemap/format.js';
import { parseSiteMap } from '../hub/sitemap/validate.js';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const input = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (!input) {
  console.error('usage: tsx scripts/sitemap-import.ts <extract.osm | drawing.geojson> [--site hq] [--origin lat,lon] [--out file]');
  process.exit(2);
}
const text = readFileSync(input, 'utf8');
const raws = text.trimStart().startsWith('<') ? rawFromOsm(parseOsmXml(text)) : rawFromGeoJson(JSON.parse(text));
const o = flag('origin')?.split(',').map(Number);
const { collection, skipped } = buildSiteMap(raws, { site: flag('site') ?? 'hq', ...(o && o.length === 2 && o.every(Number.isFinite) ? { origin: { lat: o[0], lon: o[1] } } : {}) });
const kinds = new Map<string, number>();
for (const f of collection.features) kinds.set(String(f.properties.kind), (kinds.get(String(f.properties.kind)) ?? 0) + 1);
console.error(`imported ${collection.features.length} feature(s): ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}; skipped ${skipped} untagged or unknown`);
const { problems } = parseSiteMap(collection);
for (const p of problems) console.error(`  problem: ${p.path}: ${p.message}`);
const out = flag('out');
if (out) {
  writeFileSync(out, formatSiteMap(collection));
  console.error(`wrote ${out}${problems.length ? ' (fix the problems above before the hub will take it)' : ''}`);
} else process.stdout.write(formatSiteMap(collection));
process.exitCode = problems.length ? 1 : 0;
