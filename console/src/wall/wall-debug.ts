// The wall's read-only probes on window, for browser tests and people at the browser console.
import type { Layer, RoomLook } from '../scene/room-state.js';

declare global {
  interface Window {
    /** Read-only probes for tests and people at the browser console. */
    __wallDebug?: WallDebug;
  }
}
export interface WallDebug {
  ready: boolean;
  layer: () => Layer;
  roomColour(room: string): string | undefined;
  roomLook(room: string): RoomLook | undefined;
  roomScreenPoint(room: string): [number, number] | null;
  renders(): number;
  markers(): number;
  linkUp(): boolean;
  focusedFloor(): string | null;
  /** The alarm the tour holds on screen (null: touring). */
  holding(): string | null;
  /** A room's label text and font size in px, or null when it has none. */
  roomLabel(room: string): { text: string; fontPx: number; className: string } | null;
}
