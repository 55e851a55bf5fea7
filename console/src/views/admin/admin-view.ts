// #/admin: reload the site configuration live (admins, config:reload) and edit alarm rules with a
// backtest preview (supervisors and admins, alarms:rules). Every request goes through hubJson;
// the view model (admin-model.ts) is pure and tested, this file only renders.
import { ApiRequestError, hubJson, type HubEndpoint } from '../../api.js';
import { h } from '../../dom.js';
import { formatDateTime } from '../../i18n.js';
import type { MountedView, ViewContext, ViewModule } from '../view.js';
import { dayBars, editableRule, firings, newRuleTemplate, parseRuleText, type BacktestAnswer, type RuleRow } from './admin-model.js';
import { tr } from './admin-text.js';
import './admin.css';

interface ReloadAnswer { summary: string; needsRestart: string[] }
interface RuleVersion { version: number; ts: number; user: string; action: string; ruleId: string }

const problemsOf = (err: unknown): string[] => {
  const details = err instanceof ApiRequestError ? (err.details as { problems?: unknown } | undefined) : undefined;
  if (Array.isArray(details?.problems)) return details.problems.map(String);
  return [(err as Error).message];
};

function messageBox(kind: 'ok' | 'bad', lines: string[], heading?: string): HTMLElement {
  return h('div', { class: `adm-msg adm-msg-${kind}`, role: kind === 'bad' ? 'alert' : 'status' },
    ...(heading ? [h('div', {}, heading)] : []),
    ...(lines.length > 1 || kind === 'bad' ? [h('ul', {}, ...lines.map((l) => h('li', {}, l)))] : lines.map((l) => h('div', {}, l))));
}

export const adminView: ViewModule = {
  id: 'admin',
  mount(container: HTMLElement, _params, ctx: ViewContext): MountedView {
    const hub: HubEndpoint = { baseUrl: '', token: () => ctx.session.token };
    const perms = ctx.session.permissions ?? [];
    const canReload = perms.includes('config:reload');
    const canRules = perms.includes('alarms:rules');
    const root = h('div', { class: 'adm-page' });
    container.replaceChildren(root);
    let disposed = false;
    let rules: RuleRow[] = [];
    let editing: { id: string | null; text: string } | null = null;
    let preview: HTMLElement = h('div');
    let reloadOut: HTMLElement = h('div');
    let ruleOut: HTMLElement = h('div');
    let versions: RuleVersion[] = [];

    const loadRules = async () => {
      if (!canRules) return;
      const [r, v] = await Promise.all([
        hubJson<{ rules: RuleRow[] }>(hub, 'GET', '/api/alarm-rules'),
        hubJson<{ versions: RuleVersion[] }>(hub, 'GET', '/api/alarm-rules/versions'),
      ]);
      rules = r.rules;
      versions = v.versions;
    };

    const reload = async (button: HTMLButtonElement) => {
      button.disabled = true;
      reloadOut.replaceChildren(h('div', { class: 'adm-msg' }, tr('reload.busy')));
      try {
        const r = await hubJson<ReloadAnswer>(hub, 'POST', '/api/config/reload', {});
        reloadOut.replaceChildren(messageBox('ok', [tr('reload.done', { summary: r.summary }), ...(r.needsRestart.length ? [tr('reload.restart', { what: r.needsRestart.join(', ') })] : [])]));
        await loadRules().catch(() => undefined);
        if (!disposed) draw();
      } catch (err) {
        reloadOut.replaceChildren(messageBox('bad', problemsOf(err), tr('reload.refused')));
      } finally {
        button.disabled = false;
      }
    };

    const runPreview = async (text: string, days: number) => {
      const parsed = parseRuleText(text);
      if (!parsed.ok) return preview.replaceChildren(messageBox('bad', [tr('editor.badJson', { message: parsed.message })]));
      preview.replaceChildren(h('div', { class: 'adm-msg' }, tr('preview.busy')));
      try {
        const a = await hubJson<BacktestAnswer>(hub, 'POST', '/api/alarm-rules/backtest', { rule: parsed.rule, days });
        preview.replaceChildren(renderPreview(a, days));
      } catch (err) {
        preview.replaceChildren(messageBox('bad', problemsOf(err)));
      }
    };

    const save = async (text: string) => {
      const parsed = parseRuleText(text);
      if (!parsed.ok) return ruleOut.replaceChildren(messageBox('bad', [tr('editor.badJson', { message: parsed.message })]));
      try {
        const id = editing?.id;
        const r = id
          ? await hubJson<{ ruleId: string; previousVersion: number }>(hub, 'PUT', `/api/alarm-rules/${encodeURIComponent(id)}`, parsed.rule)
          : await hubJson<{ ruleId: string; previousVersion: number }>(hub, 'POST', '/api/alarm-rules', parsed.rule);
        editing = null;
        await loadRules();
        if (disposed) return;
        draw();
        ruleOut.replaceChildren(messageBox('ok', [tr('editor.saved', { id: r.ruleId, version: r.previousVersion })]));
      } catch (err) {
        ruleOut.replaceChildren(messageBox('bad', problemsOf(err)));
      }
    };

    const toggle = async (rule: RuleRow) => {
      try {
        await hubJson(hub, 'POST', `/api/alarm-rules/${encodeURIComponent(rule.id)}/disable`, { disabled: !rule.disabled });
        await loadRules();
        if (!disposed) draw();
      } catch (err) {
        ruleOut.replaceChildren(messageBox('bad', problemsOf(err)));
      }
    };

    function renderPreview(a: BacktestAnswer, days: number): HTMLElement {
      const bars = dayBars(a.perDay);
      return h('div', { class: 'adm-preview' },
        h('p', { class: 'adm-preview-head' }, a.activations
          ? tr('preview.summary', { activations: a.activations, days, chattering: a.chatteringActivations, count: a.chatter.count, seconds: a.chatter.windowMs / 1000 })
          : tr('preview.none', { days })),
        h('p', { class: 'adm-dim' }, tr('preview.resolution', { resolution: a.resolution, rows: a.rows, ms: a.ms })),
        ...a.notes.map((n) => h('p', { class: 'adm-dim' }, tr('preview.notes', { text: n }))),
        ...(bars.length ? [h('h4', {}, tr('preview.perDay')), h('div', { class: 'adm-bars' }, ...bars.map((b) =>
          h('div', { class: 'adm-bar-row' }, h('span', { class: 'adm-bar-day' }, b.day), h('span', { class: 'adm-bar', style: `width:${Math.max(2, Math.round(b.share * 100))}%` }), h('span', { class: 'adm-bar-n' }, String(b.count)))))] : []),
        ...(a.activations ? [h('h4', {}, tr('preview.events')), h('ul', { class: 'adm-events' }, ...firings(a).map((f) =>
          h('li', {}, `${formatDateTime(f.ts)} · ${f.alarm} · ${tr(f.kind === 'activate' ? 'preview.activate' : 'preview.clear')}`)))] : []),
      );
    }

    function editor(): HTMLElement {
      if (!editing) return h('div');
      const area = h('textarea', { class: 'adm-json', rows: '14', spellcheck: 'false', 'aria-label': tr('editor.heading') }) as HTMLTextAreaElement;
      area.value = editing.text;
      area.addEventListener('input', () => { if (editing) editing.text = area.value; });
      const days = h('input', { type: 'number', min: '1', max: '31', value: '7', class: 'adm-days', 'aria-label': tr('editor.days') }) as HTMLInputElement;
      const previewBtn = h('button', { type: 'button' }, tr('editor.preview'));
      previewBtn.addEventListener('click', () => void runPreview(area.value, Math.max(1, Math.min(31, Number(days.value) || 7))));
      const saveBtn = h('button', { type: 'button', class: 'adm-primary' }, tr('editor.save'));
      saveBtn.addEventListener('click', () => void save(area.value));
      const cancel = h('button', { type: 'button' }, tr('editor.cancel'));
      cancel.addEventListener('click', () => { editing = null; preview = h('div'); draw(); });
      preview = h('div');
      return h('section', { class: 'adm-editor' },
        h('h3', {}, `${tr('editor.heading')}${editing.id ? ` · ${editing.id}` : ''}`),
        area,
        h('div', { class: 'adm-row' }, h('label', { class: 'adm-inline' }, tr('editor.days'), days), previewBtn, saveBtn, cancel),
        preview);
    }

    function rulesTable(): HTMLElement {
      if (rules.length === 0) return h('p', { class: 'adm-dim' }, tr('rules.empty'));
      return h('div', { class: 'adm-table-wrap' }, h('table', { class: 'adm-table' },
        h('thead', {}, h('tr', {}, ...(['col.id', 'col.type', 'col.point', 'col.priority', 'col.state', 'col.actions'] as const).map((k) => h('th', {}, tr(k))))),
        h('tbody', {}, ...rules.map((r) => {
          const edit = h('button', { type: 'button' }, tr('rules.edit'));
          edit.addEventListener('click', () => { editing = { id: r.id, text: JSON.stringify(editableRule(r), null, 2) }; draw(); });
          const onOff = h('button', { type: 'button' }, tr(r.disabled ? 'rules.enable' : 'rules.disable'));
          onOff.addEventListener('click', () => void toggle(r));
          return h('tr', { class: r.disabled ? 'adm-off' : '' },
            h('td', {}, r.id), h('td', {}, r.type), h('td', { class: 'adm-point' }, r.point), h('td', {}, r.priority ?? ''),
            h('td', {}, r.disabled ? tr('rules.disabled') : ''), h('td', { class: 'adm-actions' }, edit, onOff));
        }))));
    }

    function draw(): void {
      const parts: HTMLElement[] = [h('h1', {}, tr('title'))];
      if (!canReload && !canRules) parts.push(h('p', {}, tr('noPermission')));
      if (canReload) {
        const btn = h('button', { type: 'button', class: 'adm-primary' }, tr('reload.button')) as HTMLButtonElement;
        btn.addEventListener('click', () => void reload(btn));
        parts.push(h('section', { class: 'adm-card' }, h('h2', {}, tr('reload.heading')), h('p', { class: 'adm-dim' }, tr('reload.hint')), btn, reloadOut));
      }
      if (canRules) {
        const add = h('button', { type: 'button' }, tr('rules.new'));
        add.addEventListener('click', () => { editing = { id: null, text: JSON.stringify(newRuleTemplate(), null, 2) }; draw(); });
        parts.push(h('section', { class: 'adm-card' },
          h('div', { class: 'adm-row' }, h('h2', {}, tr('rules.heading')), add),
          h('p', { class: 'adm-dim' }, tr('rules.hint')),
          ruleOut, editor(), rulesTable(),
          h('h3', {}, tr('versions.heading')),
          versions.length
            ? h('ul', { class: 'adm-versions' }, ...versions.slice(0, 20).map((v) => h('li', {}, tr('versions.row', { version: v.version, when: formatDateTime(v.ts), user: v.user, action: v.action, rule: v.ruleId }))))
            : h('p', { class: 'adm-dim' }, tr('versions.empty'))));
      }
      root.replaceChildren(...parts);
    }

    draw();
    loadRules().then(() => { if (!disposed) draw(); }, (err) => { ruleOut.replaceChildren(messageBox('bad', problemsOf(err))); });

    return {
      relabel: () => draw(),
      unmount() {
        disposed = true;
        root.remove();
      },
    };
  },
};
