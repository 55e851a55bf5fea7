// What a test run produced, and its two renderings: JUnit XML (CI) and a self-contained HTML
// report with the timeline, one row per expectation and the console screenshots. Pure.

export interface TimelineEntry {
  /** ms since the suite started. */
  t: number;
  kind: 'inject' | 'clear' | 'scenario' | 'wait' | 'act' | 'expect' | 'screenshot' | 'error';
  text: string;
  ok?: boolean;
}

export interface CaseResult {
  name: string;
  ok: boolean;
  /** ms from the step start to the verdict. */
  ms: number;
  limitMs: number;
  detail: string;
}

export interface SuiteResult {
  name: string;
  description: string;
  file: string;
  startedAt: number;
  ms: number;
  cases: CaseResult[];
  timeline: TimelineEntry[];
  /** Screenshot file names (relative to the report), with the step that took them. */
  screenshots: Array<{ name: string; file: string; t: number }>;
  /** A step that failed outright (an inject refused, an act failed). */
  error?: string;
}

const xml = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
// XML 1.0 forbids most control characters even escaped.
const clean = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

export function renderJunit(suites: readonly SuiteResult[]): string {
  const tests = suites.reduce((n, s) => n + s.cases.length + (s.error ? 1 : 0), 0);
  const failures = suites.reduce((n, s) => n + s.cases.filter((c) => !c.ok).length, 0);
  const errors = suites.filter((s) => s.error).length;
  const time = (ms: number) => (ms / 1000).toFixed(3);
  const out = [`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuites name="watchfloor-testruns" tests="${tests}" failures="${failures}" errors="${errors}" time="${time(suites.reduce((n, s) => n + s.ms, 0))}">`];
  for (const s of suites) {
    const f = s.cases.filter((c) => !c.ok).length;
    out.push(`  <testsuite name="${xml(s.name)}" tests="${s.cases.length + (s.error ? 1 : 0)}" failures="${f}" errors="${s.error ? 1 : 0}" time="${time(s.ms)}" timestamp="${new Date(s.startedAt).toISOString()}" file="${xml(s.file)}">`);
    for (const c of s.cases) {
      const open = `    <testcase classname="${xml(s.name)}" name="${xml(clean(c.name))}" time="${time(c.ms)}"`;
      if (c.ok) out.push(`${open}/>`);
      else out.push(`${open}>`, `      <failure message="${xml(clean(c.detail))}">${xml(clean(`${c.name}: ${c.detail} (limit ${c.limitMs / 1000} s)`))}</failure>`, `    </testcase>`);
    }
    if (s.error) out.push(`    <testcase classname="${xml(s.name)}" name="run" time="0">`, `      <error message="${xml(clean(s.error))}"/>`, `    </testcase>`);
    out.push(`  </testsuite>`);
  }
  out.push(`</testsuites>`, '');
  return out.join('\n');
}

const html = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

export function renderHtml(suites: readonly SuiteResult[], meta: { hub: string; generatedAt: number }): string {
  const pass = suites.every((s) => !s.error && s.cases.every((c) => c.ok));
  const body = suites.map((s) => {
    const ok = !s.error && s.cases.every((c) => c.ok);
    const rows = s.cases.map((c) => `<tr class="${c.ok ? 'ok' : 'fail'}"><td>${c.ok ? 'PASS' : 'FAIL'}</td><td>${html(c.name)}</td><td>${(c.ms / 1000).toFixed(1)} s / ${c.limitMs / 1000} s</td><td>${html(c.detail)}</td></tr>`).join('');
    const timeline = s.timeline.map((e) => `<li class="${e.ok === false ? 'fail' : ''}"><span class="t">+${(e.t / 1000).toFixed(1)} s</span> <b>${e.kind}</b> ${html(e.text)}</li>`).join('');
    const shots = s.screenshots.map((sh) => `<figure><img src="${html(sh.file)}" alt="${html(sh.name)}" loading="lazy"><figcaption>+${(sh.t / 1000).toFixed(1)} s — ${html(sh.name)}</figcaption></figure>`).join('');
    return `<section><h2 class="${ok ? 'ok' : 'fail'}">${ok ? '✔' : '✘'} ${html(s.name)} <small>${(s.ms / 1000).toFixed(1)} s</small></h2><p>${html(s.description)}</p>${s.error ? `<p class="fail">Error: ${html(s.error)}</p>` : ''}<table><thead><tr><th></th><th>expectation</th><th>time / limit</th><th>detail</th></tr></thead><tbody>${rows}</tbody></table><h3>Timeline</h3><ol class="timeline">${timeline}</ol>${shots ? `<h3>Console</h3><div class="shots">${shots}</div>` : ''}</section>`;
  }).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Watchfloor test run</title><style>
body{font:14px/1.4 system-ui,"Noto Sans SC",sans-serif;margin:24px;color:#1b2430}h1 small,h2 small{color:#667;font-weight:normal}
.ok{color:#17683a}.fail{color:#b3261e}table{border-collapse:collapse;width:100%;margin:8px 0}td,th{border-bottom:1px solid #dde;padding:4px 8px;text-align:left;vertical-align:top}
tr.fail td{background:#fdecea}.timeline{font-family:ui-monospace,monospace;font-size:12px}.t{color:#667}.shots{display:flex;flex-wrap:wrap;gap:12px}
figure{margin:0;max-width:460px}img{max-width:100%;border:1px solid #ccd}figcaption{font-size:12px;color:#556}section{margin-bottom:32px}
</style></head><body><h1 class="${pass ? 'ok' : 'fail'}">Watchfloor test run: ${pass ? 'PASS' : 'FAIL'} <small>${html(meta.hub)} · ${new Date(meta.generatedAt).toISOString()}</small></h1>
<p>${suites.length} suite(s), ${suites.reduce((n, s) => n + s.cases.length, 0)} expectation(s), ${suites.reduce((n, s) => n + s.cases.filter((c) => !c.ok).length, 0)} failed. Every alarm raised here carries the <code>test</code> tag.</p>${body}</body></html>\n`;
}
