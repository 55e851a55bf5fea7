// `npm run onvif:discover [-- --timeout 3000]`: WS-Discovery probe (multicast on the local segment
// only, bounded time) and prints config for the cameras that answered, ready to paste into
// config/devices/cameras.yaml. Credentials are placeholders: never guessed, never printed.
import onvif from 'onvif';
import { stringify } from 'yaml';

export interface ProbeMatch {
  address: string;
  xaddrs: string[];
  scopes: string[];
}

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

export function discover(timeoutMs: number): Promise<ProbeMatch[]> {
  return new Promise((resolve, reject) => {
    let done = false;
    const D = (onvif as any).Discovery;
    const onError = () => {}; // malformed answers from other devices on the segment: ignored
    D.on('error', onError);
    D.probe({ timeout: timeoutMs, resolve: false }, (err: unknown, list: unknown[]) => {
      if (done) return;
      done = true;
      D.removeListener('error', onError);
      const found = (list ?? []).map(probeMatchOf).filter((m): m is ProbeMatch => !!m);
      // Per-answer parse errors arrive as an array; a socket error is fatal.
      if (err && !Array.isArray(err) && !found.length) return reject(err);
      resolve(found);
    });
  });
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--timeout');
  const timeoutMs = i > 0 ? Number(process.argv[i + 1]) : 3000;
  if (!(timeoutMs >= 100 && timeoutMs <= 60_000)) {
    console.error(`--timeout must be 100..60000 ms, got ${process.argv[i + 1]}`);
    process.exit(2);
  }
  console.error(`probing for ONVIF cameras on the local network segment (WS-Discovery, ${timeoutMs} ms)…`);
  let found: ProbeMatch[];
  try {
    found = await discover(timeoutMs);
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
