// The checkout sign-off report (HTML, printed to PDF by Chromium): totals, progress per floor and
// device, and one row of evidence per point (who, when, values, result). Pure.
import type { CheckoutView } from '../../contracts/testruns.js';

const esc = (s: unknown) => String(s ?? '').replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
const when = (ms?: number) => (ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) : '');

/** A floor as the console showed it at sign-off. */
export interface FloorScreen {
  key: string;
  png: Uint8Array;
  at: number;
}

export function renderCheckoutHtml(v: CheckoutView, meta: { hub: string; ms: number; screens?: readonly FloorScreen[] }): string {
  // Embedded, so the HTML and its PDF are one self-contained document for the handover.
  const screens = (meta.screens ?? []).map((s) => `<figure><img alt="floor ${esc(s.key)}" src="data:image/png;base64,${Buffer.from(s.png).toString('base64')}"><figcaption>Floor ${esc(s.key)}, ${when(s.at)} UTC</figcaption></figure>`).join('');
  const groups = (title: string, gs: CheckoutView['floors']) =>
    `<h2>${title}</h2><table><tr><th>${title === 'Floors' ? 'floor' : 'device'}</th><th>points</th><th>pass</th><th>fail</th><th>skipped</th></tr>${gs.map((g) => `<tr class="${g.fail ? 'fail' : ''}"><td>${esc(g.key)}</td><td>${g.total}</td><td>${g.pass}</td><td>${g.fail}</td><td>${g.skipped}</td></tr>`).join('')}</table>`;
  const items = (v.items ?? []).map((i) => `<tr class="${i.result === 'fail' ? 'fail' : ''}"><td>${esc(i.pointId)}${i.safety ? ' ⚠' : ''}</td><td>${i.kind}</td><td>${esc(i.result)}</td><td>${esc(i.detail)}</td><td>${esc(i.by)}</td><td>${when(i.at)}</td></tr>`).join('');
  const a = v.alarms;
  const alarmRows = (a?.checks ?? []).map((c) => `<tr class="${c.result === 'fail' ? 'fail' : ''}"><td>${esc(c.alarmId)}</td><td>${esc(c.pointId)}</td><td>${esc(c.priority)}</td><td>${esc(c.result)}</td><td>${esc(c.detail)}</td><td>${esc(c.tripValue)}</td><td>${when(c.raisedAt)}</td><td>${when(c.clearedAt)}</td><td>${esc(c.testTag)}</td><td>${esc(c.by)}</td></tr>`).join('');
  const alarms = a
    ? `<h2>Alarm checks</h2><p><b>${a.total}</b> alarms: <b>${a.pass}</b> raised and cleared, <b>${a.fail}</b> fail, <b>${a.skipped}</b> skipped (no safe way to trip them, or not simulated). Each was tripped by a test fault on a simulated point and carried the test tag.</p>
<table><tr><th>alarm</th><th>point</th><th>priority</th><th>result</th><th>detail</th><th>held at</th><th>raised (UTC)</th><th>cleared (UTC)</th><th>test tag</th><th>by</th></tr>${alarmRows}</table>`
    : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>Checkout ${esc(v.id)}</title><style>
body{font:11px/1.35 "Noto Sans SC",system-ui,sans-serif;color:#1b2430}h1{font-size:18px}h2{font-size:14px;margin-top:18px}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #dde;padding:2px 5px;text-align:left;vertical-align:top}
tr.fail td{background:#fdecea}figure{margin:8px 0;page-break-inside:avoid}figure img{width:100%;border:1px solid #dde}figcaption{font-size:10px;color:#556}.sign{margin-top:24px;display:flex;gap:48px}.sign div{border-top:1px solid #333;padding-top:4px;min-width:200px}
</style></head><body><h1>Point-to-point checkout — sign-off report</h1>
<p>Run ${esc(v.id)} on ${esc(meta.hub)} by ${esc(v.by)}; started ${when(v.startedAt)} UTC, ${esc(v.state)} after ${(meta.ms / 1000).toFixed(0)} s.
<b>${v.total}</b> points: <b>${v.pass}</b> pass, <b>${v.fail}</b> fail, <b>${v.skipped}</b> skipped or awaiting a safety confirmation (⚠ = safety-critical, never written without one).</p>
${v.signedOff ? `<p>Signed off by ${esc(v.signedOff.by)} at ${when(v.signedOff.at)} UTC${v.signedOff.note ? `: ${esc(v.signedOff.note)}` : ''}.</p>` : ''}
${groups('Floors', v.floors)}${groups('Devices', v.devices)}
${alarms}${screens ? `<h2>Screens at sign-off</h2>${screens}` : ''}
<h2>Evidence per point</h2><table><tr><th>point</th><th>check</th><th>result</th><th>detail</th><th>by</th><th>when (UTC)</th></tr>${items}</table>
<div class="sign"><div>Commissioning engineer</div><div>Owner's representative</div><div>Date</div></div></body></html>\n`;
}
