// The language is remembered per user: two people at one console each get theirs back.
import { afterAll, describe, expect, it } from 'vitest';

/** A small Storage, as the browser's localStorage behaves (Node has none). */
class MemoryStorage {
  private readonly map = new Map<string, string>();
  getItem(key: string) { return this.map.get(key) ?? null; }
  setItem(key: string, value: string) { this.map.set(key, String(value)); }
  removeItem(key: string) { this.map.delete(key); }
}
const storage = new MemoryStorage();
(globalThis as { localStorage?: unknown }).localStorage = storage;
afterAll(() => { delete (globalThis as { localStorage?: unknown }).localStorage; });

describe('per-user language', () => {
  it('stores each user choice under their own key and restores it on sign-in', async () => {
    const { getLocale, setLocale, useUserLocale, userLocaleKeyOf, LOCALE_STORAGE_KEY } = await import('./i18n.js');
    setLocale('en');
    useUserLocale('alice');
    setLocale('zh-CN');
    expect(storage.getItem(userLocaleKeyOf('alice'))).toBe('zh-CN');
    useUserLocale('bob'); // bob has no choice yet: he keeps the current one, now remembered as his
    expect(storage.getItem(userLocaleKeyOf('bob'))).toBe('zh-CN');
    setLocale('en');
    expect(storage.getItem(userLocaleKeyOf('bob'))).toBe('en');
    expect(storage.getItem(userLocaleKeyOf('alice'))).toBe('zh-CN');
    useUserLocale('alice');
    expect(getLocale()).toBe('zh-CN');
    expect(storage.getItem(LOCALE_STORAGE_KEY)).toBe('zh-CN'); // the login page follows the last user
  });
});
