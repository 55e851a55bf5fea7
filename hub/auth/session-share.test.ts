// What the session store offers a shared store (hub/auth/session-redis.ts): it tells every local
// create/delete by token hash, and applies other hubs' writes with this hub's view of the user.
import { describe, expect, it } from 'vitest';
import { hashOf, SessionStore, type SessionWrite } from './sessions.js';

const resolveUser = (username: string) => (username === 'ann' ? { username: 'ann', name: 'Ann', role: 'viewer' as const, permissions: ['points:read' as const] } : undefined);
const user = { username: 'ann', name: 'Ann', role: 'viewer' as const, permissions: ['points:read' as const] };

describe('SessionStore sharing', () => {
  it('tells a create and a delete by the token hash, never the token', () => {
    const store = new SessionStore(60_000, () => 1000, { resolveUser });
    const writes: SessionWrite[] = [];
    store.onWrite((w) => writes.push(w));
    const s = store.create(user);
    store.delete(s.token);
    expect(writes).toEqual([{ op: 'put', key: hashOf(s.token), username: 'ann', expiresAt: 61_000 }, { op: 'del', key: hashOf(s.token) }]);
    expect(JSON.stringify(writes)).not.toContain(s.token);
  });

  it('applies another hub\'s session: the token works here, and its deletion ends it', () => {
    const a = new SessionStore(60_000, () => 1000, { resolveUser });
    const b = new SessionStore(60_000, () => 1000, { resolveUser });
    const told: SessionWrite[] = [];
    b.onWrite((w) => told.push(w));
    a.onWrite((w) => b.applyRemote(w));
    const s = a.create(user);
    expect(b.get(s.token)?.username).toBe('ann');
    expect(told).toEqual([]); // applied, not re-broadcast
    a.delete(s.token);
    expect(b.get(s.token)).toBeUndefined();
  });

  it.each([
    ['an unknown user', { op: 'put', key: 'k', username: 'mallory', expiresAt: 9_999_999 }],
    ['an expired session', { op: 'put', key: 'k', username: 'ann', expiresAt: 500 }],
  ] as const)('refuses %s', (_name, w) => {
    const store = new SessionStore(60_000, () => 1000, { resolveUser });
    expect(store.applyRemote(w)).toBe(false);
    expect(store.entries()).toEqual([]);
  });
});
