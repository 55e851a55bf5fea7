// The signed-in session, kept in sessionStorage so a reload keeps it but a closed tab forgets it.
// The hub also sets an httpOnly cookie; the token here is for the Authorization header and Socket.IO.
import type { SessionInfo } from '../../contracts/api.js';

export const SESSION_STORAGE_KEY = 'watchfloor.session';

export function loadSession(storage: Pick<Storage, 'getItem'>, now = Date.now()): SessionInfo | null {
  let raw: string | null;
  try {
    raw = storage.getItem(SESSION_STORAGE_KEY);
  } catch {
    return null;
  }
  if (!raw) return null;
  try {
    const session = JSON.parse(raw) as SessionInfo;
    if (typeof session?.token !== 'string' || !Array.isArray(session.permissions)) return null;
    if (typeof session.expiresAt === 'number' && session.expiresAt <= now) return null;
    return session;
  } catch {
    return null; // corrupted entry: treat as signed out
  }
}

export function saveSession(storage: Pick<Storage, 'setItem'>, session: SessionInfo): void {
  try {
    storage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
  } catch {
    // storage full or disabled: the cookie still carries the session
  }
}

export function clearSession(storage: Pick<Storage, 'removeItem'>): void {
  try {
    storage.removeItem(SESSION_STORAGE_KEY);
  } catch {
    // nothing to clear
  }
}

/**
 * A non-secret hint, in localStorage, that this browser signed in before: only then is it worth
 * asking the hub whether the httpOnly session cookie is still valid. A first visit (or one after
 * signing out) shows the sign-in page without a request that can only answer 401.
 */
export const SESSION_HINT_KEY = 'watchfloor.hadSession';

export function setSessionHint(storage: Pick<Storage, 'setItem' | 'removeItem'>, on: boolean): void {
  try {
    if (on) storage.setItem(SESSION_HINT_KEY, '1');
    else storage.removeItem(SESSION_HINT_KEY);
  } catch {
    // storage disabled: the next visit simply shows sign-in
  }
}

/** Ask /api/auth/me at start-up? Only with a session in this tab or a hint of one in the cookie. */
export function shouldProbeSession(stored: SessionInfo | null, hintStorage: Pick<Storage, 'getItem'>): boolean {
  if (stored) return true;
  try {
    return hintStorage.getItem(SESSION_HINT_KEY) === '1';
  } catch {
    return false;
  }
}
