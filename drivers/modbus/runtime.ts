// A configured point as a connection holds it at run time, and a write prepared for it.
import type { PointInfo } from '../../contracts/point.js';
import type { ResolvedSource } from './schema.js';

export interface RuntimePoint {
  id: string;
  unitId: number;
  src: ResolvedSource;
  info: PointInfo;
}

/** What a write sends, prepared (and range-checked) before it is queued. */
export type PreparedWrite = { kind: 'words'; words: number[] } | { kind: 'coil'; on: boolean } | { kind: 'bit'; on: boolean };
