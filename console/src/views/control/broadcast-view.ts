// #/control/broadcast — the public-address panel: pick zones (floors, areas, outdoor), a stored
// message, the chime or spoken text (zh-CN / en, with the length limit), now or at a time, an
// emergency switch that asks for confirmation, and the job list with state and cancel.
// Roles without `broadcast:send` get a notice instead (and no tab).
import { can } from '../../../../contracts/auth.js';
import { h, setText } from '../../dom.js';
import { localized, t, type MessageKey } from '../../i18n.js';
import type { ViewModule } from '../view.js';
import type { BroadcastJob, BroadcastRequest, PaMessage, PaZone } from './control-api.js';
import { present, clientOf, formatTime, messageOf, renderTabs } from './control-common.js';
import './control.css';

/** broadcast.yaml `tts.maxChars` default; the hub enforces the configured value and says so. */
export const TTS_MAX_CHARS = 300;
const REFRESH_MS = 2_000;
const ACTIVE: ReadonlySet<BroadcastJob['status']> = new Set(['scheduled', 'queued', 'playing']);

export type Content = { kind: 'message'; id: string } | { kind: 'chime' } | { kind: 'tts'; text: string; lang: 'zh-CN' | 'en'; chime: boolean };

/** The request body for the form's choices, or the reason it cannot be sent. */
export function buildRequest(zones: readonly string[], content: Content, emergency: boolean, at: number | null, now: number): BroadcastRequest | { error: MessageKey } {
  if (!zones.length) return { error: 'ctl.pa.needZone' };
  const req: BroadcastRequest = { zones: [...zones] };
  if (content.kind === 'message') {
    if (!content.id) return { error: 'ctl.pa.needMessage' };
    req.message = content.id;
  } else if (content.kind === 'chime') {
    req.chime = true;
  } else {
    const text = content.text.trim();
    if (!text) return { error: 'ctl.pa.needText' };
    if ([...text].length > TTS_MAX_CHARS) return { error: 'ctl.pa.tooLong' };
    req.tts = [{ text, lang: content.lang }];
    if (content.chime) req.chime = true;
  }
  if (emergency) req.emergency = true;
  if (at !== null) {
    if (!Number.isFinite(at)) return { error: 'ctl.pa.badTime' };
    if (at > now) req.at = at;
  }
  return req;
}

/**
 * The state to report for a job sent from this page: the job list's, as it moves on (queued →
 * playing → done), else what the hub answered at send time. A status line must not stay "playing".
 */
export function sentJobState(id: string, answered: BroadcastJob['status'], jobs: readonly BroadcastJob[]): BroadcastJob['status'] {
  return jobs.find((j) => j.id === id)?.status ?? answered;
}

export const broadcastView: ViewModule = {
  id: 'control-broadcast',
  mount(container, _params, ctx) {
    const page = h('div', { class: 'ctl-page', 'data-view': 'control-broadcast' });
    container.replaceChildren(page);
    if (!can(ctx.session.permissions, 'broadcast:send')) {
      const draw = () => page.replaceChildren(renderTabs(ctx.session, 'broadcast'), h('p', { class: 'ctl-notice', 'data-testid': 'not-permitted' }, t('ctl.pa.notPermitted')));
      draw();
      return { relabel: draw, unmount() {} };
    }
    const client = clientOf(ctx);
    let zones: PaZone[] = [];
    let messages: PaMessage[] = [];
    let jobs: BroadcastJob[] = [];
    let status: { kind: string; text: () => string } = { kind: '', text: () => '' };
    let confirming = false;
    let alive = true;

    // Form state lives in persistent elements so a job-list refresh never resets what is being typed.
    const picked = new Set<string>();
    const kind = h('select', { 'data-field': 'content' });
    const message = h('select', { 'data-field': 'message' });
    const tts = h('textarea', { class: 'pa-tts', 'data-field': 'tts', maxlength: TTS_MAX_CHARS * 2 });
    const lang = h('select', { 'data-field': 'lang' }, h('option', { value: 'zh-CN' }, '中文'), h('option', { value: 'en' }, 'English'));
    const chimeFirst = h('input', { type: 'checkbox', 'data-field': 'chime-first', checked: true });
    const count = h('span', { class: 'pa-count' });
    const when = h('select', { 'data-field': 'when' });
    const at = h('input', { type: 'datetime-local', 'data-field': 'at' });
    const emergency = h('input', { type: 'checkbox', 'data-field': 'emergency' });
    const zoneBox = h('div', { class: 'pa-zones', 'data-testid': 'pa-zones' });
    const form = h('div', { class: 'ctl-section' });
    const statusLine = h('div', { class: 'ctl-status', role: 'status', 'data-testid': 'pa-status' });
    const jobsBox = h('section', { class: 'ctl-section', 'data-testid': 'pa-jobs' });

    const content = (): Content => kind.value === 'message' ? { kind: 'message', id: message.value } : kind.value === 'chime' ? { kind: 'chime' } : { kind: 'tts', text: tts.value, lang: lang.value as 'zh-CN' | 'en', chime: chimeFirst.checked };
    const atValue = () => (when.value === 'at' ? (at.value ? new Date(at.value).getTime() : NaN) : null);

    kind.addEventListener('change', drawForm);
    when.addEventListener('change', drawForm);
    emergency.addEventListener('change', () => {
      confirming = false;
      drawForm();
    });
    tts.addEventListener('input', drawCount);

    async function refreshJobs() {
      try {
        jobs = (await client.paJobs()).items;
      } catch (err) {
        const text = messageOf(err);
        status = { kind: 'err', text: () => t('view.loadFailed', { message: text }) };
        drawStatus();
      }
      if (!alive) return;
      drawJobs();
      drawStatus(); // "sent: playing" moves on with the job
    }

    async function send() {
      const req = buildRequest([...picked], content(), emergency.checked, atValue(), Date.now());
      if ('error' in req) {
        const key = req.error;
        status = { kind: 'err', text: () => t(key, { max: TTS_MAX_CHARS }) };
        drawStatus();
        return;
      }
      if (req.emergency && !confirming) {
        confirming = true;
        drawForm();
        return;
      }
      confirming = false;
      try {
        const job = await client.broadcast(req);
        // Read at every redraw: the job list refresh moves the state on.
        status = { kind: 'ok', text: () => t('ctl.pa.sent', { id: job.id, state: t(`ctl.pa.state.${sentJobState(job.id, job.status, jobs)}` as MessageKey) }) };
      } catch (err) {
        const text = messageOf(err);
        status = { kind: 'err', text: () => t('ctl.pa.failed', { message: text }) };
      }
      drawForm();
      await refreshJobs();
    }

    async function cancel(id: string) {
      try {
        await client.cancelJob(id);
        status = { kind: 'ok', text: () => t('ctl.pa.cancelled', { id }) };
      } catch (err) {
        const text = messageOf(err);
        status = { kind: 'err', text: () => t('ctl.pa.failed', { message: text }) };
      }
      drawStatus();
      await refreshJobs();
    }

    function drawStatus() {
      statusLine.className = `ctl-status ${status.kind}`;
      setText(statusLine, status.text());
    }

    function drawCount() {
      const n = [...tts.value.trim()].length;
      count.className = n > TTS_MAX_CHARS ? 'pa-count over' : 'pa-count';
      setText(count, t('ctl.pa.count', { n, max: TTS_MAX_CHARS }));
    }

    function drawZones() {
      const kinds: Array<PaZone['kind']> = ['floor', 'area', 'outdoor'];
      zoneBox.replaceChildren(...kinds.filter((k) => zones.some((z) => z.kind === k)).map((k) => {
        const list = zones.filter((z) => z.kind === k);
        const all = h('input', { type: 'checkbox', checked: list.every((z) => picked.has(z.id)), 'data-zone-kind': k });
        all.addEventListener('change', () => {
          for (const z of list) if (all.checked) picked.add(z.id); else picked.delete(z.id);
          drawZones();
        });
        return h('fieldset', {}, h('legend', {}, h('label', {}, all, t(`ctl.pa.kind.${k}` as MessageKey))),
          ...list.map((z) => {
            const box = h('input', { type: 'checkbox', value: z.id, checked: picked.has(z.id), 'data-zone': z.id });
            box.addEventListener('change', () => {
              if (box.checked) picked.add(z.id); else picked.delete(z.id);
              drawZones();
            });
            return h('label', {}, box, localized(z.name));
          }));
      }));
    }

    function drawForm() {
      const keepKind = kind.value || 'chime';
      kind.replaceChildren(...(['chime', 'message', 'tts'] as const).map((k) => h('option', { value: k, selected: k === keepKind }, t(`ctl.pa.content.${k}` as MessageKey))));
      const keepMessage = message.value;
      message.replaceChildren(...messages.map((m) => h('option', { value: m.id, selected: m.id === keepMessage }, `${localized(m.name)}${m.emergency ? ` · ${t('ctl.pa.emergencyMessage')}` : ''}`)));
      const keepWhen = when.value || 'now';
      when.replaceChildren(h('option', { value: 'now', selected: keepWhen === 'now' }, t('ctl.pa.now')), h('option', { value: 'at', selected: keepWhen === 'at' }, t('ctl.pa.at')));
      const sendButton = h('button', { type: 'button', class: 'btn primary', 'data-action': confirming ? 'confirm-send' : 'send' },
        confirming ? t('ctl.pa.confirmEmergency', { n: picked.size }) : t(emergency.checked ? 'ctl.pa.sendEmergency' : 'ctl.pa.send'));
      sendButton.addEventListener('click', () => void send());
      const back = confirming ? h('button', { type: 'button', class: 'btn ghost', 'data-action': 'cancel-confirm' }, t('ctl.pa.back')) : null;
      back?.addEventListener('click', () => {
        confirming = false;
        drawForm();
      });
      const selectedMessage = messages.find((m) => m.id === message.value);
      form.replaceChildren(...present(
        h('h3', {}, t('ctl.pa.zones')), zoneBox,
        h('h3', {}, t('ctl.pa.what')),
        h('div', { class: 'ctl-row' }, h('label', {}, t('ctl.pa.contentLabel'), kind),
          kind.value === 'message' ? h('label', {}, t('ctl.pa.message'), message) : null),
        kind.value === 'message' && selectedMessage?.text ? h('p', { class: 'ctl-muted' }, selectedMessage.text['zh-CN'] ?? '', ' / ', selectedMessage.text.en ?? '') : null,
        kind.value === 'tts' ? h('div', {}, tts, h('div', { class: 'ctl-row' }, h('label', {}, t('ctl.pa.lang'), lang), h('label', {}, chimeFirst, t('ctl.pa.chimeFirst')), count)) : null,
        h('div', { class: 'ctl-row' }, h('label', {}, t('ctl.pa.when'), when), when.value === 'at' ? at : null),
        h('div', { class: emergency.checked ? 'ctl-row pa-emergency armed' : 'ctl-row pa-emergency' }, h('label', {}, emergency, t('ctl.pa.emergency')), h('span', { class: 'ctl-muted' }, t('ctl.pa.emergencyHint'))),
        h('div', { class: 'ctl-row' }, sendButton, back, confirming ? h('span', { class: 'ctl-status err', role: 'alert' }, t('ctl.pa.confirmHint')) : null),
        statusLine));
      drawCount();
      drawStatus();
    }

    function drawJobs() {
      const zoneName = (id: string) => localized(zones.find((z) => z.id === id)?.name) || id;
      jobsBox.replaceChildren(h('h3', {}, t('ctl.pa.jobs')), jobs.length
        ? h('table', { class: 'ctl-table' },
          h('thead', {}, h('tr', {}, ...(['ctl.when', 'ctl.who', 'ctl.pa.zones', 'ctl.pa.what', 'ctl.pa.stateCol', ''] as const).map((k) => h('th', {}, k ? t(k) : '')))),
          h('tbody', {}, ...jobs.map((j) => {
            const cancelButton = ACTIVE.has(j.status) ? h('button', { type: 'button', class: 'btn', 'data-action': 'cancel-job' }, t('ctl.pa.cancel')) : null;
            cancelButton?.addEventListener('click', () => void cancel(j.id));
            const time = j.scheduledFor && j.status === 'scheduled' ? t('ctl.pa.scheduledFor', { time: formatTime(j.scheduledFor) }) : formatTime(j.startedAt ?? j.createdAt);
            return h('tr', { class: `${j.status === 'playing' ? 'job-playing' : ''}${j.emergency ? ' job-emergency' : ''}`, 'data-job': j.id, 'data-state': j.status },
              h('td', {}, time), h('td', {}, j.user), h('td', {}, j.zones.map(zoneName).join(', ')),
              h('td', {}, j.emergency ? `${t('ctl.pa.emergency')} · ${j.description}` : j.description),
              h('td', { class: 'job-state' }, t(`ctl.pa.state.${j.status}` as MessageKey), j.detail ? h('div', { class: 'ctl-muted' }, j.detail) : null),
              h('td', {}, cancelButton));
          })))
        : h('p', { class: 'ctl-muted' }, t('ctl.pa.noJobs')));
    }

    function drawAll() {
      page.replaceChildren(renderTabs(ctx.session, 'broadcast'),
        h('div', { class: 'ctl-head' }, h('h2', { class: 'ctl-title' }, t('ctl.pa.title'))), form, jobsBox);
      drawZones();
      drawForm();
      drawJobs();
    }

    void Promise.all([client.paZones(), client.paMessages()]).then(([z, m]) => {
      if (!alive) return;
      zones = z.items;
      messages = m.items;
      drawAll();
    }).catch((err) => {
      const text = messageOf(err);
      status = { kind: 'err', text: () => t('view.loadFailed', { message: text }) };
      drawStatus();
    });
    void refreshJobs();
    const timer = setInterval(() => void refreshJobs(), REFRESH_MS);
    drawAll();
    return {
      relabel: drawAll,
      unmount() {
        alive = false;
        clearInterval(timer);
      },
    };
  },
};
