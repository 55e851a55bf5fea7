// Shared by the work-order browser tests: sign every demo user in over REST, and open a page signed in
// the way the console keeps a session (sessionStorage) with the user's language.
import type { Browser } from 'playwright-core';
import type { SessionInfo } from '../../contracts/api.js';

export async function signInAll(hubUrl: string, usernames: readonly string[], password: string): Promise<Record<string, SessionInfo>> {
  const tokens: Record<string, SessionInfo> = {};
  for (const u of usernames) {
    const r = await fetch(`${hubUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u, password }) });
    tokens[u] = (await r.json()) as SessionInfo;
  }
  return tokens;
}

export async function openSignedIn(browser: Browser, session: SessionInfo, user: string, locale: 'en' | 'zh-CN', viewport: { width: number; height: number }) {
  const context = await browser.newContext({ viewport, locale, deviceScaleFactor: 1 });
  const s = JSON.stringify(session);
  await context.addInitScript(`sessionStorage.setItem('watchfloor.session', ${JSON.stringify(s)}); localStorage.setItem('watchfloor.locale', ${JSON.stringify(locale)}); localStorage.setItem('watchfloor.locale.${user}', ${JSON.stringify(locale)});`);
  const page = await context.newPage();
  return { context, page };
}
