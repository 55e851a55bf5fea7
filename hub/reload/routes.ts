// POST /api/config/reload: admins apply the config folder's current content live. A refused
// config answers 422 with the usual `file: path: reason` lines and changes nothing.
import Router from '@koa/router';
import type { RouterMiddleware } from '@koa/router';
import type { Permission } from '../../contracts/auth.js';
import { HttpError } from '../api/errors.js';
import type { ReloadResult } from './types.js';

export interface ReloadRoutesOptions {
  reload(user: string): Promise<ReloadResult>;
  requirePermission(p: Permission): RouterMiddleware;
}

export function reloadRoutes(o: ReloadRoutesOptions): Router {
  const router = new Router();
  router.post('/config/reload', o.requirePermission('config:reload'), async (ctx) => {
    const user = (ctx.state.user as { username: string }).username;
    const r = await o.reload(user);
    if (!r.ok) {
      throw new HttpError(422, 'config_refused', `config refused, nothing changed (${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}):\n${r.problems.join('\n')}`, { problems: r.problems });
    }
    ctx.body = r;
  });
  return router;
}
