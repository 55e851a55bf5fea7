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
