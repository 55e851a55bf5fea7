// Waits in a page for a JavaScript expression to become truthy, under the console's CSP.
// Playwright's waitForFunction runs the expression through the page's own eval(), which the
// hub's Content-Security-Policy (script-src 'self', no 'unsafe-eval') refuses. page.evaluate
// goes through the DevTools protocol instead, which CSP does not govern, so we poll with it.
import type { Page } from 'playwright-core';

export interface WaitForOptions {
  timeout?: number;
  /** Poll interval in ms; 'raf' is accepted for compatibility and means 16 ms. */
  polling?: number | 'raf';
}

/** Resolves with the expression's first truthy value; rejects naming the expression on timeout. */
export async function waitForExpression<A>(
  page: Page,
  predicate: string | ((arg: A) => unknown),
  arg?: A,
  options: WaitForOptions = {},
): Promise<unknown> {
  // A function is sent as its source text and called with its JSON argument, as waitForFunction did.
  const expression = typeof predicate === 'string' ? predicate : `(${predicate.toString()})(${JSON.stringify(arg ?? null)})`;
  const timeout = options.timeout ?? 30_000;
  const interval = options.polling === 'raf' || options.polling === undefined ? 16 : options.polling;
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await page.evaluate(expression);
      if (value) return value;
    } catch (err) {
      // A navigation in flight destroys the context; anything else is a real error in the expression.
      if (!/context was destroyed|navigation|Target closed/i.test(String(err))) throw err;
      lastError = err;
    }
    if (Date.now() >= deadline) {
      throw new Error(`waitForExpression: timed out after ${timeout} ms waiting for ${expression.slice(0, 160)}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}
