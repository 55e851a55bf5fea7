// `#/recordings[?cams=a,b&t=<ms>]`: playback of up to four cameras in sync, a timeline per camera
// (recorded spans, gaps with their reason, events), a scrubber, speeds 1×/4×/16× and frame step,
// and the event list: one click on an event seeks every camera that sees its place to that moment.
// Incidents and evidence export from the current selection. Video comes as MP4 files the hub
// assembles from the recorded segments, served with HTTP range requests (docs/recording.md).
import type { CameraView } from '../../../../contracts/cameras.js';
import type { CoverageView, Incident, PlaybackPiece, TimelineEvent, TimelineKind } from '../../../../contracts/recording.js';
import { TIMELINE_KINDS } from '../../../../contracts/recording.js';
import { hubJson, type HubEndpoint } from '../../api.js';
import { h } from '../../dom.js';
import { localized } from '../../i18n.js';
import type { MountedView, ViewContext, ViewModule } from '../view.js';
import { camerasForEvent, clock, dateTime, frameStep, LOAD_AFTER_MS, LOAD_BEFORE_MS, mediaAt, needsResync, parseHash, parseLocal, percentOf, SPANS, SPEEDS, timeAt, toggleCamera, wallAt, windowAround, type Window } from './rec-model.js';
import { tr, trAny } from './rec-text.js';
import './recording.css';

interface Player {
  camera: string;
  video: HTMLVideoElement;
  label: HTMLElement;
  pieces: PlaybackPiece[];
  loaded?: { from: number; to: number };
}

export const recordingView: ViewModule = {
  id: 'recordings',
  mount(container: HTMLElement, _params, ctx: ViewContext): MountedView {
    const hub: HubEndpoint = { baseUrl: '', token: () => ctx.session.token };
    const tz = ctx.site.timezone;
    const perms = ctx.session.permissions ?? [];
    const initial = parseHash(location.hash.split('?')[1] ?? '');
    let cameras: CameraView[] = [];
    let selected: string[] = initial.cams;
    let cursor = initial.t ?? Date.now() - 120_000;
    let span: number = SPANS[1];
    let speed = 1;
    let kinds: TimelineKind[] = [];
    let place = '';
    let events: TimelineEvent[] = [];
    let coverage = new Map<string, CoverageView>();
    let players: Player[] = [];
    let playing = false;
    let disposed = false;
    const flash = h('div', { class: 'rec-flash', role: 'status' });
    const root = h('div', { class: 'rec-page' });
    container.append(root);

    const say = (msg: string) => {
      flash.textContent = msg;
    };
    const win = (): Window => windowAround(cursor, span, Date.now());

    async function loadCameras() {
      const res = await hubJson<{ items: CameraView[] }>(hub, 'GET', '/api/cameras');
      cameras = res.items;
      if (selected.length === 0) selected = cameras.slice(0, 1).map((c) => c.id);
    }

    async function loadTimeline() {
      const w = win();
      const q = new URLSearchParams({ from: String(w.from), to: String(w.to), limit: '500' });
      // Who watched recordings (kind `recording`) is audit, not what happened: shown only when asked for.
      q.set('kinds', (kinds.length ? kinds : TIMELINE_KINDS.filter((k) => k !== 'recording')).join(','));
      if (place) q.set('place', place);
      const [ev, ...covs] = await Promise.all([
        hubJson<{ items: TimelineEvent[] }>(hub, 'GET', `/api/timeline?${q}`).catch(() => ({ items: [] as TimelineEvent[] })),
        ...selected.map((c) => hubJson<CoverageView>(hub, 'GET', `/api/recordings/${encodeURIComponent(c)}/coverage?from=${w.from}&to=${w.to}`).catch(() => undefined)),
      ]);
      events = ev.items;
      coverage = new Map(covs.filter((c): c is CoverageView => !!c).map((c) => [c.camera, c]));
    }

    /** Loads (when the cursor left its file) and seeks one player to the cursor. */
    async function seekPlayer(p: Player, at: number) {
      if (!p.loaded || at < p.loaded.from || at >= p.loaded.to - 2000) {
        const from = at - LOAD_BEFORE_MS;
        const to = Math.min(Date.now(), at + LOAD_AFTER_MS);
        try {
          const map = await hubJson<{ pieces: PlaybackPiece[]; url: string }>(hub, 'GET', `/api/recordings/${encodeURIComponent(p.camera)}/clip.json?from=${from}&to=${to}`);
          p.pieces = map.pieces;
          p.loaded = { from, to };
          // <video> cannot send the Authorization header: the token rides in the URL, as for live video.
          p.video.src = `${map.url}&token=${encodeURIComponent(ctx.session.token)}`;
          p.video.playbackRate = speed;
          await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('timeout')), 15_000);
            p.video.addEventListener('loadedmetadata', () => { clearTimeout(timer); resolve(); }, { once: true });
            p.video.addEventListener('error', () => { clearTimeout(timer); reject(new Error('video error')); }, { once: true });
          });
        } catch {
          p.pieces = [];
          p.loaded = undefined;
          p.video.removeAttribute('src');
          p.label.dataset.novideo = '1';
          p.label.textContent = `${camName(p.camera)} · ${tr('noVideo')}`;
          return;
        }
      }
      const m = mediaAt(p.pieces, at) ?? (p.pieces.length && at < p.pieces[0].wall ? 0 : undefined);
      delete p.label.dataset.novideo;
      if (m === undefined) {
        p.label.dataset.novideo = '1';
        p.label.textContent = `${camName(p.camera)} · ${tr('noVideo')}`;
        return;
      }
      p.video.currentTime = m;
    }

    async function seek(at: number) {
      cursor = Math.min(at, Date.now());
      updateClock();
      moveCursor();
      await Promise.all(players.map((p) => seekPlayer(p, cursor)));
      if (playing) for (const p of players) void p.video.play().catch(() => {});
      drawTimeline();
      updateClock();
    }

    const camName = (id: string) => {
      const c = cameras.find((x) => x.id === id);
      return c ? localized(c.name) : id;
    };

    // The first player leads; the others follow its wall clock (re-seek past 0.35 s of drift).
    function follow() {
      const lead = players[0];
      if (!lead || !lead.pieces.length) return;
      const wall = wallAt(lead.pieces, lead.video.currentTime);
      if (wall === undefined) return;
      cursor = wall;
      for (const p of players.slice(1)) {
        const target = mediaAt(p.pieces, wall);
        if (needsResync(p.video.currentTime, target)) p.video.currentTime = target!;
      }
      updateClock();
      moveCursor();
    }

    const clockEl = h('span', { class: 'rec-clock' });
    function updateClock() {
      if (document.activeElement !== at) at.value = dateTime(cursor, tz).replace(' ', 'T');
      clockEl.textContent = `${dateTime(cursor, tz).slice(0, 10)} ${clock(cursor, tz)}`;
      for (const p of players) if (!p.label.dataset.novideo) p.label.textContent = `${camName(p.camera)} · ${clock(cursor, tz)}`;
    }

    const grid = h('div', { class: 'rec-grid' });
    function buildPlayers() {
      for (const p of players) p.video.removeAttribute('src');
      players = selected.map((camera) => {
        const video = h('video', { class: 'rec-video', muted: true, playsinline: true, preload: 'auto' });
        video.muted = true;
        const label = h('div', { class: 'rec-label' }, camName(camera));
        return { camera, video, label, pieces: [] };
      });
      grid.replaceChildren(...players.map((p) => h('div', { class: 'rec-tile' }, p.video, p.label)));
      grid.dataset.n = String(players.length);
      players[0]?.video.addEventListener('timeupdate', follow);
      if (players.length === 0) grid.append(h('div', { class: 'rec-empty' }, tr('selectCamera')));
    }

    // ---- timeline bars ----
    const bars = h('div', { class: 'rec-bars' });
    const cursorLines: HTMLElement[] = [];
    function moveCursor() {
      const pct = `${percentOf(cursor, win())}%`;
      for (const l of cursorLines) l.style.left = pct;
      scrub.value = String(Math.round(percentOf(cursor, win()) * 10));
    }
    function bar(children: HTMLElement[], label: string): HTMLElement {
      const line = h('div', { class: 'rec-cursor' });
      cursorLines.push(line);
      const track = h('div', { class: 'rec-track' }, ...children, line);
      track.addEventListener('click', (e) => {
        const r = track.getBoundingClientRect();
        void seek(timeAt((e as MouseEvent).clientX - r.left, r.width, win()));
      });
      return h('div', { class: 'rec-bar' }, h('div', { class: 'rec-bar-label' }, label), track);
    }
    function drawTimeline() {
      const w = win();
      cursorLines.length = 0;
      const pos = (from: number, to: number) => `left:${percentOf(from, w)}%;width:${Math.max(0.3, percentOf(to, w) - percentOf(from, w))}%`;
      const marks = events.map((e) => {
        const m = h('button', { class: `rec-mark k-${e.kind}`, style: `left:${percentOf(e.ts, w)}%`, title: `${clock(e.ts, tz)} ${trAny('k', e.kind)}: ${e.title}`, 'aria-label': e.title });
        m.addEventListener('click', (ev) => {
          ev.stopPropagation();
          void openEvent(e);
        });
        return m;
      });
      const rows = selected.map((c) => {
        const cov = coverage.get(c);
        const spans = (cov?.spans ?? []).map((s) => h('div', { class: 'rec-span', style: pos(s.from, s.to), title: tr('recorded') }));
        const gaps = (cov?.gaps ?? []).map((g) => h('div', { class: `rec-gap g-${g.reason}`, style: pos(g.from, g.to), title: `${tr('gap')}: ${trAny('g', g.reason)} ${clock(g.from, tz)}–${clock(g.to, tz)}` }));
        return bar([...spans, ...gaps], camName(c));
      });
      const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => h('span', { class: 'rec-tick', style: `left:${f * 100}%` }, clock(w.from + f * (w.to - w.from), tz).slice(0, 5)));
      bars.replaceChildren(bar(marks, tr('events')), ...rows, h('div', { class: 'rec-ticks' }, ...ticks));
      moveCursor();
      drawEvents();
    }

    // ---- event list ----
    const list = h('ol', { class: 'rec-events' });
    function drawEvents() {
      list.replaceChildren(...(events.length ? events.slice(0, 200).map((e) =>
        h('li', { class: `rec-event k-${e.kind}` },
          h('span', { class: 'rec-ev-time' }, clock(e.ts, tz)),
          h('span', { class: 'rec-ev-kind' }, trAny('k', e.kind)),
          h('span', { class: 'rec-ev-title' }, e.title, e.place ? h('span', { class: 'rec-ev-place' }, ` · ${e.place}`) : null),
          e.cameras.length ? h('button', { class: 'btn rec-ev-watch', onclick: () => void openEvent(e) }, `▶ ${tr('watch')} (${e.cameras.length})`) : null,
          perms.includes('incidents:manage') ? h('button', { class: 'btn ghost rec-ev-add', onclick: () => void addEvent(e) }, tr('addToIncident')) : null,
        )) : [h('li', { class: 'rec-none' }, tr('noEvents'))]));
    }

    /** One click: the cameras that see the event's place, at the event's moment. */
    async function openEvent(e: TimelineEvent) {
      const cams = camerasForEvent(e, selected);
      if (cams.join() !== selected.join()) {
        selected = cams;
        buildPlayers();
        drawCameraChips();
      }
      cursor = e.ts - 5000;
      await loadTimeline();
      await seek(e.ts - 5000);
    }

    // ---- incidents and export ----
    const incidentTitle = h('input', { class: 'rec-input', placeholder: tr('incidentTitle'), maxlength: 200 });
    const reason = h('input', { class: 'rec-input', placeholder: tr('reason'), maxlength: 500 });
    let lastIncident: Incident | undefined;
    async function addEvent(e: TimelineEvent) {
      try {
        if (lastIncident) lastIncident = await hubJson<Incident>(hub, 'PATCH', `/api/incidents/${lastIncident.id}`, { add: [{ type: 'event', event: e }] });
        else await createIncident([{ type: 'event', event: e }]);
        say(tr('created', { id: lastIncident!.id }));
      } catch (err) {
        say(tr('failed', { msg: (err as Error).message }));
      }
    }
    async function createIncident(extra: unknown[] = []) {
      const items = [...selected.map((c) => ({ type: 'video', camera: c, from: cursor - 60_000, to: cursor + 60_000 })), ...extra];
      lastIncident = await hubJson<Incident>(hub, 'POST', '/api/incidents', { title: incidentTitle.value.trim() || `${tr('incident')} ${dateTime(cursor, tz)}`, items });
      say(tr('created', { id: lastIncident.id }));
      await drawIncidents();
    }
    async function exportNow() {
      if (!selected.length) return say(tr('selectCamera'));
      try {
        const res = await hubJson<{ id: string; manifest: { files: unknown[] } }>(hub, 'POST', '/api/recordings/export', { reason: reason.value, clips: selected.map((c) => ({ camera: c, from: cursor - 60_000, to: cursor + 60_000 })) });
        say(tr('exported', { id: res.id, n: res.manifest.files.length }));
      } catch (err) {
        say(tr('failed', { msg: (err as Error).message }));
      }
    }
    const incList = h('ul', { class: 'rec-incidents' });
    async function drawIncidents() {
      const res = await hubJson<{ items: Incident[] }>(hub, 'GET', '/api/incidents').catch(() => ({ items: [] as Incident[] }));
      incList.replaceChildren(...res.items.slice(0, 10).map((i) => h('li', {},
        h('span', { class: `rec-badge s-${i.status}` }, trAny('s', i.status)), ` ${i.title} · ${tr('owner')}: ${i.owner} `,
        h('a', { href: `/api/incidents/${encodeURIComponent(i.id)}/report.pdf`, target: '_blank', rel: 'noopener' }, tr('report')))));
    }

    // ---- toolbar ----
    const at = h('input', { type: 'datetime-local', class: 'rec-input rec-at', step: 1, 'aria-label': tr('at') });
    const scrub = h('input', { type: 'range', class: 'rec-scrub', min: 0, max: 1000, value: 500, 'aria-label': 'scrubber' });
    scrub.addEventListener('change', () => void seek(timeAt(Number(scrub.value), 1000, win())));
    const playBtn = h('button', { class: 'btn rec-play' }, tr('play'));
    playBtn.addEventListener('click', () => {
      playing = !playing;
      playBtn.textContent = playing ? tr('pause') : tr('play');
      for (const p of players) (playing ? void p.video.play().catch(() => {}) : p.video.pause());
    });
    const step = (dir: number) => {
      playing = false;
      playBtn.textContent = tr('play');
      for (const p of players) {
        p.video.pause();
        p.video.currentTime = Math.max(0, p.video.currentTime + dir * frameStep());
      }
      follow();
    };
    const speedBtns = SPEEDS.map((s) => {
      const b = h('button', { class: `btn ghost rec-speed${s === speed ? ' on' : ''}` }, `${s}×`);
      b.addEventListener('click', () => {
        speed = s;
        for (const p of players) p.video.playbackRate = s;
        speedBtns.forEach((x, i) => x.classList.toggle('on', SPEEDS[i] === s));
      });
      return b;
    });
    const spanSel = h('select', { class: 'rec-input', 'aria-label': tr('span') }, ...SPANS.map((s) => h('option', { value: s, selected: s === span }, s >= 3600_000 ? `${s / 3600_000} h` : `${s / 60_000} min`)));
    spanSel.addEventListener('change', async () => {
      span = Number(spanSel.value);
      await loadTimeline();
      drawTimeline();
    });
    const chips = h('div', { class: 'rec-chips' });
    function drawCameraChips() {
      chips.replaceChildren(...(cameras.length ? cameras.map((c) => {
        const b = h('button', { class: `btn ghost rec-chip${selected.includes(c.id) ? ' on' : ''}`, 'aria-pressed': selected.includes(c.id) ? 'true' : 'false' }, localized(c.name));
        b.addEventListener('click', async () => {
          selected = toggleCamera(selected, c.id);
          drawCameraChips();
          buildPlayers();
          await loadTimeline();
          await seek(cursor);
        });
        return b;
      }) : [h('span', {}, tr('noCameras'))]));
    }
    const kindChips = h('div', { class: 'rec-chips rec-kinds' }, ...TIMELINE_KINDS.map((k) => {
      const b = h('button', { class: `btn ghost rec-chip k-${k}` }, trAny('k', k));
      b.addEventListener('click', async () => {
        kinds = kinds.includes(k) ? kinds.filter((x) => x !== k) : [...kinds, k];
        b.classList.toggle('on', kinds.includes(k));
        await loadTimeline();
        drawTimeline();
      });
      return b;
    }));
    const placeInput = h('input', { class: 'rec-input', placeholder: tr('filter') });
    placeInput.addEventListener('change', async () => {
      place = placeInput.value.trim();
      await loadTimeline();
      drawTimeline();
    });

    root.append(
      h('header', { class: 'rec-head' }, h('h1', {}, tr('title')), clockEl,
        h('form', { class: 'rec-goto', onsubmit: (e: Event) => {
          e.preventDefault();
          const t = parseLocal(at.value, tz);
          if (t !== undefined) void loadTimeline().then(() => seek(t));
        } }, at, h('button', { class: 'btn', type: 'submit' }, tr('go')))),
      chips,
      grid,
      h('div', { class: 'rec-controls' }, h('button', { class: 'btn ghost', title: tr('back'), onclick: () => step(-1) }, '◀|'), playBtn, h('button', { class: 'btn ghost', title: tr('fwd'), onclick: () => step(1) }, '|▶'), ...speedBtns, spanSel),
      scrub,
      bars,
      h('div', { class: 'rec-filters' }, kindChips, placeInput),
      flash,
      h('section', { class: 'rec-side' }, h('h2', {}, tr('events')), list),
      perms.includes('incidents:manage') ? h('section', { class: 'rec-side' }, h('h2', {}, tr('incidents')), h('div', { class: 'rec-row' }, incidentTitle, h('button', { class: 'btn', onclick: () => void createIncident().catch((e: Error) => say(tr('failed', { msg: e.message }))) }, tr('newIncident'))), incList) : h('span'),
      perms.includes('recordings:export') ? h('section', { class: 'rec-side' }, h('h2', {}, tr('exportTitle')), h('div', { class: 'rec-row' }, reason, h('button', { class: 'btn', onclick: () => void exportNow() }, tr('export')))) : h('span'),
    );

    void (async () => {
      try {
        await loadCameras();
        if (disposed) return;
        drawCameraChips();
        buildPlayers();
        await loadTimeline();
        drawTimeline();
        await seek(cursor);
        await drawIncidents();
      } catch (err) {
        say(tr('failed', { msg: (err as Error).message }));
      }
    })();
    const timer = setInterval(() => {
      if (!playing) return;
      const w = win();
      if (cursor > w.to - span * 0.1) void loadTimeline().then(drawTimeline);
    }, 5000);

    return {
      unmount() {
        disposed = true;
        clearInterval(timer);
        for (const p of players) {
          p.video.pause();
          p.video.removeAttribute('src');
        }
        root.remove();
      },
    };
  },
};
