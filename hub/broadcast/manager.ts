// Broadcast jobs: validate (zones, role, text), render audio, then play now, at a time, or when the
// zones are free. An emergency preempts: the running ffmpeg of every zone it needs is killed.
import crypto from 'node:crypto';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from '../errors.js';
import type { AuditLogLike, HubLogger } from '../module.js';
import type { AudioLibrary } from './audio.js';
import { PacerThread } from './pacer-worker.js';
import { streamRtp, type Stream } from './player.js';
import { TTS_LANGS, type BroadcastFile, type BroadcastZone, type TtsLang } from './schema.js';

export interface BroadcastRequest {
  /** Zone ids (or floor keys `site/building/floor` of floor zones), or 'all'. */
  zones: string[] | 'all';
  /** A stored message id. */
  message?: string;
  /** Text to speak; several parts play in order (e.g. zh-CN then en). */
  tts?: Array<{ text: string; lang: TtsLang }>;
  /** Play the chime first. */
  chime?: boolean;
  emergency?: boolean;
  /** ms since epoch; absent or past = now. */
  at?: number;
}

export type { JobStatus, BroadcastJob } from '../../contracts/control.js';
import type { BroadcastJob, JobStatus } from '../../contracts/control.js';

export interface Actor {
  user: string;
  role: string;
}

interface Internal {
  job: BroadcastJob;
  file: string;
  streams: Stream[];
  timer?: NodeJS.Timeout;
}

export class BroadcastManager {
  private readonly zones: Map<string, BroadcastZone>;
  private readonly jobs: Internal[] = [];
  private readonly playing = new Map<string, Internal>(); // zone → job
  private stopped = false;
  /** Every zone's packets leave from this one thread, off the hub's event loop (pacer-worker.ts). */
  private readonly pacer = new PacerThread().warm();

  constructor(private o: { file: BroadcastFile; audio: AudioLibrary; now: () => number; audit: AuditLogLike; log: HubLogger }) {
    this.zones = new Map(o.file.zones.map((z) => [z.id, z]));
  }

  /**
   * A live config reload: new zones are usable at once, playing jobs play on; a waiting job that
   * names a zone the file no longer has is cancelled (its endpoint is gone). Returns those job ids.
   */
  reconfigure(file: BroadcastFile, audio?: AudioLibrary): string[] {
    this.o = { ...this.o, file, ...(audio ? { audio } : {}) };
    this.zones.clear();
    for (const z of file.zones) this.zones.set(z.id, z);
    const cancelled: string[] = [];
    for (const it of this.jobs) {
      if (!['scheduled', 'queued'].includes(it.job.status) || it.job.zones.every((z) => this.zones.has(z))) continue;
      if (it.timer) clearTimeout(it.timer);
      this.finish(it, 'cancelled', 'a zone it names was removed by a config reload');
      this.o.audit.record({ user: 'system', action: 'broadcast.cancel', target: it.job.id, details: { reason: 'zone removed by config reload' } });
      cancelled.push(it.job.id);
    }
    this.pump();
    return cancelled;
  }

  zonesFor(role: string): BroadcastZone[] {
    const allowed = this.o.file.zonesByRole[role];
    return [...this.zones.values()].filter((z) => !allowed || allowed.includes(z.id));
  }

  list(): BroadcastJob[] {
    return this.jobs.map((j) => ({ ...j.job })).reverse();
  }

  /** Checks everything before any audio is rendered; throws 400/403 with the reason. Returns zone ids. */
  validate(actor: Actor, req: BroadcastRequest): string[] {
    const f = this.o.file;
    let zones: string[];
    if (req.zones === 'all') zones = this.zonesFor(actor.role).map((z) => z.id);
    else {
      if (!Array.isArray(req.zones) || req.zones.length === 0) throw new InvalidError('invalid_zones', 'give one or more zones, or "all"');
      zones = [];
      for (const z of req.zones) {
        const byFloor = [...this.zones.values()].filter((x) => x.floor === z).map((x) => x.id);
        if (this.zones.has(z)) zones.push(z);
        else if (byFloor.length) zones.push(...byFloor);
        else throw new InvalidError('unknown_zone', `unknown broadcast zone "${z}" (known: ${[...this.zones.keys()].join(', ')})`);
      }
      zones = [...new Set(zones)];
    }
    const allowed = f.zonesByRole[actor.role];
    const forbidden = allowed ? zones.filter((z) => !allowed.includes(z)) : [];
    if (forbidden.length) throw new ForbiddenError('zone_forbidden', `role ${actor.role} may not broadcast to ${forbidden.join(', ')}`);
    if (req.emergency && !this.mayEmergency(actor.role)) throw new ForbiddenError('emergency_forbidden', `role ${actor.role} may not start an emergency broadcast (roles: ${f.emergencyRoles.join(', ')})`);
    const hasTts = req.tts !== undefined;
    if (!req.message && !hasTts && !req.chime) throw new InvalidError('empty_broadcast', 'give a message id, tts text or chime: true');
    if (req.message && !f.messages.some((m) => m.id === req.message)) {
      throw new InvalidError('unknown_message', `unknown message "${req.message}" (known: ${f.messages.map((m) => m.id).join(', ') || 'none'})`);
    }
    if (hasTts) {
      if (!Array.isArray(req.tts) || req.tts.length === 0) throw new InvalidError('invalid_tts', 'tts must be a non-empty list of {text, lang}');
      req.tts.forEach((t, i) => {
        if (!TTS_LANGS.includes(t.lang)) throw new InvalidError('invalid_tts', `tts[${i}].lang "${t.lang}" must be one of ${TTS_LANGS.join(', ')}`);
        if (typeof t.text !== 'string' || t.text.trim() === '') throw new InvalidError('invalid_tts', `tts[${i}].text is empty`);
        if (t.text.length > f.tts.maxChars) throw new InvalidError('invalid_tts', `tts[${i}].text has ${t.text.length} characters; the limit is ${f.tts.maxChars}`);
      });
    }
    if (req.at !== undefined && !(typeof req.at === 'number' && Number.isFinite(req.at))) throw new InvalidError('invalid_time', '"at" must be a time in ms since epoch');
    if (req.at !== undefined && req.at > this.o.now() + 7 * 86_400_000) throw new InvalidError('invalid_time', '"at" is more than 7 days ahead');
    return zones;
  }

  async submit(actor: Actor, req: BroadcastRequest): Promise<BroadcastJob> {
    let zones: string[];
    try {
      zones = this.validate(actor, req);
    } catch (err) {
      this.o.audit.record({ user: actor.user, action: 'broadcast.refused', target: Array.isArray(req.zones) ? req.zones.join(',') : String(req.zones), details: { error: (err as Error).message } });
      throw err;
    }
    const stored = req.message ? this.o.file.messages.find((m) => m.id === req.message)! : undefined;
    const emergency = Boolean(req.emergency || stored?.emergency);
    if (emergency && !this.mayEmergency(actor.role)) throw new ForbiddenError('emergency_forbidden', `message "${stored?.id}" is an emergency message; role ${actor.role} may not send it`);
    const parts: string[] = [];
    const said: string[] = [];
    if (req.chime || stored?.kind === 'chime' || emergency) {
      parts.push(await this.o.audio.chime());
      said.push('chime');
    }
    for (const lang of ['zh-CN', 'en'] as const) {
      const t = stored?.kind === 'tts' ? stored.text?.[lang] : undefined;
      if (t) {
        parts.push(await this.o.audio.tts(t, lang));
        said.push(`${lang}: ${t}`);
      }
    }
    for (const t of req.tts ?? []) {
      parts.push(await this.o.audio.tts(t.text, t.lang));
      said.push(`${t.lang}: ${t.text}`);
    }
    const file = await this.o.audio.sequence(parts);
    const now = this.o.now();
    const job: BroadcastJob = {
      id: crypto.randomUUID(), user: actor.user, zones, emergency, description: said.join(' / '),
      status: 'queued', createdAt: now, scheduledFor: req.at && req.at > now ? req.at : null, startedAt: null, endedAt: null,
    };
    const it: Internal = { job, file, streams: [] };
    this.jobs.push(it);
    if (this.jobs.length > 500) this.jobs.splice(0, this.jobs.length - 500);
    this.o.audit.record({ user: actor.user, action: 'broadcast.send', target: zones.join(','), details: { id: job.id, emergency, what: job.description, scheduledFor: job.scheduledFor } });
    if (job.scheduledFor !== null) {
      job.status = 'scheduled';
      it.timer = setTimeout(() => {
        job.status = 'queued';
        this.enqueue(it);
      }, job.scheduledFor - now);
      it.timer.unref();
    } else this.enqueue(it);
    return { ...job };
  }

  cancel(actor: Actor, id: string): BroadcastJob {
    const it = this.jobs.find((j) => j.job.id === id);
    if (!it) throw new NotFoundError('unknown_job', `no broadcast ${id}`);
    if (!['scheduled', 'queued', 'playing'].includes(it.job.status)) throw new ConflictError('not_active', `broadcast ${id} is already ${it.job.status}`);
    if (it.timer) clearTimeout(it.timer);
    this.finish(it, 'cancelled', `cancelled by ${actor.user}`);
    this.o.audit.record({ user: actor.user, action: 'broadcast.cancel', target: id });
    this.pump();
    return { ...it.job };
  }

  /** Alarm action hook: `runner.register('broadcast', manager.handleBroadcastAction)`. Always an emergency. */
  handleBroadcastAction = async (action: { zones: string[]; message?: { en: string; 'zh-CN': string }; clip?: string }, alarm: { id: string; message?: { en: string; 'zh-CN': string } }): Promise<void> => {
    const text = action.message ?? (action.clip ? undefined : alarm.message);
    await this.submit({ user: `system:alarm:${alarm.id}`, role: 'system:alarm' }, {
      zones: action.zones, emergency: true, message: action.clip,
      tts: text ? [{ text: text['zh-CN'], lang: 'zh-CN' }, { text: text.en, lang: 'en' }] : undefined,
    });
  };

  /** Alarm actions (the life-safety path) may always start an emergency. */
  private mayEmergency(role: string): boolean {
    return role === 'system:alarm' || this.o.file.emergencyRoles.includes(role);
  }

  stop(): void {
    this.stopped = true;
    for (const it of this.jobs) {
      if (it.timer) clearTimeout(it.timer);
      for (const s of it.streams) s.kill();
    }
    void this.pacer.close();
  }

  private enqueue(it: Internal): void {
    if (this.stopped) return;
    if (it.job.emergency) {
      for (const z of it.job.zones) {
        const victim = this.playing.get(z);
        if (victim && victim !== it) {
          this.finish(victim, 'preempted', `preempted by emergency ${it.job.id}`);
          this.o.audit.record({ user: it.job.user, action: 'broadcast.preempted', target: victim.job.id, details: { by: it.job.id, zones: victim.job.zones } });
        }
      }
      this.start(it);
      return;
    }
    this.pump();
  }

  /** Starts queued jobs in order; a job waits while any of its zones is busy or claimed by an earlier queued job. */
  private pump(): void {
    const claimed = new Set<string>();
    for (const it of this.jobs) {
      if (it.job.status !== 'queued') continue;
      const free = it.job.zones.every((z) => !this.playing.has(z) && !claimed.has(z));
      if (free) this.start(it);
      else for (const z of it.job.zones) claimed.add(z);
    }
  }

  private start(it: Internal): void {
    const job = it.job;
    job.status = 'playing';
    job.startedAt = this.o.now();
    const errors: string[] = [];
    it.streams = job.zones.map((z) => {
      this.playing.set(z, it);
      const zone = this.zones.get(z)!;
      return streamRtp(it.file, z, { ...zone.endpoint, codec: zone.codec }, (msg) => errors.push(msg), this.pacer);
    });
    void Promise.all(it.streams.map((s) => s.done)).then((ok) => {
      if (job.status !== 'playing') return;
      if (ok.every(Boolean)) this.finish(it, 'done');
      else {
        this.finish(it, 'failed', errors.join('; ') || 'a stream ended early');
        this.o.log.warn({ id: job.id, errors }, 'broadcast failed');
      }
      this.pump();
    });
  }

  private finish(it: Internal, status: JobStatus, detail?: string): void {
    it.job.status = status;
    it.job.endedAt = this.o.now();
    if (detail) it.job.detail = detail;
    for (const s of it.streams) s.kill();
    for (const z of it.job.zones) if (this.playing.get(z) === it) this.playing.delete(z);
  }
}
