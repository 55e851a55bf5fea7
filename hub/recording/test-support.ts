// Test and bench helpers of the recording module.
import { CameraRegistry } from '../../drivers/onvif/registry.js';

/** A camera registry with RTSP cameras (what a driver registers once it knows the stream URI). */
export function rtspCameras(cams: Record<string, string>): CameraRegistry {
  const registry = new CameraRegistry();
  const since = Date.now();
  for (const [id, streamUri] of Object.entries(cams)) {
    registry.register({ id, info: () => ({ id, devices: [], state: 'online', since, streamUri, codec: 'H264', ptz: false }), ptz: async () => { throw new Error('no PTZ'); } });
  }
  return registry;
}

export const silentLog = { info() {}, warn() {}, error() {}, debug() {}, child: () => silentLog };

export async function until<T>(what: string, f: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
