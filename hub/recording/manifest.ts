// Evidence manifests: SHA-256 of every exported file, who/when/why, and the check that proves
// later nothing was changed, added or removed (`npm run evidence:verify -- DIR`). Pure but for
// file reads; no hub imports, so the verify script runs anywhere.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { EvidenceManifest } from '../../contracts/recording.js';

export const MANIFEST_FILE = 'manifest.json';

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    fs.createReadStream(file).on('data', (d) => h.update(d)).on('error', reject).on('end', () => resolve(h.digest('hex')));
  });
}

/** Every regular file under `dir` (relative, `/`-separated, sorted), the manifest itself excluded. */
export function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, r));
    else if (e.isFile() && r !== MANIFEST_FILE) out.push(r);
  }
  return out.sort();
}

export async function hashFiles(dir: string): Promise<EvidenceManifest['files']> {
  const out: EvidenceManifest['files'] = [];
  for (const f of listFiles(dir)) {
    const full = path.join(dir, f);
    out.push({ path: f, bytes: fs.statSync(full).size, sha256: await sha256File(full) });
  }
  return out;
}

export interface VerifyProblem {
  path: string;
  problem: 'missing' | 'changed' | 'extra' | 'size' | 'manifest';
  detail?: string;
}

/** What differs between a folder and its manifest: files missing, changed (hash), or not listed. */
export async function verifyEvidence(dir: string): Promise<{ manifest?: EvidenceManifest; problems: VerifyProblem[] }> {
  let manifest: EvidenceManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as EvidenceManifest;
    if (manifest.format !== 'watchfloor-evidence/1' || !Array.isArray(manifest.files)) throw new Error('not a watchfloor evidence manifest');
  } catch (err) {
    return { problems: [{ path: MANIFEST_FILE, problem: 'manifest', detail: (err as Error).message }] };
  }
  return { manifest, problems: compareFiles(manifest.files, await hashFiles(dir)) };
}

/** Pure comparison of the listed files with the files found. */
export function compareFiles(listed: EvidenceManifest['files'], found: EvidenceManifest['files']): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  const have = new Map(found.map((f) => [f.path, f]));
  for (const f of listed) {
    const g = have.get(f.path);
    if (!g) problems.push({ path: f.path, problem: 'missing' });
    else if (g.sha256 !== f.sha256) problems.push({ path: f.path, problem: 'changed', detail: `sha256 ${g.sha256} ≠ manifest ${f.sha256}` });
    else if (g.bytes !== f.bytes) problems.push({ path: f.path, problem: 'size', detail: `${g.bytes} ≠ ${f.bytes} bytes` });
  }
  const names = new Set(listed.map((f) => f.path));
  for (const g of found) if (!names.has(g.path)) problems.push({ path: g.path, problem: 'extra' });
  return problems;
}
