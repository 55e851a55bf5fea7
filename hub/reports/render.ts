// PDF rendering in real Chromium: the console's print route (`#/reports/print/<token>`) is opened
// with a one-time token for the payload, waits until its charts are drawn, and is printed with
// page.pdf — so a report looks like the console. One browser at a time (2-core box).
import type { Browser } from 'playwright-core';
import type { ReportLang } from '../../contracts/reports.js';

export const CHROMIUM = process.env.WATCHFLOOR_CHROMIUM ?? '/usr/bin/chromium';

export interface RenderResult { pdf: Uint8Array; ms: number }

export class PdfRenderer {
  private chain: Promise<unknown> = Promise.resolve();
  private browser: Browser | null = null;

  /** Serialised: a second render waits for the first. */
  render(url: string, lang: ReportLang, timeoutMs = 60_000): Promise<RenderResult> {
    const run = this.chain.then(() => this.renderOne(url, lang, timeoutMs));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async renderOne(url: string, lang: ReportLang, timeoutMs: number): Promise<RenderResult> {
    const t0 = Date.now();
    try {
      // Loaded on first use: a hub that never renders a report does not need playwright-core.
      const { chromium } = await import('playwright-core');
      this.browser ??= await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage', '--font-render-hinting=none'] });
      const context = await this.browser.newContext({ locale: lang === 'en' ? 'en-US' : 'zh-CN', viewport: { width: 1100, height: 1400 }, deviceScaleFactor: 1 });
      try {
        await context.addInitScript(`localStorage.setItem('watchfloor.locale', ${JSON.stringify(lang)});`);
        const page = await context.newPage();
        await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
        await page.locator('[data-print-ready="1"], [data-print-error]').first().waitFor({ timeout: timeoutMs, state: 'attached' });
        const failed = page.locator('[data-print-error]');
        if ((await failed.count()) > 0) throw new Error(`print page failed: ${await failed.first().getAttribute('data-print-error')}`);
        await page.emulateMedia({ media: 'print' });
        const pdf = await page.pdf({ format: 'A4', printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' } });
        return { pdf, ms: Date.now() - t0 };
      } finally {
        await context.close();
      }
    } finally {
      // Chromium is not kept between reports (a few a day): its memory goes back to the box.
      await this.close(false);
    }
  }

  async close(waitForQueue = true): Promise<void> {
    if (waitForQueue) await this.chain.catch(() => undefined);
    await this.browser?.close().catch(() => undefined);
    this.browser = null;
  }
}
