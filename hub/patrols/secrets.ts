// Per-checkpoint secrets, kept in <dataDir>/patrols/secrets.json (0600) and never in YAML: the
// config folder is shared and versioned, the secrets are what makes a printed code unforgeable.
// A checkpoint gets a secret the first time it is seen; rotate() replaces it and bumps the version.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

interface Entry { version: number; secret: string; rotatedAt: number }

export class CheckpointSecrets {
  private readonly file: string;
  private entries: Record<string, Entry>;

  constructor(dir: string, private readonly now: () => number = Date.now) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.file = path.join(dir, 'secrets.json');
    this.entries = fs.existsSync(this.file) ? (JSON.parse(fs.readFileSync(this.file, 'utf8')) as Record<string, Entry>) : {};
  }

  /** Makes sure every checkpoint has a secret (new ones get version 1). */
  ensure(ids: readonly string[]): void {
    let changed = false;
    for (const id of ids) {
      if (this.entries[id]) continue;
      this.entries[id] = { version: 1, secret: randomBytes(32).toString('base64'), rotatedAt: this.now() };
      changed = true;
    }
    if (changed) this.save();
  }

  key(id: string): { secret: Buffer; version: number } | undefined {
    const e = this.entries[id];
    return e && { secret: Buffer.from(e.secret, 'base64'), version: e.version };
  }

  info(id: string): { version: number; rotatedAt: number } | undefined {
    const e = this.entries[id];
    return e && { version: e.version, rotatedAt: e.rotatedAt };
  }

  rotate(id: string): number {
    const prev = this.entries[id]?.version ?? 0;
    this.entries[id] = { version: prev + 1, secret: randomBytes(32).toString('base64'), rotatedAt: this.now() };
    this.save();
    return prev + 1;
  }

  private save(): void {
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.entries, null, 1), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }
}
