// REST of the cameras: list with status, one camera, PTZ, snapshots, clips.
import Router, { type RouterMiddleware } from '@koa/router';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Permission } from '../../contracts/auth.js';
import { CameraUnavailableError, PresetExistsError, PtzRangeError, UnknownPresetError, type PtzCommand } from '../../drivers/onvif/registry.js';
import { HttpError } from '../api/errors.js';
import type { AuditLogLike } from '../module.js';
import type { CameraCatalog } from './catalog.js';
import type { VideoGateway } from './gateway.js';
import type { LiveMasking } from './masked.js';

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
  /** Live privacy masks (masked.ts): snapshots for a masked role are masked, clips refused. */
  masking?: LiveMasking;
}): Router {
  const { catalog, gateway, audit, requirePermission, masking } = deps;
  const roleOf = (ctx: { state: { user?: { role?: string } } }) => ctx.state.user?.role;
  const who = (ctx: { state: { user?: { username?: string } } }) => ctx.state.user?.username ?? 'unknown';
  /** A stored or fresh JPEG as this role may see it, audited like the live view. */
  const sendJpeg = async (ctx: Parameters<RouterMiddleware>[0], id: string, file: string, jpeg: Buffer) => {
    const out = masking
      ? await masking.snapshotFor(id, roleOf(ctx), jpeg).catch((err: Error) => {
          throw new HttpError(503, 'mask_failed', `camera ${id}: the privacy masks could not be drawn on the snapshot (${err.message})`);
        })
      : { jpeg, masked: false };
    audit.record({ user: who(ctx), action: 'camera.snapshot', target: id, details: { file, role: roleOf(ctx), masked: out.masked } });
    ctx.type = 'image/jpeg';
    ctx.body = out.jpeg;
  };
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
    const refusal = gateway.admission(ctx.params.id, roleOf(ctx));
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
    let snap;
    try {
      snap = await gateway.snapshot(ctx.params.id, 'manual');
    } catch (err) {
      throw new HttpError(503, 'camera_unavailable', (err as Error).message);
    }
    // The stored file is the camera's picture (evidence); what this role receives may be masked.
    ctx.set('x-snapshot-file', snap.file);
    await sendJpeg(ctx, ctx.params.id, snap.file, await readFile(snap.path));
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
      if (kind === 'snapshots') return sendJpeg(ctx, id, file, await readFile(path.join(gateway.snapshotDir, file)));
      // Stored clips are the camera's unmasked MP4: a masked role gets video through a masked evidence export only.
      if (masking?.masked(id, roleOf(ctx))) throw new HttpError(403, 'forbidden', `camera ${id} is shown to role ${roleOf(ctx)} with privacy masks; its stored clips are not (export them with masks instead)`);
      ctx.type = 'video/mp4';
      ctx.body = createReadStream(path.join(gateway.clipDir, file));
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
