// Pure helpers of the test-runs page: which request a fault form makes, progress percentages.
import type { CheckoutGroup, FaultKind, FaultRequest } from '../../../../contracts/testruns.js';

/** The request a fault form describes: a point id (has 5 slashes), else a connection or camera. Null = incomplete. */
export function faultRequestOf(kind: FaultKind, target: string, value: string, durationS: string): FaultRequest | null {
  const t = target.trim();
  if (!t && kind !== 'history-down') return null;
  const req: FaultRequest = { kind, tag: 'console' };
  if (kind === 'dead-camera') req.camera = t;
  else if (t.split('/').length === 6) req.point = t;
  else if (t) req.connection = t;
  const v = value.trim();
  if (kind === 'step') {
    if (v === '') return null;
    req.value = v === 'true' ? true : v === 'false' ? false : Number(v);
    if (typeof req.value === 'number' && !Number.isFinite(req.value)) return null;
  }
  if (kind === 'ramp') {
    if (!Number.isFinite(Number(v)) || v === '') return null;
    Object.assign(req, { to: Number(v), rampS: 60 });
  }
  if (kind === 'noise') Object.assign(req, { amplitude: Number(v) > 0 ? Number(v) : 1 });
  if (kind === 'comm-flap') req.periodS = 5;
  const d = Number(durationS);
  if (durationS.trim() !== '' && d > 0) req.durationS = d;
  return req;
}

export const percent = (g: Pick<CheckoutGroup, 'done' | 'total'>) => (g.total === 0 ? 0 : Math.round((g.done / g.total) * 100));
