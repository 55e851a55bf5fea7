// GET /api/openapi.json and GET /api/docs: the OpenAPI document of the running hub (built on first
// request from the mounted routers, then cached) and its plain HTML page. Public like /api/health:
// the document describes routes and permissions, not data.
import Router from '@koa/router';
import { openApiDocument, openApiHtml, routesOf } from './openapi.js';
import { REQUEST_BODIES } from './openapi-bodies.js';
import { RESPONSE_BODIES } from './openapi-responses.js';

export { tagPermission } from './openapi.js';

export function openApiRoutes(routers: () => readonly Router[], version = process.env.npm_package_version ?? '0.1.0'): Router {
  const r = new Router();
  let doc: Record<string, unknown> | undefined;
  const get = () =>
    (doc ??= openApiDocument(routesOf(routers()), {
      title: 'Watchfloor hub', version, bodies: REQUEST_BODIES, responses: RESPONSE_BODIES,
      description: 'REST API of the Watchfloor hub. Errors: { error: { code, message, details? } }. Sign-in, Socket.IO events and metrics: docs/api.md.',
    }));
  r.get('/openapi.json', (ctx) => {
    ctx.body = get();
  });
  r.get('/docs', (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = openApiHtml(get());
  });
  return r;
}
