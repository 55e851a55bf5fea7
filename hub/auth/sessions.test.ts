import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SessionStore } from './sessions.js';

const user = { username: 'op', name: 'Operator', role: 'operator' as const, permissions: ['points:read' as const] };

describe('SessionStore', () => {
  it('creates random 32-byte tokens that resolve until they expire', () => {
    const clock = { t: 1000 };
    const store = new SessionStore(60_000, () => clock.t);
    const a = store.create(user);
    const b = store.create(user);
    expect(Buffer.from(a.token, 'base64url')).toHaveLength(32);
    expect(a.token).not.toBe(b.token);
    expect(a.expiresAt).toBe(61_000);
    clock.t = 60_999;
    expect(store.get(a.token)?.username).toBe('op');
    clock.t = 61_000;
    expect(store.get(a.token)).toBeUndefined();
    expect(store.get(undefined)).toBeUndefined();
  });

  it('deletes on logout and sweeps expired sessions on create', () => {
    const clock = { t: 0 };
    const store = new SessionStore(10, () => clock.t);
    const a = store.create(user);
    expect(store.delete(a.token)).toBe(true);
    expect(store.get(a.token)).toBeUndefined();
    store.create(user);
    clock.t = 20;
    store.create(user);
    expect(store.size).toBe(1);
  });
});

describe('SessionStore persistence', () => {
  it('survives a restart through its file, which holds no tokens, and re-resolves the user', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-sessions-'));
    try {
      const file = path.join(dir, 'auth', 'sessions.json');
      const clock = { t: 0 };
      const users: Record<string, Omit<typeof user, 'role'> & { role: 'operator' | 'viewer' } | undefined> = { op: user, gone: { ...user, username: 'gone' } };
      const resolveUser = (u: string) => users[u];
      const first = new SessionStore(60_000, () => clock.t, { file, resolveUser });
      const a = first.create(user);
      const b = first.create({ ...user, username: 'gone' });
      expect(fs.readFileSync(file, 'utf8')).not.toContain(a.token);

      users.op = { ...user, role: 'viewer', permissions: [] }; // demoted while the hub was down
      delete users.gone; // removed from config
      const second = new SessionStore(60_000, () => clock.t, { file, resolveUser });
      expect(second.get(a.token)).toMatchObject({ username: 'op', role: 'viewer', permissions: [], token: a.token });
      expect(second.get(b.token)).toBeUndefined();
      second.delete(a.token);
      expect(new SessionStore(60_000, () => clock.t, { file, resolveUser }).get(a.token)).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
