// Evidence export: MP4 clip(s) assembled from the segments (privacy masks burnt in where the camera
// has them), the incident record when exporting an incident, and manifest.json with the SHA-256 of
// every file and who/when/why. The exported ranges become evidence: retention never prunes them.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { EvidenceManifest, ExportResult, Incident } from '../../contracts/recording.js';
import { InvalidError } from '../errors.js';
import type { PrivacyMask } from './config.js';
import type { RecordingIndex } from './index-db.js';
import { hashFiles, MANIFEST_FILE } from './manifest.js';
import { assemble } from './playback.js';

export interface ExportInput {
  index: RecordingIndex;
  cameraDir: (camera: string) => string;
  masks: (camera: string) => readonly PrivacyMask[];
  outRoot: string;
  user: string;
  reason: string;
  clips: Array<{ camera: string; from: number; to: number }>;
  incident?: Incident;
  site?: string;
  /** Extra files to put in the export (name → bytes), e.g. the incident report PDF. */
  extra?: Record<string, Buffer>;
  now?: () => number;
}

const MAX_CLIP_MS = 24 * 3600_000;

export function exportProblems(clips: ExportInput['clips'], reason: string): string | undefined {
  if (!reason || reason.trim().length < 3) return 'reason is required (at least 3 characters): evidence records why it was taken';
  if (clips.length === 0) return 'nothing to export: give clips or an incident with video ranges';
  for (const c of clips) {
    if (!Number.isFinite(c.from) || !Number.isFinite(c.to) || c.to <= c.from) return `clip of ${c.camera}: to must be after from`;
    if (c.to - c.from > MAX_CLIP_MS) return `clip of ${c.camera}: at most 24 h per clip`;
  }
  return undefined;
}

const stamp = (ts: number) => new Date(ts).toISOString().replace(/[-:]/g, '').slice(0, 15);

export async function exportEvidence(i: ExportInput): Promise<ExportResult> {
  const problem = exportProblems(i.clips, i.reason);
  if (problem) throw new InvalidError('invalid_export', problem);
  const t0 = Date.now();
  const now = (i.now ?? Date.now)();
  const id = `ev-${stamp(now)}-${randomUUID().slice(0, 8)}`;
  const dir = path.join(i.outRoot, id);
  fs.mkdirSync(dir, { recursive: true });
  try {
    // Mark first: a clip being exported must not be pruned under our feet.
    for (const c of i.clips) i.index.addEvidence(id, c.camera, c.from, c.to);
    const clips: EvidenceManifest['clips'] = [];
    // Sequential: the export may re-encode (masks) and the machine keeps recording meanwhile.
    for (const c of i.clips) {
      const masks = i.masks(c.camera);
      const file = `${c.camera}-${stamp(c.from)}-${stamp(c.to)}.mp4`;
      await assemble({ index: i.index, cameraDir: i.cameraDir(c.camera), camera: c.camera, from: c.from, to: c.to, out: path.join(dir, file), masks });
      clips.push({ camera: c.camera, from: new Date(c.from).toISOString(), to: new Date(c.to).toISOString(), masked: masks.length > 0, file });
    }
    if (i.incident) fs.writeFileSync(path.join(dir, 'incident.json'), `${JSON.stringify(i.incident, null, 2)}\n`);
    for (const [name, bytes] of Object.entries(i.extra ?? {})) fs.writeFileSync(path.join(dir, name), bytes);
    const manifest: EvidenceManifest = {
      format: 'watchfloor-evidence/1', id, exportedBy: i.user, exportedAt: new Date(now).toISOString(), reason: i.reason.trim(),
      ...(i.incident ? { incident: i.incident.id } : {}), ...(i.site ? { site: i.site } : {}),
      clips, files: await hashFiles(dir),
    };
    fs.writeFileSync(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    return { id, dir, manifest, ms: Date.now() - t0 };
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
