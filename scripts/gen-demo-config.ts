// `npx tsx scripts/gen-demo-config.ts [--check]`: writes the demo site config (config/site.yaml,
// config/devices/modbus.yaml, config/users.yaml, config/hub.yaml) and the Modbus simulator spec
// (simulators/modbus/demo.yaml) from the tables in simulators/modbus/demo/. With --check it writes
// nothing and exits 1 when a committed file is out of date.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { demoSimSpec, hubFile, modbusDevicesFile, siteFile, toYaml, usersFile } from '../simulators/modbus/demo/generate.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const check = process.argv.includes('--check');

function existingHashes(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const data = parse(readFileSync(file, 'utf8')) as { users?: Array<{ username: string; password: string }> };
  return Object.fromEntries((data.users ?? []).map((u) => [u.username, u.password]));
}

const files: Record<string, string> = {
  'config/site.yaml': toYaml(siteFile()),
  'config/devices/modbus.yaml': toYaml(modbusDevicesFile()),
  'config/users.yaml': toYaml(usersFile(existingHashes(path.join(root, 'config/users.yaml')))),
  'config/hub.yaml': toYaml(hubFile()),
  'simulators/modbus/demo.yaml': toYaml(demoSimSpec()),
};

let stale = 0;
for (const [rel, text] of Object.entries(files)) {
  const file = path.join(root, rel);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : null;
  if (current === text) {
    console.log(`unchanged  ${rel}`);
    continue;
  }
  if (check) {
    stale++;
    console.error(`out of date  ${rel}`);
    continue;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`wrote      ${rel}`);
}
const points = modbusDevicesFile().devices.reduce((n, d) => n + d.points.length, 0);
console.log(`${points} Modbus points on ${demoSimSpec().gateways.length} gateways`);
if (stale) {
  console.error(`${stale} file(s) out of date: run npx tsx scripts/gen-demo-config.ts`);
  process.exit(1);
}
