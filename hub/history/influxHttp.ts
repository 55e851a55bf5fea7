// The InfluxDB v1 HTTP API: POST /write (line protocol), GET/POST /query (InfluxQL), GET /ping.
// 1.x serves it natively; 2.x and 3.x through their v1 compatibility endpoints.
import http from 'node:http';
import https from 'node:https';
import { escape } from '@influxdata/influxdb-client';

export interface InfluxConnection {
  url: string;
  database: string;
  retentionPolicy: string;
  username?: string;
  password?: string;
  /** 2.x/3.x token; sent as `Authorization: Token …`. */
  token?: string;
}

export type WriteOutcome =
  | { ok: true }
  /** Network error, timeout, 5xx, 429, auth or missing database: InfluxDB may accept it later. */
  | { ok: false; retriable: true; status?: number; reason: string }
  /** 400/413/422: these exact lines will never be accepted; bisect and dead-letter. */
  | { ok: false; retriable: false; status: number; reason: string };

export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  /** Absent for an empty series (e.g. SHOW CONTINUOUS QUERIES on a database without any). */
  values?: unknown[][];
}

export interface InfluxStatementResult {
  statement_id: number;
  series?: InfluxSeries[];
  error?: string;
}

/** InfluxQL string literal: single quotes, with `\` and `'` escaped. (The client library only knows Flux.) */
export function influxqlString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** InfluxQL identifier: double-quoted with the client's escaping of `"` and `\`. */
export function influxqlIdent(name: string): string {
  return escape.quoted(name);
}

export class InfluxHttpError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'InfluxHttpError';
  }
}

/** Keep-alive: a write every ~50 ms at 200k samples/s should not pay a TCP handshake each. */
const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 16 });

export class InfluxHttp {
  private readonly headers: Record<string, string> = {};
  private readonly base: string;

  constructor(readonly conn: InfluxConnection, private readonly timeoutMs = 30_000) {
    this.base = conn.url.replace(/\/+$/, '');
    if (conn.token) this.headers.Authorization = `Token ${conn.token}`;
    else if (conn.username !== undefined) {
      const basic = Buffer.from(`${conn.username}:${conn.password ?? ''}`).toString('base64');
      this.headers.Authorization = `Basic ${basic}`;
    }
  }

  async ping(): Promise<boolean> {
    try {
      const res = await fetch(`${this.base}/ping`, { headers: this.headers, signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      return res.status === 204 || res.ok;
    } catch {
      return false;
    }
  }

  /**
   * Writes newline-separated lines (ms precision) to the configured database and RP. Through node:http
   * on a keep-alive agent, not fetch: fetch copied every body into a web stream chunk by chunk
   * (`cloneAsUint8Array`) and cost ~10 % of a 1,000-device Modbus hub's CPU at 35 MB/s (docs/performance.md).
   */
  async write(body: string | Uint8Array, retentionPolicy = this.conn.retentionPolicy): Promise<WriteOutcome> {
    const params = new URLSearchParams({ db: this.conn.database, precision: 'ms' });
    if (retentionPolicy) params.set('rp', retentionPolicy);
    let res: { status: number; text: string };
    try {
      res = await this.post(`${this.base}/write?${params}`, typeof body === 'string' ? Buffer.from(body) : body);
    } catch (err) {
      const code = (err as { code?: string }).code;
      return { ok: false, retriable: true, reason: `${(err as Error).message}${code && !(err as Error).message.includes(code) ? ` (${code})` : ''}` };
    }
    if (res.status === 204 || res.status === 200) return { ok: true };
    const reason = `HTTP ${res.status}: ${errorMessage(res.text.trim())}`;
    if (res.status === 400 || res.status === 413 || res.status === 422) return { ok: false, retriable: false, status: res.status, reason };
    return { ok: false, retriable: true, status: res.status, reason };
  }

  /** One POST of `body`; resolves with the status and the answer's text (read only when not 2xx). */
  private post(url: string, body: Uint8Array): Promise<{ status: number; text: string }> {
    const u = new URL(url);
    const secure = u.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const req = (secure ? https : http).request(
        u,
        {
          method: 'POST',
          agent: secure ? httpsAgent : httpAgent,
          headers: { ...this.headers, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.byteLength },
          timeout: this.timeoutMs,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => {
            if (status >= 300) chunks.push(d);
          });
          res.on('end', () => resolve({ status, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Runs InfluxQL statements (`;`-separated) and returns one result per statement; throws on HTTP or statement errors. */
  async query(q: string, opts: { write?: boolean; database?: boolean } = {}): Promise<InfluxStatementResult[]> {
    const params = new URLSearchParams({ q, epoch: 'ms' });
    if (opts.database !== false) params.set('db', this.conn.database);
    let res: Response;
    try {
      res = await fetch(`${this.base}/query`, {
        method: 'POST',
        headers: { ...this.headers, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: params.toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new InfluxHttpError(`InfluxDB query failed: ${(err as Error).message}`);
    }
    const text = await res.text();
    if (!res.ok) throw new InfluxHttpError(`InfluxDB query failed: HTTP ${res.status}: ${errorMessage(text)}`, res.status);
    const body = JSON.parse(text) as { results?: InfluxStatementResult[]; error?: string };
    if (body.error) throw new InfluxHttpError(`InfluxDB query failed: ${body.error}`);
    const results = body.results ?? [];
    const failed = results.find((r) => r.error);
    if (failed) throw new InfluxHttpError(`InfluxDB query failed: ${failed.error}`);
    return results;
  }
}

function errorMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: string; message?: string };
    return parsed.error ?? parsed.message ?? text;
  } catch {
    return text.slice(0, 500);
  }
}
