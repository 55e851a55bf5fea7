// Camera REST payloads shared by the hub (hub/video) and the console.
import type { LocalizedText } from './point.js';

export type CameraState = 'connecting' | 'online' | 'offline' | 'auth_failed' | 'stopped';
/** Connection protocols whose connections are cameras (id = camera id): ONVIF, and RTSP-only cameras. */
export const CAMERA_PROTOCOLS: readonly string[] = ['onvif', 'rtsp'];
export const isCameraProtocol = (protocol: string): boolean => CAMERA_PROTOCOLS.includes(protocol);
export type Axis = 'pan' | 'tilt' | 'zoom';
export type Range = [number, number];
export interface PtzPosition { pan: number; tilt: number; zoom: number }
export interface PtzPreset { token: string; name: string; position?: PtzPosition }
/** What each axis of a camera can do (absolute positions). */
export type PtzLimits = Record<Axis, Range>;

export interface CameraStreamStatus {
  state: 'idle' | 'starting' | 'live' | 'reconnecting' | 'failed';
  viewers: number;
  transport?: 'tcp' | 'udp';
  transcoding?: boolean;
  /** e.g. `transcoding hevc → H.264 …`, or why the stream is reconnecting. */
  detail?: string;
  codec?: string;
  restarts?: number;
}

/** GET /api/cameras items and GET /api/cameras/:id. */
export interface CameraView {
  id: string;
  /** ONVIF (PTZ, events) or an RTSP-only camera (video only). */
  kind?: 'onvif' | 'rtsp';
  name: LocalizedText;
  /** `building/floor/room` of its device. */
  location?: string;
  devices: string[];
  state: CameraState;
  detail?: string;
  since?: number;
  codec?: string;
  width?: number;
  height?: number;
  fps?: number;
  ptz: boolean;
  limits?: PtzLimits;
  presets?: PtzPreset[];
  stream: CameraStreamStatus;
  /** WebSocket path of the live video (`/video/<id>`). */
  videoPath: string;
}

export type PtzCommand =
  | { type: 'move'; pan?: number; tilt?: number; zoom?: number; timeoutMs?: number }
  | { type: 'stop' }
  | { type: 'absolute'; pan?: number; tilt?: number; zoom?: number }
  | { type: 'preset'; action?: 'goto' | 'set'; preset: string; name?: string };

export interface PtzResult { ok: true; position?: PtzPosition; preset?: string }

