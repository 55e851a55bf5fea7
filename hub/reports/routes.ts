// /api/reports: the decision view's one aggregated answer, the archive, "send now" and the print
// payload the PDF renderer's page reads with a one-time token.
import fs from 'node:fs';
import Router from '@koa/router';
import { z } from 'zod';
import type { Permission } from '../../contracts/auth.js';
import type { DecisionSummary, ReportEntry, ReportKind, ReportLang, ReportPayload } from '../../contracts/reports.js';
import { InvalidError, NotFoundError } from '../errors.js';
import type { HubContext } from '../module.js';

export const SendNowBody = z.strictObject({
  kind: z.enum(['daily', 'weekly', 'monthly']),
  lang: z.enum(['zh-CN', 'en']).optional(),
  /** Usernames; default: the recipients of the first schedule of that kind (none: archive only). */
  recipients: z.array(z.string().min(1).max(100)).max(100).optional(),
});

export interface ReportRouteDeps {
  requirePermission: HubContext['requirePermission'];
  decision(): Promise<DecisionSummary>;
  archive(): ReportEntry[];
  pdfOf(id: string): string | undefined;
  payloadOf(token: string): ReportPayload | undefined;
  sendNow(user: string, kind: ReportKind, lang: ReportLang | undefined, recipients: string[] | undefined): Promise<ReportEntry>;
  schedules(): unknown;
}

export function reportRoutes(d: ReportRouteDeps): Router {
  const r = new Router();
  const read = d.requirePermission('reports:read' as Permission);

  r.get('/reports/decision', read, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await d.decision();
  });

  r.get('/reports/archive', read, (ctx) => {
    ctx.body = d.archive();
  });

  r.get('/reports/schedules', read, (ctx) => {
    ctx.body = d.schedules();
  });

  r.get('/reports/archive/:id/pdf', read, (ctx) => {
    const file = d.pdfOf(ctx.params.id);
    if (!file) throw new NotFoundError('unknown_report', `no report "${ctx.params.id}"`);
    ctx.type = 'application/pdf';
    ctx.attachment(`${ctx.params.id}.pdf`, { type: 'inline' });
    ctx.body = fs.createReadStream(file);
  });

  // No session: the renderer's Chromium presents the unguessable one-time token instead (it expires
  // when the PDF is done, or after 5 minutes). It carries only the report's figures.
  r.get('/reports/print/:token', (ctx) => {
    const p = d.payloadOf(ctx.params.token);
    if (!p) throw new NotFoundError('unknown_print_token', 'this print link has expired');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = p;
  });

  r.post('/reports/send', d.requirePermission('reports:send' as Permission), async (ctx) => {
    const parsed = SendNowBody.safeParse(ctx.request.body ?? {});
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new InvalidError('invalid_body', `${i.path.join('.') || 'body'}: ${i.message}`, { path: i.path });
    }
    const user = (ctx.state as { user: { username: string } }).user.username;
    const entry = await d.sendNow(user, parsed.data.kind, parsed.data.lang, parsed.data.recipients);
    ctx.status = 201;
    ctx.body = entry;
  });

  return r;
}
