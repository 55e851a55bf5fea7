// Streams a WAV to PA endpoints as real RTP (G.711 μ-law, 8 kHz): one ffmpeg per zone, paced
// at real time (-re). kill() stops a zone at once (emergency preemption).
import { spawn, type ChildProcess } from 'node:child_process';

export interface Stream {
  zone: string;
  child: ChildProcess;
  /** Resolves when ffmpeg exits: true when it finished the file, false when killed or failed. */
  done: Promise<boolean>;
  kill(): void;
}

export function streamRtp(file: string, zone: string, endpoint: { host: string; port: number }, onError: (msg: string) => void): Stream {
  const child = spawn('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-nostdin', '-re', '-i', file,
    '-acodec', 'pcm_mulaw', '-ar', '8000', '-ac', '1', '-f', 'rtp', `rtp://${endpoint.host}:${endpoint.port}`,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  let killed = false;
  child.stderr!.on('data', (d: Buffer) => {
    if (err.length < 2000) err += d.toString();
  });
  const done = new Promise<boolean>((ok) => {
    child.on('error', (e) => {
      onError(`ffmpeg could not start: ${e.message}`);
      ok(false);
    });
    child.on('close', (code) => {
      if (code !== 0 && !killed) onError(`ffmpeg exited with ${code} for zone ${zone}: ${err.trim().split('\n').slice(-2).join(' | ')}`);
      ok(code === 0 && !killed);
    });
  });
  return {
    zone, child, done,
    kill() {
      killed = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
