// `npm run bacnet:discover -- [--target host:port] [--broadcast 192.168.1.255] [--wait 3000]
//   [--instance N] [--location a/b1/plant-b103] [--connection id]`
// Who-Is (directed at --target, or broadcast), then for every device that answers I-Am: its object
// list (array index by index, so no segmentation is needed), each object's name, description,
// units, state texts and whether it has a priority array → config YAML on stdout.
import { pathToFileURL } from 'node:url';
import { EngineeringUnits } from '@bacnet-js/client';
import { bacnetClientCtor, type BacnetClient } from './client.js';
import { discoveredToYaml, type DiscoveredDevice, type DiscoveredObject } from './discover-yaml.js';
import { PROP, typeName } from './objects.js';
import { UdpTransport } from './transport.js';

export interface DiscoverOptions {
  /** Directed Who-Is to one device or router (`host` or `host:port`); else broadcast. */
  target?: string;
  broadcast?: string;
  localAddress?: string;
  /** Broadcast I-Ams go to 47808: bind it when broadcasting; any free port for a directed Who-Is. */
  localPort?: number;
  waitMs?: number;
  instance?: number;
  timeoutMs?: number;
}

type Values = Array<{ id: number; value: Array<{ type: number; value: unknown }> }>;

export async function discover(o: DiscoverOptions): Promise<DiscoveredDevice[]> {
  const transport = new UdpTransport({
    localAddress: o.localAddress ?? '0.0.0.0',
    localPort: o.localPort ?? (o.target ? 0 : 47808),
    broadcastAddress: o.broadcast ?? '255.255.255.255',
  });
  const client = new (bacnetClientCtor())({ transport, apduTimeout: o.timeoutMs ?? 3000 });
  try {
    await transport.ready();
    const found = new Map<number, { address: string }>();
    client.on('iAm', (c) => {
      const p = c.payload as unknown as { deviceId: number | { instance: number } };
      const id = typeof p.deviceId === 'number' ? p.deviceId : p.deviceId.instance;
      if (o.instance === undefined || o.instance === id) found.set(id, { address: c.header?.sender?.address ?? '' });
    });
    const range = o.instance !== undefined ? { lowLimit: o.instance, highLimit: o.instance } : {};
    if (o.target) client.whoIs({ address: o.target }, range);
    else client.whoIs(range);
    await new Promise((r) => setTimeout(r, o.waitMs ?? 2000));
    const out: DiscoveredDevice[] = [];
    for (const [instance, { address }] of found) out.push(await describe(client, address, instance, o.target));
    return out;
  } finally {
    client.close();
  }
}

async function describe(client: BacnetClient, address: string, instance: number, target?: string): Promise<DiscoveredDevice> {
  const receiver = { address };
  const dev = { type: 8, instance };
  const read = async (prop: number, index?: number) => (await client.readProperty(receiver, dev, prop, index !== undefined ? { arrayIndex: index } : {})).values[0]?.value;
  const name = String(await read(PROP.OBJECT_NAME));
  const count = Number(await read(PROP.OBJECT_LIST, 0));
  const ids: Array<{ type: number; instance: number }> = [];
  for (let i = 1; i <= count; i += 20) {
    const specs = Array.from({ length: Math.min(20, count - i + 1) }, (_, k) => ({ objectId: dev, properties: [{ id: PROP.OBJECT_LIST, index: i + k }] }));
    const res = await client.readPropertyMultiple(receiver, specs);
    for (const v of res.values) for (const p of v.values as unknown as Values) for (const x of p.value) if (x.value && typeof x.value === 'object' && 'instance' in x.value) ids.push(x.value as { type: number; instance: number });
  }
  const objects: DiscoveredObject[] = [];
  const wanted = ids.filter((x) => typeName(x.type));
  const props = [PROP.OBJECT_NAME, PROP.DESCRIPTION, PROP.UNITS, PROP.STATE_TEXT, PROP.ACTIVE_TEXT, PROP.INACTIVE_TEXT, PROP.PRIORITY_ARRAY];
  for (let i = 0; i < wanted.length; i += 4) {
    const batch = wanted.slice(i, i + 4);
    const res = await client.readPropertyMultiple(receiver, batch.map((objectId) => ({ objectId, properties: props.map((id) => ({ id, index: 0xffffffff })) })));
    for (const v of res.values) {
      const vals = v.values as unknown as Values;
      const get = (id: number) => {
        const e = vals.find((x) => x.id === id);
        return e && e.value[0]?.type !== 105 ? e.value : undefined; // 105: a per-property error
      };
      const str = (id: number) => (get(id)?.[0]?.value as string | undefined) || undefined;
      const obj: DiscoveredObject = {
        type: typeName(v.objectId.type)!,
        instance: v.objectId.instance,
        name: str(PROP.OBJECT_NAME) ?? `${typeName(v.objectId.type)}-${v.objectId.instance}`,
        commandable: get(PROP.PRIORITY_ARRAY) !== undefined,
      };
      const description = str(PROP.DESCRIPTION);
      if (description) obj.description = description;
      const units = get(PROP.UNITS)?.[0]?.value;
      if (typeof units === 'number') obj.units = units;
      const states = get(PROP.STATE_TEXT);
      if (states?.length) obj.stateText = states.map((s) => String(s.value));
      const active = str(PROP.ACTIVE_TEXT);
      const inactive = str(PROP.INACTIVE_TEXT);
      if (active) obj.activeText = active;
      if (inactive) obj.inactiveText = inactive;
      objects.push(obj);
    }
  }
  const [host, port] = (target && !address ? target : address).split(':');
  return { host, port: Number(port ?? 47808), instance, name, objects };
}

function arg(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export const UNIT_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(EngineeringUnits).filter(([k, v]) => typeof v === 'number' && Number.isNaN(Number(k))).map(([k, v]) => [v as number, k]),
);

async function main(): Promise<void> {
  const instance = arg('--instance');
  const devices = await discover({
    target: arg('--target'),
    broadcast: arg('--broadcast'),
    waitMs: Number(arg('--wait') ?? 2000),
    instance: instance !== undefined ? Number(instance) : undefined,
  });
  if (devices.length === 0) {
    process.stderr.write('no BACnet device answered Who-Is (try --target host:port, or --broadcast with your subnet\'s broadcast address)\n');
    process.exit(1);
  }
  for (const d of devices) {
    process.stderr.write(`device ${d.instance} "${d.name}" at ${d.host}:${d.port}: ${d.objects.length} objects\n`);
    process.stdout.write(discoveredToYaml(d, { connectionId: arg('--connection'), location: arg('--location'), unitNames: UNIT_NAMES }));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  });
}
