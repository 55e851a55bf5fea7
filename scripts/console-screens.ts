// Screenshots of the console as a signed-in user sees it (test-run reports, the checkout's
// sign-off evidence): one browser page, signed in once per user, 1366×768 like a desk.
import path from 'node:path';
import type { Browser } from 'playwright-core';

export async function screenshotter(browser: Browser, hub: string, outDir: string, password: (u: string) => string) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en' });
  const page = await context.newPage();
  let signedIn = '';
  return {
    async shot(route: string, name: string, user: string): Promise<string> {
      if (signedIn !== user) {
        await page.goto(`${hub}/`);
        await page.locator('input[name=username]').fill(user);
        await page.locator('input[name=password]').fill(password(user));
        await page.locator('.login-card button[type=submit]').click();
        await page.waitForSelector('input[name=username]', { state: 'detached', timeout: 15_000 });
        signedIn = user;
      }
      await page.goto(`${hub}/${route}`);
      await page.waitForTimeout(1500); // live data and the alarm list arrive over Socket.IO
      const file = `${name}.png`;
      await page.screenshot({ path: path.join(outDir, file) });
      return file;
    },
    close: () => context.close(),
  };
}
