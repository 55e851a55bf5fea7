// `npm run onvif:discover [-- --timeout 3000] [--unicast host:port ...] [--no-multicast]`:
// WS-Discovery probe (multicast on the local segment, plus any unicast targets, bounded time) and
// prints config for the cameras that answered, ready to paste into config/devices/cameras.yaml.
// Credentials are placeholders: never guessed, never printed.
import { stringify } from 'yaml';
import { probe, type ProbeMatch } from './wsd.js';

export type { ProbeMatch } from './wsd.js';

/** A probe answer as the onvif package hands it over (resolve: false) → the parts we use. */
export function probeMatchOf(data: unknown): ProbeMatch | undefined {
  const m = (data as any)?.probeMatches?.probeMatch;
  if (!m) return undefined;
  const address = String(m.endpointReference?.address ?? '');
  const xaddrs = String(m.XAddrs ?? '').split(/\s+/).filter(Boolean);
  const scopes = String(typeof m.scopes === 'object' ? m.scopes?._ ?? '' : m.scopes ?? '').split(/\s+/).filter(Boolean);
  return xaddrs.length ? { address, xaddrs, scopes } : undefined;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'camera';

/** Connections + device stubs for found cameras (pure, for tests). */
export function configFor(found: ProbeMatch[]): string {
  const used = new Set<string>();
  const connections = [];
  const devices = [];
  for (const f of found) {
    const url = new URL(f.xaddrs.find((x) => x.startsWith('http://')) ?? f.xaddrs[0]);
    const scope = (kind: string) => f.scopes.find((s) => s.startsWith(`onvif://www.onvif.org/${kind}/`))?.split('/').slice(4).join('/');
    const name = decodeURIComponent(scope('name') ?? scope('hardware') ?? url.hostname);
    let id = `cam-${slug(name)}`;
    for (let n = 2; used.has(id); n++) id = `cam-${slug(name)}-${n}`;
    used.add(id);
    connections.push({
      id, protocol: 'onvif',
      options: { host: url.hostname, port: Number(url.port || 80), ...(url.pathname !== '/onvif/device_service' ? { path: url.pathname } : {}), username: 'CHANGE-ME', password: 'CHANGE-ME' },
    });
    devices.push({
      id: id.replace(/^cam-/, 'camera-'), name: { en: name, 'zh-CN': name }, location: 'BUILDING/FLOOR/ROOM', connection: id, options: {},
      points: [
        { id: 'status', name: { en: 'Camera status', 'zh-CN': '摄像机状态' }, kind: 'multistate', source: { kind: 'status' } },
        { id: 'motion', name: { en: 'Motion', 'zh-CN': '移动侦测' }, kind: 'binary', source: { kind: 'event', topic: 'tns1:VideoSource/MotionAlarm' } },
      ],
    });
  }
  return stringify({ connections, devices });
}

/** WS-Discovery probe: the multicast group (unless `multicast: false`) and unicast targets. */
export function discover(timeoutMs: number, o: { multicast?: boolean; unicast?: Array<{ address: string; port: number }> } = {}): Promise<ProbeMatch[]> {
  return probe({ timeoutMs, ...o });
}

/** `host:port` → a unicast target (pure; undefined when malformed). */
export function parseTarget(s: string): { address: string; port: number } | undefined {
  const m = s.match(/^([\w.-]+):(\d{1,5})$/);
  const port = Number(m?.[2]);
  return m && port >= 1 && port <= 65535 ? { address: m[1], port } : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const i = args.indexOf('--timeout');
  const timeoutMs = i >= 0 ? Number(args[i + 1]) : 3000;
  if (!(timeoutMs >= 100 && timeoutMs <= 60_000)) {
    console.error(`--timeout must be 100..60000 ms, got ${args[i + 1]}`);
    process.exit(2);
  }
  const unicast: Array<{ address: string; port: number }> = [];
  args.forEach((a, k) => {
    if (a !== '--unicast') return;
    const t = parseTarget(args[k + 1] ?? '');
    if (!t) {
      console.error(`--unicast takes host:port, got ${args[k + 1] ?? 'nothing'}`);
      process.exit(2);
    }
    unicast.push(t);
  });
  const multicast = !args.includes('--no-multicast');
  console.error(`probing for ONVIF cameras (WS-Discovery${multicast ? ', multicast on the local segment' : ''}${unicast.length ? `, unicast ${unicast.map((t) => `${t.address}:${t.port}`).join(' ')}` : ''}, ${timeoutMs} ms)…`);
  let found: ProbeMatch[];
  try {
    found = await discover(timeoutMs, { multicast, unicast });
  } catch (err) {
    console.error(`discovery failed: ${(err as Error).message ?? err} (is there a network interface with multicast?)`);
    process.exit(1);
  }
  if (!found.length) {
    console.error('no ONVIF cameras answered.');
    return;
  }
  console.error(`${found.length} camera(s) found; paste into config/devices/cameras.yaml and fill in credentials and locations:`);
  process.stdout.write(configFor(found));
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) void main();
