// The PA broadcast module: /api/broadcast (send, jobs, zones, messages, cancel) and the alarm
// action hook. Wiring (the lead): modules.push(createBroadcastModule()); alarms' ActionRunner:
//   runner.register('broadcast', broadcast.handleBroadcastAction)
import fs from 'node:fs';
import path from 'node:path';
import Router from '@koa/router';
import YAML from 'yaml';
import { z } from 'zod';
import type { AuthUser } from '../auth/auth.js';
import { HttpError } from '../api/errors.js';
import type { HubContext, HubModule } from '../module.js';
import { sectionKey, sectionOf } from '../config/section-key.js';
import { AudioLibrary } from './audio.js';
import { BroadcastManager, type BroadcastJob } from './manager.js';
import { broadcastFileSchema, checkBroadcast, TTS_LANGS, type BroadcastFile } from './schema.js';

export { broadcastFileSchema, checkBroadcast } from './schema.js';
export type { BroadcastFile } from './schema.js';
export type { BroadcastJob, BroadcastRequest } from './manager.js';

export interface BroadcastModuleOptions {
  /** Parsed file; default: broadcast.yaml as the config loader validated it (missing = module idle, routes answer 404). */
  file?: BroadcastFile;
  now?: () => number;
}

export interface BroadcastModule extends HubModule {
  manager(): BroadcastManager | null;
  /** ActionHandler for the alarms module: (action, alarm) → emergency broadcast. */
  handleBroadcastAction(action: { zones: string[]; message?: { en: string; 'zh-CN': string }; clip?: string }, alarm: { id: string; message?: { en: string; 'zh-CN': string } }): Promise<void>;
}

export const SendBody = z.strictObject({
  zones: z.union([z.array(z.string()), z.literal('all')]),
  message: z.string().optional(),
  tts: z.array(z.strictObject({ text: z.string(), lang: z.enum(TTS_LANGS) })).optional(),
  chime: z.boolean().optional(),
  emergency: z.boolean().optional(),
  at: z.union([z.number(), z.string()]).optional(),
});

/** broadcast.yaml as the config loader validated it (LoadedConfig.sections). */
export const BROADCAST_SECTION = sectionKey<BroadcastFile>('broadcast.yaml');

/** The PA config of a loaded config (parsed once by the loader); a config built by hand reads its folder. */
export function broadcastFileOf(config: { dir: string; sections?: ReadonlyMap<string, unknown> }): BroadcastFile | null {
  if (!config.sections) return loadBroadcastFile(path.join(config.dir, 'broadcast.yaml'));
  return sectionOf(config.sections, BROADCAST_SECTION) ?? null;
}

export function loadBroadcastFile(file: string): BroadcastFile | null {
  if (!fs.existsSync(file)) return null;
  const r = broadcastFileSchema.safeParse(YAML.parse(fs.readFileSync(file, 'utf8')) ?? {});
  if (!r.success) throw new Error(r.error.issues.map((i) => `${file}: ${i.path.join('.')}: ${i.message}`).join('\n'));
  const problems = checkBroadcast(r.data);
  if (problems.length) throw new Error(problems.map((p) => `${file}: ${p.path.join('.')}: ${p.message}`).join('\n'));
  return r.data;
}

export function createBroadcastModule(opts: BroadcastModuleOptions = {}): BroadcastModule {
  const now = opts.now ?? Date.now;
  let hub: HubContext | null = null;
  let manager: BroadcastManager | null = null;
  let loaded: BroadcastFile | null = null;

  const mod: BroadcastModule = {
    name: 'broadcast',
    async start(ctx) {
      hub = ctx;
      const file = (loaded = opts.file ?? broadcastFileOf(ctx.config));
      if (!file) {
        ctx.log.info({}, 'no config/broadcast.yaml: public address disabled');
        return;
      }
      const problems = checkBroadcast(file);
      if (problems.length) throw new Error(problems.map((p) => `broadcast.yaml: ${p.path.join('.')}: ${p.message}`).join('\n'));
      const audio = new AudioLibrary(path.join(ctx.dataDir, 'broadcast', 'audio'), file.tts.voices);
      manager = new BroadcastManager({ file, audio, now, audit: ctx.audit, log: ctx.log });
      // Render the chime and stored messages now, so the first broadcast starts without waiting for TTS.
      void (async () => {
        await audio.chime();
        for (const m of file.messages) for (const lang of ['zh-CN', 'en'] as const) if (m.text?.[lang]) await audio.tts(m.text[lang]!, lang);
      })().catch((err) => ctx.log.error({ err }, 'pre-rendering PA audio failed (ffmpeg/espeak-ng installed?)'));
      ctx.health.register('broadcast', () => ({ ok: true, playing: manager!.list().filter((j) => j.status === 'playing').length }));
    },
    routes() {
      const r = new Router();
      const need = hub!.requirePermission;
      const m = () => {
        if (!manager) throw new HttpError(404, 'no_broadcast', 'public address is not configured (config/broadcast.yaml)');
        return manager;
      };
      const actor = (ctx: { state: { user?: AuthUser } }) => ({ user: ctx.state.user!.username, role: ctx.state.user!.role });
      r.get('/broadcast/zones', need('broadcast:send'), (ctx) => {
        ctx.body = { items: m().zonesFor(actor(ctx).role).map((z) => ({ id: z.id, name: z.name, kind: z.kind, floor: z.floor ?? null })) };
      });
      r.get('/broadcast/messages', need('broadcast:send'), (ctx) => {
        ctx.body = { items: loaded?.messages ?? [] };
      });
      r.get('/broadcast/jobs', need('broadcast:send'), (ctx) => {
        ctx.body = { items: m().list() };
      });
      r.post('/broadcast', need('broadcast:send'), async (ctx) => {
        const parsed = SendBody.safeParse(ctx.request.body ?? {});
        if (!parsed.success) {
          throw new HttpError(400, 'invalid_body', `broadcast body: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
        }
        const b = parsed.data;
        const at = typeof b.at === 'string' ? Date.parse(b.at) : b.at;
        if (b.at !== undefined && !Number.isFinite(at)) throw new HttpError(400, 'invalid_time', `"at" ${JSON.stringify(b.at)} is not a time`);
        const job: BroadcastJob = await m().submit(actor(ctx), { ...b, at });
        ctx.status = 202;
        ctx.body = job;
      });
      r.post('/broadcast/jobs/:id/cancel', need('broadcast:send'), (ctx) => {
        ctx.body = m().cancel(actor(ctx), ctx.params.id);
      });
      return r;
    },
    reload(next, diff) {
      // broadcast.yaml changed: zones, roles and stored messages apply to the next request.
      if (!hub || opts.file || !diff.sectionsChanged.includes('broadcast.yaml')) return;
      const file = broadcastFileOf(next);
      const before = loaded;
      loaded = file;
      if (!file) {
        manager?.stop();
        manager = null;
        hub.log.info({}, 'broadcast.yaml removed: public address disabled');
        return;
      }
      const voicesChanged = JSON.stringify(before?.tts.voices) !== JSON.stringify(file.tts.voices);
      const audio = !manager || voicesChanged ? new AudioLibrary(path.join(hub.dataDir, 'broadcast', 'audio'), file.tts.voices) : undefined;
      if (!manager) {
        manager = new BroadcastManager({ file, audio: audio!, now, audit: hub.audit, log: hub.log });
        const h = hub;
        h.health.register('broadcast', () => ({ ok: true, playing: manager?.list().filter((j) => j.status === 'playing').length ?? 0 }));
      } else {
        const cancelled = manager.reconfigure(file, audio);
        if (cancelled.length) hub.log.warn({ cancelled }, 'broadcasts to removed zones cancelled');
      }
      hub.log.info({ zones: file.zones.length }, 'broadcast config reloaded');
    },
    async stop() {
      manager?.stop();
    },
    manager: () => manager,
    async handleBroadcastAction(action, alarm) {
      if (!manager) throw new Error('broadcast action: public address is not configured');
      await manager.handleBroadcastAction(action, alarm);
    },
  };
  return mod;
}
