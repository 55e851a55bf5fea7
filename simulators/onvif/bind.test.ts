// The camera simulator listens on loopback only (issue 11 item 10): ffmpeg's RTP sockets, the RTSP
// server's udpsrc and its UDP ports towards an RTSP client — none on 0.0.0.0 or ::.
import { execFileSync, spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { startCameraVideo, type CameraVideo } from './video.js';

let video: CameraVideo | undefined;
afterAll(async () => {
  await video?.stop();
});

/** pids of this process's ffmpeg and python3 children (the simulator's picture source and RTSP server). */
function simulatorPids(): number[] {
  return execFileSync('ps', ['--ppid', String(process.pid), '-o', 'pid=,comm='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([, comm]) => comm === 'ffmpeg' || comm === 'python3')
    .map(([pid]) => Number(pid));
}

describe('camera simulator sockets', () => {
  it('binds every socket of ffmpeg and the RTSP server to 127.0.0.1, also while a client plays over UDP', async () => {
    const udpPort = 30_000 + Math.floor(Math.random() * 10_000) * 2;
    video = await startCameraVideo({ name: 'bind-test', width: 160, height: 120, fps: 5, codec: 'H264', udpPort, rtspPort: udpPort + 1, mount: 'live' });
    const pids = simulatorPids(); // before the client, which is an ffmpeg child too
    expect(pids.length).toBe(2);
    // A client that plays over UDP for a few seconds: the server's client-transport sockets exist only then.
    const client = spawn('ffmpeg', ['-v', 'error', '-rtsp_transport', 'udp', '-i', video.rtspUrl, '-t', '8', '-f', 'null', '-'], { stdio: 'ignore' });
    const ours = () => execFileSync('ss', ['-tulpnH'], { encoding: 'utf8' }).split('\n').filter((l) => pids.some((pid) => l.includes(`pid=${pid},`)));
    // ffmpeg's RTP/RTCP sockets, the RTSP listener, udpsrc, and the two client-transport ports
    let lines = ours();
    for (let i = 0; i < 100 && lines.length < 6 && client.exitCode === null; i++) {
      await new Promise((r) => setTimeout(r, 200));
      lines = ours();
    }
    client.kill('SIGKILL');
    expect(lines.length).toBeGreaterThanOrEqual(6);
    expect(lines.filter((l) => !/\s127\.0\.0\.1:\d+\s/.test(l))).toEqual([]);
  }, 60_000);
});
