// Standby streams benchmark (`npm run bench -- video-standby`): what keeping alarm cameras warm
// costs. N camera ids (default 4 = hub.yaml video.standbyMax's default) on one simulated 1080p15
// H.264 source are put on standby in a real gateway with no viewer; CPU of the `-c copy` remux
// ffmpeg processes and of the gateway's node process (MP4 splitting, GOP cache) over 10 s, and
// what a viewer opening one of them gets at once (the cached GOP).
import os from 'node:os';
import { WebSocket } from 'ws';
import { cpuSeconds, startVideoRig } from './video-rig.js';

export async function benchStandby(): Promise<Record<string, number | string>> {
  const n = Number(process.env.STANDBY_CAMERAS ?? 4);
  const ids = Array.from({ length: n }, (_, i) => `sb-${i}`);
  const rig = await startVideoRig({ camera: { id: 'hd', name: 'Standby 1080p', width: 1920, height: 1080, fps: 15 }, ids, codec: 'H264', tmpPrefix: 'wf-bench-standby-' });
  const { gateway } = rig;
  const isRemux = (cmd: string) => cmd.includes('frag_keyframe') && cmd.includes(`:${rig.rtspPort}/`);
  try {
    gateway.setStandby(ids);
    const liveCount = () => ids.filter((id) => gateway.status(id)?.state === 'live').length;
    const deadline = Date.now() + 30_000;
    while (liveCount() < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 3000)); // past the start-up (probing) of each ffmpeg
    const live = liveCount();
    let bytes = 0; // the source's bitrate, read by an internal consumer (costs nothing extra)
    const release = gateway.stream(ids[0])!.add({ sendInit() {}, sendFragment: (d) => (bytes += d.length), sendStatus() {}, backlog: () => 0, internal: true });
    const node0 = process.cpuUsage();
    const t0 = Date.now();
    const remux0 = cpuSeconds(isRemux);
    await new Promise((r) => setTimeout(r, 10_000));
    const secs = (Date.now() - t0) / 1000;
    const remux = ((cpuSeconds(isRemux) - remux0) / secs) * 100;
    const nodeUse = process.cpuUsage(node0);
    const node = ((nodeUse.user + nodeUse.system) / 1e6 / secs) * 100;
    release();
    // A viewer opening a standby camera: what arrives before the gateway's hello came from the cache.
    const got = await new Promise<{ before: number; bytes: number }>((resolve) => {
      const ws = new WebSocket(`ws://${rig.base}/video/${ids[0]}`);
      let before = 0;
      let bytes = 0;
      ws.on('message', (d: Buffer, bin) => {
        if (bin) {
          before++;
          bytes += d.length;
        } else if (JSON.parse(String(d)).status === 'hello') {
          ws.close();
          resolve({ before, bytes });
        }
      });
    });
    return {
      'standby streams (1080p15 H.264, -c copy)': `${live}/${n} live`,
      'bitrate of each stream (Mbit/s)': (bytes * 8) / secs / 1e6,
      'remux ffmpeg CPU, all standby streams (% of a core)': remux,
      'remux ffmpeg CPU per standby stream (%)': remux / n,
      'gateway node CPU, all standby streams (%)': node,
      'opening viewer: messages from the cache (init + GOP)': got.before,
      'opening viewer: bytes from the cache': got.bytes,
    };
  } finally {
    await rig.close();
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  console.log(`load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(await benchStandby());
  process.exit(0);
}
