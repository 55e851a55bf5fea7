// REST client of the cameras API (/api/cameras…). Errors carry the hub's code, message and
// details, so a PTZ refusal can show the range the camera accepts.
import { ApiRequestError, hubFetch } from '../api.js';
import { parseCaptureName } from './captures.js';
import type { CameraInfo, CaptureFile, PtzCommand, PtzResult } from './camera-types.js';

export class CameraApiError extends ApiRequestError {
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(status, code, message, details);
    this.name = 'CameraApiError';
  }
}

export class CameraApi {
  constructor(
    /** Read at each request so a new login is picked up. */
    private readonly token: () => string | null,
    private readonly baseUrl = '',
  ) {}

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    try {
      return await hubFetch({ baseUrl: this.baseUrl, token: this.token }, method, path, body);
    } catch (err) {
      if (err instanceof ApiRequestError) throw new CameraApiError(err.status, err.code, err.message, err.details);
      throw err;
    }
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body);
    try {
      return (await res.json()) as T;
    } catch {
      throw new CameraApiError(res.status, 'bad_response', `${method} ${path}: response is not JSON`);
    }
  }

  async list(): Promise<CameraInfo[]> {
    return (await this.json<{ items: CameraInfo[] }>('GET', '/api/cameras')).items;
  }

  get(id: string): Promise<CameraInfo> {
    return this.json('GET', `/api/cameras/${encodeURIComponent(id)}`);
  }

  ptz(id: string, cmd: PtzCommand): Promise<PtzResult> {
    return this.json('POST', `/api/cameras/${encodeURIComponent(id)}/ptz`, cmd);
  }

  /** A JPEG of the camera now (the hub also stores it); `file` is its stored name. */
  async snapshot(id: string): Promise<{ blob: Blob; file: string | null }> {
    const res = await this.send('GET', `/api/cameras/${encodeURIComponent(id)}/snapshot`);
    return { blob: await res.blob(), file: res.headers.get('x-snapshot-file') };
  }

  /** Stored snapshots or clips of a camera, newest first. */
  async files(id: string, kind: 'snapshots' | 'clips'): Promise<CaptureFile[]> {
    const cam = encodeURIComponent(id);
    const { items } = await this.json<{ items: string[] }>('GET', `/api/cameras/${cam}/${kind}`);
    return items.map((file) => ({ kind, file, url: `${this.baseUrl}/api/cameras/${cam}/${kind}/${encodeURIComponent(file)}`, ...parseCaptureName(file) }));
  }

  /** Records a clip (seconds before from the rolling buffer, seconds after live). */
  clip(id: string, opts: { preSeconds?: number; postSeconds?: number } = {}): Promise<{ file: string; bytes: number; at: number }> {
    return this.json('POST', `/api/cameras/${encodeURIComponent(id)}/clips`, opts);
  }

  /** Capture files are protected: fetch with the token, hand out an object URL (revoke it when done). */
  async objectUrl(url: string): Promise<string> {
    const res = await this.send('GET', url.slice(this.baseUrl.length));
    return URL.createObjectURL(await res.blob());
  }
}
