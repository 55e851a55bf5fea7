// One simulated ONVIF camera: a SOAP device/media/PTZ/events service over HTTP on loopback that
// checks WS-Security UsernameToken digests, a PTZ head that moves over time, PullPoint events
// driven by scenarios, and the RTSP video (video.ts). stop() makes the whole camera vanish;
// start() brings it back on the same ports.
import http from 'node:http';
import type { Socket } from 'node:net';
import { spawn } from 'node:child_process';
import { PtzHead, DEFAULT_PTZ_LIMITS, type PtzPosition } from './ptz.js';
import * as R from './responses.js';
import { moreOperation, type PtzState } from './more.js';
import { attrsOf, checkUsernameToken, durationMs, envelope, fault, operationOf, textOf, usernameTokenOf } from './soap.js';
import { startCameraVideo, FONT_FILE, type CameraVideo } from './video.js';

export interface SimCameraOptions {
  /** Niceness of the video processes (video.ts); default 0. */
  videoNice?: number;
  id: string;
  name: string;
  onvifPort: number;
  rtspPort: number;
  udpPort: number;
  username: string;
  password: string;
  width?: number;
  height?: number;
  fps?: number;
  codec?: 'H264' | 'H265';
  /** Serve ONVIF only, no RTSP video (driver tests that need no picture). */
  video?: boolean;
  /** RTSP authentication (same user and password as ONVIF); default none. */
  rtspAuth?: 'none' | 'basic' | 'digest';
  /**
   * The video is served elsewhere (an on-demand mount of on-demand.ts): GetStreamUri answers this
   * URL and the camera starts no video of its own (rtspPort and udpPort are then unused).
   */
  streamUrl?: string;
  /** The camera's presets (default: home and door). */
  presets?: R.Preset[];
}

export const TOPICS = {
  motion: 'tns1:VideoSource/MotionAlarm',
  tamper: 'tns1:VideoSource/GlobalSceneChange/ImagingService',
  input: 'tns1:Device/Trigger/DigitalInput',
} as const;

interface Property { topic: string; source: [string, string]; dataName: string; value: boolean }
interface Subscription { id: number; queue: R.EventMessage[]; expires: number; wake?: () => void }

const MAX_PULL_WAIT_MS = 2000;

export class SimCamera {
  readonly ptz = new PtzHead(DEFAULT_PTZ_LIMITS);
  /** Presets and the home position (more.ts changes them: SetPreset, RemovePreset, SetHomePosition). */
  private readonly ptzState: PtzState;

  private get presetList(): R.Preset[] {
    return this.ptzState.presets;
  }
  private readonly properties: Property[];
  private readonly subs = new Map<number, Subscription>();
  private nextSub = 1;
  private server?: http.Server;
  private readonly sockets = new Set<Socket>();
  private video?: CameraVideo;
  /** Requests refused for bad credentials (tests assert the driver backs off). */
  authFailures = 0;

  constructor(readonly o: SimCameraOptions) {
    this.ptzState = {
      ptz: this.ptz,
      presets: o.presets?.map((p) => ({ ...p, position: { ...p.position } })) ?? [
        { token: 'home', name: 'Home', position: { pan: 0, tilt: 0, zoom: 0 } },
        { token: 'door', name: 'Door', position: { pan: 0.5, tilt: -0.2, zoom: 0.3 } },
      ],
      home: { pan: 0, tilt: 0, zoom: 0 },
    };
    this.properties = [
      { topic: TOPICS.motion, source: ['VideoSourceConfigurationToken', R.SOURCE_TOKEN], dataName: 'State', value: false },
      { topic: TOPICS.tamper, source: ['VideoSourceConfigurationToken', R.SOURCE_TOKEN], dataName: 'State', value: false },
      { topic: TOPICS.input, source: ['InputToken', 'DI1'], dataName: 'LogicalState', value: false },
    ];
  }

  get rtspUrl(): string {
    return this.o.streamUrl ?? `rtsp://127.0.0.1:${this.o.rtspPort}/cam`;
  }

  get running(): boolean {
    return !!this.server;
  }

  private facts(): R.CameraFacts {
    return {
      name: this.o.name, serial: `SIM-${this.o.id}`, base: `http://127.0.0.1:${this.o.onvifPort}`, rtspUrl: this.rtspUrl,
      width: this.o.width ?? 320, height: this.o.height ?? 240, fps: this.o.fps ?? 15, codec: this.o.codec ?? 'H264', limits: this.ptz.limits,
    };
  }

  async start(): Promise<void> {
    if (this.server) return;
    if (this.o.video !== false && !this.o.streamUrl) {
      const f = this.facts();
      this.video = await startCameraVideo({ name: this.o.name, width: f.width, height: f.height, fps: f.fps, codec: f.codec, udpPort: this.o.udpPort, rtspPort: this.o.rtspPort, mount: 'cam', nice: this.o.videoNice,
        auth: this.o.rtspAuth && this.o.rtspAuth !== 'none' ? { method: this.o.rtspAuth, username: this.o.username, password: this.o.password } : undefined });
    }
    const server = http.createServer((req, res) => void this.handle(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.o.onvifPort, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.subs.values()) s.wake?.();
    this.subs.clear();
    if (server) {
      for (const s of this.sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await this.video?.stop();
    this.video = undefined;
  }

  /** Scenario hooks: change an event property; every subscription gets a Changed message. */
  setEvent(kind: keyof typeof TOPICS, on: boolean): void {
    const p = this.properties.find((q) => q.topic === TOPICS[kind])!;
    if (p.value === on) return;
    p.value = on;
    for (const s of this.subs.values()) {
      s.queue.push(this.message(p, 'Changed'));
      s.wake?.();
    }
  }

  presets(): R.Preset[] {
    return this.presetList.map((p) => ({ ...p, position: { ...p.position } }));
  }

  private message(p: Property, operation: R.EventMessage['operation']): R.EventMessage {
    return { topic: p.topic, utcMs: Date.now(), operation, source: p.source, data: [p.dataName, String(p.value)] };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const send = (status: number, body: string, type = 'application/soap+xml; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (req.method === 'GET' && req.url === '/onvif/snapshot.jpg') return this.snapshot(res);
    if (req.method !== 'POST') return send(405, 'POST SOAP requests only', 'text/plain');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const xml = Buffer.concat(chunks).toString('utf8');
    const op = operationOf(xml);
    if (!op) return send(400, fault('Sender', 'ter:WellFormed', 'no SOAP body operation'));
    const token = usernameTokenOf(xml);
    // GetSystemDateAndTime is pre-auth (clients need the clock to build a digest); anything with
    // wrong credentials is refused, as real cameras do.
    if (op !== 'GetSystemDateAndTime' || token) {
      const verdict = checkUsernameToken(token, { username: this.o.username, password: this.o.password }, Date.now());
      if (verdict !== 'ok') {
        this.authFailures++;
        return send(400, fault('Sender', 'ter:NotAuthorized', `Sender not authorized (${verdict})`));
      }
    }
    try {
      const body = await this.operation(op, xml, req.url ?? '/');
      // SOAP 1.2 HTTP binding: a Receiver fault is HTTP 500 (Sender faults are 400).
      if (body === undefined) return send(500, fault('Receiver', 'ter:ActionNotSupported', `${op} is not supported by this camera`));
      send(200, envelope(body));
    } catch (e) {
      const err = e as Error & { subcode?: string };
      send(err.subcode ? 400 : 500, fault(err.subcode ? 'Sender' : 'Receiver', err.subcode ?? 'ter:Action', err.message));
    }
  }

  private async operation(op: string, xml: string, url: string): Promise<string | undefined> {
    const f = this.facts();
    const now = Date.now();
    switch (op) {
      case 'GetSystemDateAndTime': return R.systemDateAndTime(now);
      case 'GetServices': return R.services(f);
      case 'GetCapabilities': return R.capabilities(f);
      case 'GetDeviceInformation': return R.deviceInformation(f);
      case 'GetProfiles': return R.profiles(f);
      case 'GetVideoSources': return R.videoSources(f);
      case 'GetStreamUri': return R.streamUri(f);
      case 'GetSnapshotUri': return R.snapshotUri(f);
      case 'GetNodes': return R.nodes(f);
      case 'GetConfigurations': return R.configurations(f);
      case 'GetStatus': return R.ptzStatus(this.ptz.position(), this.ptz.moving(), now);
      case 'GetPresets': return R.presets(this.presetList);
      case 'ContinuousMove': {
        const v = vector(xml, 'Velocity');
        this.ptz.continuousMove({ pan: v.pan ?? 0, tilt: v.tilt ?? 0, zoom: v.zoom ?? 0 }, durationMs(textOf(xml, 'Timeout')));
        return '<tptz:ContinuousMoveResponse/>';
      }
      case 'Stop':
        this.ptz.stop();
        return '<tptz:StopResponse/>';
      case 'AbsoluteMove': {
        const p = vector(xml, 'Position');
        const bad = this.ptz.outOfRange(p);
        if (bad) throw Object.assign(new Error(`position out of range: ${bad}`), { subcode: 'ter:InvalidArgVal' });
        this.ptz.absoluteMove(p);
        return '<tptz:AbsoluteMoveResponse/>';
      }
      case 'GotoPreset': {
        const token = textOf(xml, 'PresetToken');
        const preset = this.presetList.find((p) => p.token === token);
        if (!preset) throw Object.assign(new Error(`no preset ${token}`), { subcode: 'ter:NoToken' });
        this.ptz.absoluteMove(preset.position);
        return '<tptz:GotoPresetResponse/>';
      }
      case 'CreatePullPointSubscription': {
        const id = this.nextSub++;
        const ttl = durationMs(textOf(xml, 'InitialTerminationTime')) ?? 60_000;
        const sub: Subscription = { id, queue: this.properties.map((p) => this.message(p, 'Initialized')), expires: now + ttl };
        this.subs.set(id, sub);
        return R.pullPointCreated(`${f.base}/onvif/subscription/${id}`, now, sub.expires);
      }
      case 'PullMessages': return this.pull(this.subscription(url), xml);
      case 'Renew': {
        const sub = this.subscription(url);
        sub.expires = Date.now() + (durationMs(textOf(xml, 'TerminationTime')) ?? 60_000);
        return R.renewed(Date.now(), sub.expires);
      }
      case 'Unsubscribe':
        this.subs.delete(this.subscription(url).id);
        return '<wsnt:UnsubscribeResponse/>';
      default:
        return moreOperation(op, xml, f, this.ptzState);
    }
  }

  private subscription(url: string): Subscription {
    const id = Number(url.match(/\/onvif\/subscription\/(\d+)/)?.[1]);
    const sub = this.subs.get(id);
    if (!sub || sub.expires < Date.now()) {
      this.subs.delete(id);
      throw Object.assign(new Error(`unknown or expired subscription ${url}`), { subcode: 'ter:InvalidArgVal' });
    }
    return sub;
  }

  /** Long poll: answers at once when messages wait, else after at most MAX_PULL_WAIT_MS. */
  private async pull(sub: Subscription, xml: string): Promise<string> {
    const limit = Number(textOf(xml, 'MessageLimit') ?? 10) || 10;
    if (!sub.queue.length) {
      const wait = Math.min(durationMs(textOf(xml, 'Timeout')) ?? MAX_PULL_WAIT_MS, MAX_PULL_WAIT_MS);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
        sub.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      sub.wake = undefined;
    }
    const out = sub.queue.splice(0, limit);
    return R.pullMessages(out, Date.now(), sub.expires);
  }

  /** A JPEG of the test picture, made on demand by ffmpeg. */
  private snapshot(res: http.ServerResponse): void {
    const f = this.facts();
    const label = this.o.name.replace(/[':\\%]/g, ' ');
    const ff = spawn('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc=size=${f.width}x${f.height}:rate=1`,
      '-vf', `drawtext=fontfile=${FONT_FILE}:text='${label}':fontsize=16:x=4:y=4:fontcolor=white:box=1:boxcolor=black`,
      '-frames:v', '1', '-f', 'image2', '-c:v', 'mjpeg', 'pipe:1',
    ], { stdio: ['ignore', 'pipe', 'ignore'] });
    const parts: Buffer[] = [];
    ff.stdout.on('data', (d: Buffer) => parts.push(d));
    ff.on('error', () => { res.writeHead(500); res.end('ffmpeg unavailable'); });
    ff.on('close', (code) => {
      if (res.headersSent) return;
      if (code !== 0) { res.writeHead(500); res.end('snapshot failed'); return; }
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      res.end(Buffer.concat(parts));
    });
  }
}

function vector(xml: string, element: string): Partial<PtzPosition> {
  const inner = textOf(xml, element) ?? '';
  const pt = attrsOf(inner, 'PanTilt');
  const z = attrsOf(inner, 'Zoom');
  const out: Partial<PtzPosition> = {};
  if (pt?.x !== undefined) out.pan = Number(pt.x);
  if (pt?.y !== undefined) out.tilt = Number(pt.y);
  if (z?.x !== undefined) out.zoom = Number(z.x);
  return out;
}
