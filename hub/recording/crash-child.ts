// A recorder in its own process, for the kill -9 test (recorder.test.ts): prints the ffmpeg pid and
// each indexed segment as JSON lines; the test kills this process and its ffmpeg at once.
import path from 'node:path';
import { cameraConfig, DEFAULT_RECORDING } from './config.js';
import { RecordingIndex } from './index-db.js';
import { Recorder } from './recorder.js';

const [dir, url, segmentSeconds] = process.argv.slice(2);
const silent = { info() {}, warn() {}, error() {}, debug() {}, child: () => silent };
const index = new RecordingIndex(dir);
const rec = new Recorder({
  camera: 'cam', dir: path.join(dir, 'cam'), index, config: cameraConfig(DEFAULT_RECORDING, 'cam'), segmentSeconds: Number(segmentSeconds ?? 2),
  url: () => url, log: silent as never,
  onSegment: (s) => console.log(JSON.stringify({ segment: s, pid: rec.pid })),
});
await rec.start();
console.log(JSON.stringify({ pid: rec.pid }));
setInterval(() => {}, 1000);
