// Real cameras' RTSP: an RTSP-only camera from config (protocol rtsp) and an ONVIF camera, both
// behind RTSP Digest or Basic auth on the simulated camera (gst-rtsp-server), played by the gateway
// through real ffmpeg; wrong credentials are said clearly and the password shows up nowhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ConnectionConfig, DeviceConfig } from '../../contracts/driver.js';
import type { PointInfo } from '../../contracts/point.js';
import { RecordingContext } from '../../test/conformance/run.js';
import { OnvifDriver, onvifFactory } from '../../drivers/onvif/index.js';
import { CameraRegistry } from '../../drivers/onvif/registry.js';
import { RtspDriver, rtspConnectionSchema, rtspFactory, type RtspConnectionOptions } from '../../drivers/onvif/rtsp.js';
import { startOnvifSimulator, type OnvifSimulator } from '../../simulators/onvif/index.js';
import { CameraCatalog } from './catalog.js';
import { startGatewayServer, until, type GatewayServer } from './test-support.js';

const PASSWORD = 'p@ss:w/rd%Z';
const lines: string[] = [];
const log = {
  info: (o: object, m?: string) => lines.push(JSON.stringify(o) + (m ?? '')),
  warn: (o: object, m?: string) => lines.push(JSON.stringify(o) + (m ?? '')),
  error: (o: object, m?: string) => lines.push(JSON.stringify(o) + (m ?? '')),
  debug() {},
};

/** Opens /video/<id>; resolves with what arrived once `pred` holds. */
async function watch(base: string, id: string, pred: (v: { binaries: Buffer[]; statuses: Array<Record<string, string>> }) => boolean) {
  const v = { binaries: [] as Buffer[], statuses: [] as Array<Record<string, string>>, closeCode: 0 };
  const ws = new WebSocket(`ws://${base}/video/${id}`);
  ws.on('message', (d, bin) => (bin ? v.binaries.push(d as Buffer) : v.statuses.push(JSON.parse(String(d)))));
  ws.on('close', (code) => (v.closeCode = code));
  try {
    await until(`video of ${id}`, () => pred(v));
  } finally {
    ws.close();
  }
  return v;
}

const statusPoint = (conn: string): PointInfo => ({ id: `hq/out/g/road/${conn}/status`, name: { en: 's', 'zh-CN': 's' }, kind: 'multistate', writable: false, device: conn, protocol: 'rtsp', intervalMs: 1000 });

describe('RTSP cameras with credentials', () => {
  let sim: OnvifSimulator;
  let served: GatewayServer;
  let base: string;
  let catalog: CameraCatalog;
  const registry = new CameraRegistry();
  const ctx = new RecordingContext('/tmp', { cameras: registry });
  const drivers: Array<{ stop(): Promise<void> }> = [];

  beforeAll(async () => {
    sim = await startOnvifSimulator({
      cameras: [{ id: 'digest', name: 'Gate digest', rtspAuth: 'digest' }, { id: 'basic', name: 'Gate basic', rtspAuth: 'basic' }, { id: 'ptz', name: 'Crossing PTZ', rtspAuth: 'digest' }],
      username: 'viewer', password: PASSWORD,
    });
    const url = (id: string) => sim.cameras.find((c) => c.id === id)!.rtspUrl;
    const rtspConn = (id: string, options: object): ConnectionConfig<RtspConnectionOptions> => ({ id, protocol: 'rtsp', options: rtspConnectionSchema.parse(options) });
    const connections = [
      rtspConn('cam-digest', { url: url('digest'), username: 'viewer', password: PASSWORD, pollMs: 1000 }),
      rtspConn('cam-basic', { url: url('basic'), username: 'viewer', password: PASSWORD, transport: 'tcp', pollMs: 1000 }),
      rtspConn('cam-wrong', { url: url('digest'), username: 'viewer', password: 'not-the-password', pollMs: 1000 }),
    ];
    const devices: DeviceConfig[] = [{ id: 'gate', connection: 'cam-digest', options: {} }];
    const rtsp = new RtspDriver(connections, devices, [{ info: statusPoint('gate'), device: 'gate', connection: 'cam-digest', source: { kind: 'status' } }]);
    const onvifOptions = onvifFactory.connectionSchema.parse({ host: '127.0.0.1', port: sim.cameras.find((c) => c.id === 'ptz')!.onvifPort, username: 'viewer', password: PASSWORD, pollMs: 1000 });
    const onvif = new OnvifDriver([{ id: 'cam-ptz', protocol: 'onvif', options: onvifOptions as never }], [{ id: 'ptz', connection: 'cam-ptz', options: {} }] as never, []);
    drivers.push(rtsp, onvif);
    await rtsp.start(ctx);
    await onvif.start(ctx);
    const config = { connections: [...connections, { id: 'cam-ptz', protocol: 'onvif', options: onvifOptions }], devices: [] };
    catalog = new CameraCatalog(config as never, registry);
    served = await startGatewayServer({ cameras: catalog, log, graceMs: 300, backoff: { initialMs: 300, maxMs: 1000 } }, 'wf-rtsp-');
    base = served.base;
  }, 60_000);

  afterAll(async () => {
    await served?.close();
    for (const d of drivers) await d.stop();
    await sim?.stop();
  });

  it('config refuses credentials inside the URL, a non-RTSP URL, and a user without a password', () => {
    expect(rtspConnectionSchema.safeParse({ url: 'rtsp://u:p@10.0.0.1/s' }).error?.issues[0].message).toMatch(/must not carry user:password/);
    expect(rtspConnectionSchema.safeParse({ url: 'http://10.0.0.1/s' }).error?.issues[0].message).toMatch(/rtsp:\/\//);
    expect(rtspConnectionSchema.safeParse({ url: 'rtsp://10.0.0.1/s', username: 'u' }).success).toBe(false);
    expect(rtspConnectionSchema.safeParse({ url: 'rtsp://10.0.0.1/s', transport: 'sctp' }).success).toBe(false);
    expect(rtspConnectionSchema.parse({ url: 'rtsp://10.0.0.1/s' })).toMatchObject({ transport: 'tcp', pollMs: 10_000 });
    expect(rtspFactory.check!([{ index: 0, device: {} as never, connection: { id: 'c', protocol: 'rtsp', options: {} as never }, points: [{ index: 0, point: { info: { ...statusPoint('c'), kind: 'binary' }, device: 'c', connection: 'c', source: { kind: 'status' } } }] }])[0].message).toMatch(/multistate or string/);
  });

  it('an RTSP-only camera is online (OPTIONS probe) and plays behind Digest auth', async () => {
    await ctx.until('gate status online', () => ctx.latest(statusPoint('gate').id)?.value === 1, 10_000);
    const v = await watch(base, 'cam-digest', (x) => x.binaries.length >= 2);
    expect(v.binaries[0].toString('latin1', 4, 8)).toBe('ftyp');
  });

  it('an RTSP-only camera plays behind Basic auth', async () => {
    const v = await watch(base, 'cam-basic', (x) => x.binaries.length >= 2);
    expect(v.binaries[0].toString('latin1', 4, 8)).toBe('ftyp');
  });

  it('an ONVIF camera sends its ONVIF credentials to its Digest-protected RTSP stream', async () => {
    await until('ONVIF camera online', () => registry.get('cam-ptz')?.info().state === 'online');
    const v = await watch(base, 'cam-ptz', (x) => x.binaries.length >= 2);
    expect(v.binaries[0].toString('latin1', 4, 8)).toBe('ftyp');
  });

  it('wrong credentials: the viewer hears 401, and no password reaches logs, status or the API', async () => {
    const v = await watch(base, 'cam-wrong', (x) => x.statuses.some((s) => s.status === 'reconnecting'));
    const reason = v.statuses.find((s) => s.status === 'reconnecting')!.detail;
    expect(reason).toMatch(/401|Unauthorized|authorization failed/i);
    const everything = [JSON.stringify(v.statuses), lines.join('\n'), JSON.stringify(catalog.ids().map((id) => catalog.view(id))), JSON.stringify(registry.list())];
    for (const text of everything) {
      expect(text).not.toContain('not-the-password');
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(encodeURIComponent(PASSWORD));
    }
    expect(catalog.view('cam-digest')).toMatchObject({ kind: 'rtsp', ptz: false });
  });
});
