// `npm run testrun -- --checkout`: starts point-to-point checkout on the hub, prints progress per
// floor, and writes the sign-off report (HTML and a PDF printed by Chromium) for the handover.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { CheckoutView } from '../contracts/testruns.js';
import { renderCheckoutHtml, type FloorScreen } from '../hub/testruns/checkout-report.js';
import { screenshotter } from './console-screens.js';

export interface CheckoutCliOptions {
  hub: string;
  out: string;
  user: string;
  area?: string;
  /** Also trip and clear the alarms of simulated points (slower: each alarm waits out its delays). */
  alarms?: boolean;
  alarmMaxDelayS?: number;
  password(user: string): string;
  browser: Browser;
}

async function login(hub: string, user: string, password: string): Promise<string> {
  const res = await fetch(`${hub}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password }) });
  if (!res.ok) throw new Error(`sign-in as ${user} failed: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

export async function runCheckout(o: CheckoutCliOptions): Promise<number> {
  const token = await login(o.hub, o.user, o.password(o.user));
  const call = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${o.hub}/api${p}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const t0 = Date.now();
  const body = { ...(o.area ? { area: o.area } : {}), ...(o.alarms ? { alarms: true } : {}), ...(o.alarmMaxDelayS !== undefined ? { alarmMaxDelayS: o.alarmMaxDelayS } : {}) };
  let v = await call<CheckoutView>('POST', '/testruns/checkout/start', body);
  console.log(`checkout ${v.id}: ${v.total} points${v.alarms ? `, ${v.alarms.total} alarms` : ''}`);
  let lastLine = '';
  while (v.state === 'running') {
    await new Promise((r) => setTimeout(r, 1000));
    v = await call<CheckoutView>('GET', '/testruns/checkout');
    const alarms = v.alarms ? `  | alarms ${v.alarms.done}/${v.alarms.total}: ${v.alarms.pass} pass, ${v.alarms.fail} fail, ${v.alarms.skipped} skipped` : '';
    const line = `  ${v.done}/${v.total} done · ${v.pass} pass · ${v.fail} fail · ${v.skipped} skipped  | ${v.floors.map((f) => `${f.key} ${f.done}/${f.total}`).join('  ')}${alarms}`;
    if (line !== lastLine) console.log(line);
    lastLine = line;
  }
  const ms = Date.now() - t0;
  if (v.state === 'done') await call('POST', '/testruns/checkout/sign-off', { note: `automatic checkout by ${o.user}` });
  const full = await call<CheckoutView>('GET', '/testruns/checkout?items=1');
  fs.mkdirSync(o.out, { recursive: true });
  const screens = await floorScreens(o, full.floors.map((f) => f.key));
  const html = renderCheckoutHtml(full, { hub: o.hub, ms, screens });
  const htmlFile = path.join(o.out, 'checkout.html');
  fs.writeFileSync(htmlFile, html);
  const page = await o.browser.newPage();
  await page.setContent(html, { waitUntil: 'load' });
  await page.pdf({ path: path.join(o.out, 'checkout.pdf'), format: 'A4', printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' } });
  await page.close();
  console.log(`checkout ${full.state} in ${(ms / 1000).toFixed(1)} s: ${full.pass} pass, ${full.fail} fail, ${full.skipped} skipped of ${full.total}; ${htmlFile}, ${path.join(o.out, 'checkout.pdf')}`);
  if (full.alarms) console.log(`alarms: ${full.alarms.pass} raised and cleared, ${full.alarms.fail} fail, ${full.alarms.skipped} skipped of ${full.alarms.total}`);
  return full.fail > 0 || (full.alarms?.fail ?? 0) > 0 ? 1 : 0;
}

/** Evidence: each checked floor as the console shows it at sign-off (plan and live values), embedded in the report. */
async function floorScreens(o: CheckoutCliOptions, floors: string[]): Promise<FloorScreen[]> {
  const shots = await screenshotter(o.browser, o.hub, o.out, o.password);
  const screens: FloorScreen[] = [];
  try {
    for (const key of floors) {
      const [building, floor] = key.split('/');
      if (!building || !floor) continue;
      const file = await shots.shot(`#/floor/${encodeURIComponent(building)}/${encodeURIComponent(floor)}`, `checkout-floor-${building}-${floor}`, o.user);
      screens.push({ key, png: fs.readFileSync(path.join(o.out, file)), at: Date.now() });
    }
  } finally {
    await shots.close();
  }
  return screens;
}
