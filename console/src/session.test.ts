import { describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../contracts/api.js';
import { SESSION_STORAGE_KEY, clearSession, loadSession, saveSession, setSessionHint, shouldProbeSession } from './session.js';

class MemoryStorage {
  items = new Map<string, string>();
  getItem(key: string) { return this.items.get(key) ?? null; }
  setItem(key: string, value: string) { this.items.set(key, value); }
  removeItem(key: string) { this.items.delete(key); }
}

const session: SessionInfo = {
  user: 'operator', name: 'Operator', role: 'operator', permissions: ['points:read', 'points:write'], token: 'tok', expiresAt: 10_000,
};

describe('session storage', () => {
  it('round-trips a session and clears it', () => {
    const storage = new MemoryStorage();
    saveSession(storage, session);
    expect(loadSession(storage, 5_000)).toEqual(session);
    clearSession(storage);
    expect(loadSession(storage, 5_000)).toBeNull();
  });

  it('drops an expired session', () => {
    const storage = new MemoryStorage();
    saveSession(storage, session);
    expect(loadSession(storage, 10_000)).toBeNull();
  });

  it.each(['not json', '{"token":5}', '{"token":"x"}', 'null'])('treats a corrupted entry %j as signed out', (raw) => {
    const storage = new MemoryStorage();
    storage.setItem(SESSION_STORAGE_KEY, raw);
    expect(loadSession(storage, 0)).toBeNull();
  });

  it('survives a storage that throws', () => {
    const broken = { getItem() { throw new Error('denied'); }, setItem() { throw new Error('full'); }, removeItem() { throw new Error('denied'); } };
    expect(loadSession(broken)).toBeNull();
    expect(() => saveSession(broken, session)).not.toThrow();
    expect(() => clearSession(broken)).not.toThrow();
  });
});

describe('probing the session cookie at start-up', () => {
  it('does not ask the hub on a first visit (no 401 before sign-in)', () => {
    expect(shouldProbeSession(null, new MemoryStorage())).toBe(false);
  });
  it('asks with a session in the tab, or after a sign-in in this browser, and not after signing out', () => {
    const hint = new MemoryStorage();
    expect(shouldProbeSession(session, hint)).toBe(true);
    setSessionHint(hint, true);
    expect(shouldProbeSession(null, hint)).toBe(true);
    setSessionHint(hint, false);
    expect(shouldProbeSession(null, hint)).toBe(false);
  });
});
