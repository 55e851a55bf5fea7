// edge.yaml cross-checks for the config loader (hub/config/sections.ts). A leaf: no MQTT, no Koa.
import type { ConfigIssue } from '../../contracts/driver.js';
import type { SiteTree } from '../../contracts/api.js';
import type { EstateFile } from '../../drivers/mqtt/estate.js';

export { estateFileSchema } from '../../drivers/mqtt/estate.js';

/** edge.yaml cross-checks: every listed building exists. */
export function checkEstate(file: EstateFile, site: SiteTree): ConfigIssue[] {
  const known = new Set(site.buildings.map((b) => b.id));
  return Object.keys(file.buildings)
    .filter((b) => !known.has(b))
    .map((b) => ({ path: ['buildings', b], message: `unknown building "${b}" (site buildings: ${[...known].join(', ')})` }));
}

