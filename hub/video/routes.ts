// REST of the cameras: list with status, one camera, PTZ, snapshots, clips.
import Router, { type RouterMiddleware } from '@koa/router';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Permission } from '../../contracts/auth.js';
import { CameraUnavailableError, PresetExistsError, PtzRangeError, UnknownPresetError, type PtzCommand } from '../../drivers/onvif/registry.js';
import { HttpError } from '../api/errors.js';
import type { AuditLogLike } from '../module.js';
import type { CameraCatalog } from './catalog.js';
import type { VideoGateway } from './gateway.js';

const velocity = z.number().min(-1e9).max(1e9).optional();
export const ptzBody = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('move'), pan: velocity, tilt: velocity, zoom: velocity, timeoutMs: z.number().int().optional() }),
  z.strictObject({ type: z.literal('stop') }),
  z.strictObject({ type: z.literal('absolute'), pan: velocity, tilt: velocity, zoom: velocity }),
  z.strictObject({ type: z.literal('preset'), action: z.enum(['goto', 'set']).default('goto'), preset: z.string().min(1).max(64), name: z.string().min(1).max(64).optional() }),
]);

export const clipBody = z.strictObject({ preSeconds: z.number().min(0).max(60).default(10), postSeconds: z.number().min(0).max(60).default(5) });

const FILE_NAME = /^[a-z0-9][a-z0-9._-]*\.(jpg|mp4)$/i;

function issues(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}

export function cameraRoutes(deps: {
  catalog: CameraCatalog;
  gateway: VideoGateway;
  audit: AuditLogLike;
  requirePermission(p: Permission): RouterMiddleware;
}): Router {
  const { catalog, gateway, audit, requirePermission } = deps;
  const router = new Router();
  const view = requirePermission('cameras:view');
  const known = (id: string) => {
    const cam = catalog.view(id);
    if (!cam) throw new HttpError(404, 'not_found', `no camera ${id} (known: ${catalog.ids().join(', ') || 'none'})`);
    return cam;
  };

  router.get('/cameras', view, async (ctx) => {
    ctx.body = { items: catalog.ids().map((id) => catalog.view(id)) };
  });

  router.get('/cameras/:id', view, async (ctx) => {
    ctx.body = known(ctx.params.id);
  });

  // May I open this camera now? 200 {ok}, or the coded refusal: 429 viewer_limit, 503 transcode_budget.
  router.get('/cameras/:id/admission', view, async (ctx) => {
    known(ctx.params.id);
    const refusal = gateway.admission(ctx.params.id);
    if (refusal) throw refusal;
    ctx.body = { ok: true, viewers: gateway.status(ctx.params.id)?.viewers ?? 0 };
  });

  router.post('/cameras/:id/ptz', requirePermission('cameras:ptz'), async (ctx) => {
    known(ctx.params.id);
    const parsed = ptzBody.safeParse(ctx.request.body);
    if (!parsed.success) throw new HttpError(400, 'bad_request', `PTZ body must be {type: move|stop|absolute|preset, ...}: ${issues(parsed.error)}`);
    const perms: readonly string[] = ctx.state.user?.permissions ?? [];
    if (parsed.data.type === 'preset' && parsed.data.action === 'set' && !perms.includes('cameras:presets')) {
      throw new HttpError(403, 'forbidden', `role ${ctx.state.user?.role} lacks the permission cameras:presets (saving a preset)`, { missing: 'cameras:presets' });
    }
    const handle = catalog.handle(ctx.params.id);
    if (!handle) throw new HttpError(503, 'camera_unavailable', `camera ${ctx.params.id} is not connected`);
    const user = (ctx.state.user as { username: string } | undefined)?.username ?? 'unknown';
    try {
      const result = await handle.ptz(parsed.data as PtzCommand);
      audit.record({ user, action: 'camera.ptz', target: ctx.params.id, details: { ...parsed.data } });
      ctx.body = result;
    } catch (err) {
      if (err instanceof PtzRangeError) throw new HttpError(400, 'out_of_range', err.message, { axis: err.axis, range: err.range });
      if (err instanceof UnknownPresetError) throw new HttpError(400, 'unknown_preset', err.message, { presets: err.presets });
      if (err instanceof PresetExistsError) throw new HttpError(409, 'preset_exists', err.message);
      if (err instanceof CameraUnavailableError) throw new HttpError(503, 'camera_unavailable', err.message);
      throw new HttpError(502, 'camera_error', `camera ${ctx.params.id} refused the PTZ command: ${(err as Error).message}`);
    }
  });

  // Taking a snapshot or a clip stores evidence: that needs cameras:record, watching does not.
  const record = requirePermission('cameras:record');
  router.get('/cameras/:id/snapshot', record, async (ctx) => {
    known(ctx.params.id);
    try {
      const snap = await gateway.snapshot(ctx.params.id, 'manual');
      ctx.set('x-snapshot-file', snap.file);
      ctx.type = 'image/jpeg';
      ctx.body = createReadStream(snap.path);
    } catch (err) {
      throw new HttpError(503, 'camera_unavailable', (err as Error).message);
    }
  });

  for (const kind of ['snapshots', 'clips'] as const) {
    router.get(`/cameras/:id/${kind}`, view, async (ctx) => {
      known(ctx.params.id);
      ctx.body = { items: await gateway.files(kind, ctx.params.id) };
    });
    router.get(`/cameras/:id/${kind}/:file`, view, async (ctx) => {
      const { id, file } = ctx.params;
      if (!FILE_NAME.test(file) || !file.startsWith(`${id}-`)) throw new HttpError(400, 'bad_request', `not a ${kind} file name of camera ${id}: ${file}`);
      const names = await gateway.files(kind, id);
      if (!names.includes(file)) throw new HttpError(404, 'not_found', `no ${kind} file ${file}`);
      ctx.type = file.endsWith('.mp4') ? 'video/mp4' : 'image/jpeg';
      ctx.body = createReadStream(path.join(kind === 'snapshots' ? gateway.snapshotDir : gateway.clipDir, file));
    });
  }

  router.post('/cameras/:id/clips', record, async (ctx) => {
    known(ctx.params.id);
    const parsed = clipBody.safeParse(ctx.request.body ?? {});
    if (!parsed.success) throw new HttpError(400, 'bad_request', `clip body: ${issues(parsed.error)}`);
    try {
      ctx.body = await gateway.clip(ctx.params.id, { ...parsed.data, reason: 'manual' });
    } catch (err) {
      throw new HttpError(503, 'camera_unavailable', (err as Error).message);
    }
  });

  return router;
}
