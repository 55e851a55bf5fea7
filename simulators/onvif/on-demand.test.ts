// On-demand cameras for real: gst-rtsp-server (rtsp_on_demand.py) + ffmpeg pictures, watched by
// ffmpeg RTSP clients. A mount's picture runs only while someone watches: none before the first
// client (an RTSP OPTIONS, the hub's status check, starts nothing), one shared by all clients, and
// gone — process and all — once the last client leaves.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOnvifSimulator, type OnvifSimulator } from './index.js';
import { ON_DEMAND_DEFAULTS, onDemandArgs } from './on-demand.js';
import { domePresets, DEMO_OUTDOOR_CAMERAS } from './outdoor.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** An ffmpeg RTSP client; resolves with the number of frames it decoded (framemd5 lines). */
function watch(url: string, frames?: number): { child: ChildProcess; done: Promise<{ code: number | null; frames: number; stderr: string }> } {
  const child = spawn('ffmpeg', ['-v', 'error', '-rtsp_transport', 'tcp', '-i', url, ...(frames ? ['-frames:v', String(frames)] : []), '-f', 'framemd5', 'pipe:1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; frames: number; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, frames: out.split('\n').filter((l) => /^0,/.test(l)).length, stderr })),
  );
  return { child, done };
}

function rtspOptions(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(`OPTIONS rtsp://127.0.0.1:${port}/${path} RTSP/1.0\r\nCSeq: 1\r\n\r\n`));
    s.once('data', (d) => {
      s.destroy();
      resolve(d.toString('latin1').split('\r\n')[0]);
    });
    s.once('error', reject);
  });
}

describe('onDemandArgs', () => {
  it('a low-resolution, low-rate picture labelled with the camera name and the UTC clock, RTP to the port the server binds', () => {
    const a = onDemandArgs({ id: 'cam-gate-s', name: "South gate 'A'" });
    expect(a[0]).toBe('ffmpeg');
    expect(a).toContain(`testsrc=size=${ON_DEMAND_DEFAULTS.width}x${ON_DEMAND_DEFAULTS.height}:rate=${ON_DEMAND_DEFAULTS.fps}`);
    const vf = a[a.indexOf('-vf') + 1];
    expect(vf).toContain("text='South gate  A   %{gmtime\\:%T}'");
    expect(a.at(-1)).toBe('rtp://127.0.0.1:{port}?pkt_size=1200&localaddr=127.0.0.1');
  });

  it('dome presets in ONVIF generic space: pan −180…180° and tilt −90…0° onto −1…1', () => {
    const sw = DEMO_OUTDOOR_CAMERAS.find((c) => c.id === 'cam-x-sw-ptz')!;
    expect(domePresets(sw)).toEqual([
      { token: 'west-street', name: 'west-street', position: { pan: 0, tilt: 0.822, zoom: 0 } },
      { token: 'south-road', name: 'south-road', position: { pan: 0.5, tilt: 0.822, zoom: 0 } },
      { token: 'junction', name: 'junction', position: { pan: -0.761, tilt: 0.822, zoom: 0 } },
    ]);
  });
});

describe('on-demand camera mounts (gst-rtsp-server + ffmpeg)', () => {
  let sim: OnvifSimulator;
  const clients: ChildProcess[] = [];

  beforeAll(async () => {
    sim = await startOnvifSimulator({
      cameras: [], discovery: false,
      onDemand: [{ id: 'cam-road', name: 'Road camera', fps: 10 }, { id: 'cam-dome', name: 'Dome', dome: { presets: [{ token: 'gate', pan: 90, tilt: -45 }] } }],
    });
  }, 30_000);

  afterAll(async () => {
    for (const c of clients) c.kill('SIGKILL');
    await sim?.stop();
  });

  it('runs nothing until a client asks; an RTSP OPTIONS starts nothing either', async () => {
    const od = sim.onDemand!;
    expect(od.cameras.map((c) => c.id)).toEqual(['cam-road', 'cam-dome']);
    expect(await rtspOptions(od.rtspPort, 'cam-road')).toBe('RTSP/1.0 200 OK');
    await new Promise((r) => setTimeout(r, 500));
    expect(od.active().size).toBe(0);
    expect(od.starts('cam-road')).toBe(0);
  });

  it('streams a mount when asked, shares one picture between clients, and stops it when the last leaves', async () => {
    const od = sim.onDemand!;
    const url = od.cameras.find((c) => c.id === 'cam-road')!.rtspUrl;
    const first = watch(url); // until killed
    clients.push(first.child);
    await expect.poll(() => od.active().get('cam-road')?.length ?? 0, { timeout: 20_000, interval: 100 }).toBe(1);
    const [pid] = od.active().get('cam-road')!;
    expect(alive(pid)).toBe(true);

    // Every socket of the server and of this picture is on loopback (issue 11 item 10).
    const serverPid = Number(execFileSync('ps', ['--ppid', String(process.pid), '-o', 'pid=,args='], { encoding: 'utf8' }).split('\n').find((l) => l.includes('rtsp_on_demand.py'))!.trim().split(/\s+/)[0]);
    const ours = () => execFileSync('ss', ['-tulpnH'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(`pid=${serverPid},`) || l.includes(`pid=${pid},`));
    // RTSP listener, udpsrc's socket, ffmpeg's RTP socket (once ffmpeg has opened its output)
    await expect.poll(() => ours().length, { timeout: 10_000, interval: 100 }).toBeGreaterThanOrEqual(3);
    const sockets = ours();
    expect(sockets.filter((l) => !/\s127\.0\.0\.1:\d+\s/.test(l))).toEqual([]);

    const second = await watch(url, 10).done;
    expect(second).toMatchObject({ code: 0, frames: 10 });
    // The second client saw the first one's picture: same process, still running, started once.
    expect(od.active().get('cam-road')).toEqual([pid]);
    expect(od.starts('cam-road')).toBe(1);
    expect(od.active().has('cam-dome')).toBe(false);

    // The last client goes away without a TEARDOWN (killed: its connection just closes).
    first.child.kill('SIGKILL');
    await first.done;
    await expect.poll(() => od.active().has('cam-road'), { timeout: 10_000, interval: 100 }).toBe(false);
    await expect.poll(() => alive(pid), { timeout: 5_000, interval: 100 }).toBe(false);
  }, 60_000);

  it('starts the picture again for the next client; a dome answers ONVIF with its presets and the on-demand URL', async () => {
    const od = sim.onDemand!;
    const again = await watch(od.cameras.find((c) => c.id === 'cam-road')!.rtspUrl, 5).done;
    expect(again).toMatchObject({ code: 0, frames: 5 });
    expect(od.starts('cam-road')).toBe(2);
    await expect.poll(() => od.active().size, { timeout: 10_000, interval: 100 }).toBe(0);

    const dome = sim.cameras.find((c) => c.id === 'cam-dome')!;
    expect(dome.rtspUrl).toBe(`rtsp://127.0.0.1:${od.rtspPort}/cam-dome`);
    expect(od.cameras.find((c) => c.id === 'cam-dome')!.onvifPort).toBe(dome.onvifPort);
    expect(od.cameras.find((c) => c.id === 'cam-road')!.onvifPort).toBeUndefined();
    expect(sim.camera('cam-dome').presets()).toEqual([{ token: 'gate', name: 'gate', position: { pan: 0.5, tilt: 0, zoom: 0 } }]);
    const res = await fetch(`http://127.0.0.1:${dome.onvifPort}/onvif/device_service`, {
      method: 'POST', headers: { 'content-type': 'application/soap+xml' },
      body: '<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>',
    });
    expect(res.status).toBe(200);
  }, 60_000);

});
