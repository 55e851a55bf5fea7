// REST client of the hub. Every failure becomes an ApiRequestError carrying the hub's own
// message, so the UI can show exactly what the server said (e.g. a refused write's reason).
import type {
  ApiError,
  HealthResponse,
  PointsPage,
  PointView,
  SessionInfo,
  SiteTree,
  WriteResponse,
} from '../../contracts/api.js';
import type { PointValue } from '../../contracts/point.js';
import type { BuildingPlan } from '../../contracts/geometry.js';

export class ApiRequestError extends Error {
  constructor(
    /** HTTP status, or 0 when the hub could not be reached at all. */
    public readonly status: number,
    public readonly code: string,
    message: string,
    /** The hub's `error.details` (e.g. a PTZ range, a schedule's problems). */
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

export interface PointsQuery {
  building?: string;
  floor?: string;
  room?: string;
  prefix?: string;
  offset?: number;
  limit?: number;
}

/** The hub caps a page at this many points. */
export const MAX_PAGE = 1000;

function isApiError(body: unknown): body is ApiError {
  const error = (body as ApiError | null)?.error;
  return typeof error === 'object' && error !== null && typeof error.message === 'string';
}

/** Where and as whom the console talks to the hub; every REST client of the console uses it. */
export interface HubEndpoint {
  /** '' in the browser (same origin); an absolute origin elsewhere (tests). */
  baseUrl: string;
  /** Read at each request so a new login is picked up without rebuilding the client. */
  token: () => string | null;
  /** Called on a 401 (a session that ended on the server), but not on a refused login. */
  onUnauthorized?: () => void;
}

/**
 * Sends one request to the hub. A 2xx answer is returned as it is (JSON, a JPEG...); anything else
 * throws an ApiRequestError with the hub's own code, message and details.
 */
export async function hubFetch(hub: HubEndpoint, method: string, path: string, body?: unknown, init: { signal?: AbortSignal; accept?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: init.accept ?? 'application/json' };
  const token = hub.token();
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${hub.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: init.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err; // the caller gave up: not a network fault
    throw new ApiRequestError(0, 'network', `${method} ${path}: ${(err as Error).message}`);
  }
  if (response.ok) return response;
  if (response.status === 401 && !path.startsWith('/api/auth/login')) hub.onUnauthorized?.();
  let parsed: unknown;
  try {
    parsed = JSON.parse(await response.text());
  } catch {
    // A proxy or a crash page answered instead of the hub: fall through to the HTTP status.
  }
  if (isApiError(parsed)) throw new ApiRequestError(response.status, parsed.error.code, parsed.error.message, parsed.error.details);
  throw new ApiRequestError(response.status, 'http_error', `${method} ${path}: HTTP ${response.status} ${response.statusText}`.trim());
}

/** hubFetch, then the answer as JSON (empty → undefined). */
export async function hubJson<T>(hub: HubEndpoint, method: string, path: string, body?: unknown, init: { signal?: AbortSignal } = {}): Promise<T> {
  const response = await hubFetch(hub, method, path, body, init);
  const text = await response.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiRequestError(response.status, 'bad_response', `${method} ${path}: response is not JSON (HTTP ${response.status})`);
  }
}

export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    /** Read at each request so a new login is picked up without rebuilding the client. */
    private readonly token: () => string | null,
    /** Called on any 401, e.g. to drop a session that expired on the server. */
    private readonly onUnauthorized: () => void = () => {},
  ) {}

  private request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return hubJson<T>({ baseUrl: this.baseUrl, token: this.token, onUnauthorized: this.onUnauthorized }, method, path, body);
  }

  login(username: string, password: string): Promise<SessionInfo> {
    return this.request('POST', '/api/auth/login', { username, password });
  }

  logout(): Promise<unknown> {
    return this.request('POST', '/api/auth/logout');
  }

  me(): Promise<SessionInfo> {
    return this.request('GET', '/api/auth/me');
  }

  site(): Promise<SiteTree> {
    return this.request('GET', '/api/site');
  }

  floorplan(building: string): Promise<BuildingPlan> {
    return this.request('GET', `/api/floorplans/${encodeURIComponent(building)}`);
  }

  health(): Promise<HealthResponse> {
    return this.request('GET', '/api/health');
  }

  pointsPage(query: PointsQuery): Promise<PointsPage> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') params.set(key, String(value));
    }
    return this.request('GET', `/api/points?${params}`);
  }

  /** Every point matching the query, following pages until `total` is reached. */
  async allPoints(query: Omit<PointsQuery, 'offset' | 'limit'>): Promise<PointView[]> {
    const items: PointView[] = [];
    for (;;) {
      const page = await this.pointsPage({ ...query, offset: items.length, limit: MAX_PAGE });
      items.push(...page.items);
      if (page.items.length === 0 || items.length >= page.total) return items;
    }
  }

  /** Point ids are URL-safe paths, so the slashes stay as they are. */
  /** A security command (door release) carries the operator's confirmation and reason. */
  write(pointId: string, value: PointValue, confirmation?: { confirm: true; reason: string }): Promise<WriteResponse> {
    return this.request('POST', `/api/points/${pointId}/write`, { value, ...confirmation });
  }
}
