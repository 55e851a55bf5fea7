// Camera payloads as the console uses them: the REST types come from contracts/cameras.ts.

export type { CameraState, Axis, Range, PtzPosition, PtzPreset, CameraStreamStatus, PtzCommand, PtzResult } from '../../../contracts/cameras.js';
import type { CameraView } from '../../../contracts/cameras.js';
/** GET /api/cameras items and GET /api/cameras/:id (contracts/cameras.ts). */
export type CameraInfo = CameraView;

/** A saved snapshot or clip: file name and the URL that serves it. */
export interface CaptureFile {
  kind: 'snapshots' | 'clips';
  file: string;
  url: string;
  /** Parsed from the file name (ms), when it has the hub's stamp. */
  at?: number;
  /** `manual`, `alarm-<alarm id>`… from the file name. */
  reason?: string;
}
