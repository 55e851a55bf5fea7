// Reads the site map of a config folder (`sitemap.geojson`, optional: a site without one has no
// map) and checks it against the loaded config. validateConfigFolder (npm run check-config, the
// hub's start and every reload) and the sitemap module both call checkSiteMap, so they agree.
import fs from 'node:fs';
import path from 'node:path';
import { isCameraProtocol } from '../../contracts/cameras.js';
import type { SiteMap } from '../../contracts/sitemap.js';
import type { ConfigProblem } from '../config/errors.js';
import type { LoadedConfig } from '../config/types.js';
import { parseSiteMap, type SiteMapRefs } from './validate.js';

export const SITEMAP_FILE = 'sitemap.geojson';
const MAX_BYTES = 8 * 1024 * 1024;

export function siteMapRefs(config: Pick<LoadedConfig, 'site' | 'devices' | 'connections'>): SiteMapRefs {
  return {
    site: config.site.id,
    buildings: new Set(config.site.buildings.map((b) => b.id)),
    // Any camera the video path can open: ONVIF connections and (issue 16 part 3) RTSP-only ones.
    connections: new Set(config.connections.filter((c) => isCameraProtocol(c.protocol)).map((c) => c.id)),
    devices: new Set(config.devices.map((d) => d.id)),
  };
}

/** The folder's site map, or undefined when it has none; problems name the file, feature and field. */
export function checkSiteMap(config: Pick<LoadedConfig, 'dir' | 'site' | 'devices' | 'connections'>, file = path.join(config.dir, SITEMAP_FILE)): { map?: SiteMap; problems: ConfigProblem[] } {
  if (!fs.existsSync(file)) return { problems: [] };
  const size = fs.statSync(file).size;
  if (size > MAX_BYTES) return { problems: [{ file, path: [], message: `is ${size} bytes; a site map may have at most ${MAX_BYTES}` }] };
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    return { problems: [{ file, path: [], message: `is not valid JSON: ${(err as Error).message}` }] };
  }
  const { map, problems } = parseSiteMap(raw, siteMapRefs(config));
  return { map, problems: problems.map((p) => ({ file, path: [p.path], message: p.message })) };
}
