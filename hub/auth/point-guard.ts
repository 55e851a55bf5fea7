// The authorise step of every point command route (points:write): the user's role must cover the
// point's class and area (contracts/scopes.ts), and a security command (door release, lock
// override) must say `confirm: true` and give a reason, which goes to the audit log.
import type { PointInfo } from '../../contracts/point.js';
import { isSecurityCommandPoint, pointClassOf, scopeRefusal, type PointScope } from '../../contracts/scopes.js';
import { HttpError } from '../api/errors.js';
import type { AuditLogLike } from '../module.js';

export interface PointGuardDeps {
  pointInfo(id: string): PointInfo | undefined;
  scopeOf(role: string): PointScope;
  audit: AuditLogLike;
}

const MAX_REASON = 500;

/** Why a security command's confirmation is missing or malformed, or null. Pure. */
export function confirmationProblem(body: unknown): string | null {
  const b = (typeof body === 'object' && body !== null ? body : {}) as { confirm?: unknown; reason?: unknown };
  const problems: string[] = [];
  if (b.confirm !== true) problems.push('confirm must be true');
  if (typeof b.reason !== 'string' || b.reason.trim() === '') problems.push('reason must be a non-empty text');
  else if (b.reason.length > MAX_REASON) problems.push(`reason must be at most ${MAX_REASON} characters`);
  return problems.length ? problems.join('; ') : null;
}

/**
 * Checks a command on `pointIds` by `user`; throws 403 (scope) or 400 (confirmation). Unknown ids
 * are left to the route (404). The authorise step owns `confirm` and `reason`: after checking them
 * it removes them from the body, so the command's own strict schema sees only the command.
 */
export function guardPointCommand(
  deps: PointGuardDeps,
  user: { username: string; role: string },
  pointIds: readonly string[],
  body: unknown,
  route: string,
): void {
  const points = pointIds.map((id) => deps.pointInfo(id)).filter((p): p is PointInfo => p !== undefined);
  const scope = deps.scopeOf(user.role);
  for (const p of points) {
    const refusal = scopeRefusal(scope, p);
    if (refusal) {
      deps.audit.record({ user: user.username, action: 'point.command.refused', target: p.id, details: { route, class: pointClassOf(p), error: refusal } });
      throw new HttpError(403, 'out_of_scope', `role ${user.role} may not command this point: ${refusal}`, { pointId: p.id, class: pointClassOf(p) });
    }
  }
  const security = points.filter((p) => isSecurityCommandPoint(p));
  if (security.length > 0) {
    const problem = confirmationProblem(body);
    if (problem) {
      throw new HttpError(400, 'confirmation_required', `${security.map((p) => p.id).join(', ')} is a security command (door release, lock override): send "confirm": true and a "reason" — ${problem}`, { pointIds: security.map((p) => p.id), required: ['confirm', 'reason'] });
    }
    const reason = ((body as { reason: string }).reason).trim();
    for (const p of security) deps.audit.record({ user: user.username, action: 'point.command.confirmed', target: p.id, details: { route, reason } });
  }
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    delete (body as Record<string, unknown>).confirm;
    delete (body as Record<string, unknown>).reason;
  }
}
