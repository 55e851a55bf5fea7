// Viewer and transcoding limits of the gateway: pure checks, coded domain errors (the API and the
// WebSocket upgrade turn them into 429 / 503 with the message, which names the camera and limit).
import { DomainError, UnavailableError } from '../errors.js';

export interface VideoLimits {
  /** Viewers of one camera at once (browser tiles; internal recorders do not count). */
  maxViewersPerCamera: number;
  /** Streams transcoded (H.265 → H.264) at once across the gateway: each costs a CPU core or so. */
  maxTranscodes: number;
}

export const DEFAULT_LIMITS: VideoLimits = { maxViewersPerCamera: 16, maxTranscodes: 2 };

/** One camera has as many viewers as it may: 429, try later. */
export class ViewerLimitError extends DomainError {
  constructor(camera: string, limit: number) {
    super('limited', 'viewer_limit', `camera ${camera} already has ${limit} viewers, its limit (video.maxViewersPerCamera); close another view of it or try later`, { camera, limit });
    this.name = 'ViewerLimitError';
  }
}

/** Starting this camera would transcode one stream more than the gateway's budget: 503. */
export class TranscodeBudgetError extends UnavailableError {
  constructor(camera: string, limit: number, busy: string[]) {
    super('transcode_budget', `camera ${camera} needs transcoding to H.264, and the transcoding budget of ${limit} stream(s) (video.maxTranscodes) is in use by ${busy.join(', ') || 'other cameras'}`, { camera, limit, busy });
    this.name = 'TranscodeBudgetError';
  }
}

/** The refusal for a new viewer of `camera`, or undefined when it may watch (pure). */
export function admitViewer(o: {
  camera: string;
  viewers: number;
  /** Is this camera's stream already running (so it costs nothing new)? */
  running: boolean;
  /** Will it be transcoded (codec the camera reports, or found out earlier)? */
  needsTranscode: boolean;
  /** Cameras transcoding now. */
  transcoding: string[];
  limits: VideoLimits;
}): DomainError | undefined {
  if (o.viewers >= o.limits.maxViewersPerCamera) return new ViewerLimitError(o.camera, o.limits.maxViewersPerCamera);
  if (!o.running && o.needsTranscode && o.transcoding.filter((c) => c !== o.camera).length >= o.limits.maxTranscodes) {
    return new TranscodeBudgetError(o.camera, o.limits.maxTranscodes, o.transcoding);
  }
  return undefined;
}
