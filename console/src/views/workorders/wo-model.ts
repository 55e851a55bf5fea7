// Pure view-model of the work-order pages: which buttons a user gets, deadlines, parts parsing.
import type { PartUsed, WoAction, WorkOrder } from '../../../../contracts/workorders.js';

export interface Me {
  username: string;
  permissions: readonly string[];
}

/** The steps this user may take now (the hub decides again; this only chooses the buttons). */
export function nextActions(o: WorkOrder, me: Me): WoAction[] {
  const manage = me.permissions.includes('workorders:manage');
  const mine = o.assignee === me.username;
  const out: WoAction[] = [];
  const forward: Partial<Record<WorkOrder['state'], WoAction>> = { assigned: 'accept', accepted: 'depart', en_route: 'arrive', on_site: 'finish' };
  const f = forward[o.state];
  if (f && (mine || manage)) out.push(f);
  if (o.state === 'accepted' && (mine || manage)) out.splice(0, 1, 'depart', 'arrive');
  if (o.state === 'done' && (manage || o.requester === me.username)) out.push('verify');
  if (o.state === 'verified' && (manage || o.requester === me.username)) out.push('close');
  if (mine && (o.state === 'assigned' || o.state === 'accepted')) out.push('reject');
  if (manage && o.state === 'new') out.push('assign');
  if (manage && ['assigned', 'accepted', 'en_route', 'on_site'].includes(o.state)) out.push('reassign');
  if (manage && ['new', 'assigned', 'accepted', 'en_route', 'on_site', 'done'].includes(o.state)) out.push('cancel');
  return out;
}

/** Actions that need a typed note (the hub refuses them without one). */
export const NEEDS_NOTE: readonly WoAction[] = ['reassign', 'cancel', 'reject'];

/** "contactor × 1 !" lines → parts. Refuses lines it cannot read, naming them. */
export function parseParts(text: string): { parts: PartUsed[]; bad: string[] } {
  const parts: PartUsed[] = [];
  const bad: string[] = [];
  for (const raw of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const m = /^(.+?)\s*(?:[×xX*]\s*(\d+))?\s*(!)?$/.exec(raw);
    if (!m || !m[1].trim()) {
      bad.push(raw);
      continue;
    }
    parts.push({ name: m[1].trim(), qty: m[2] ? Number(m[2]) : 1, ...(m[3] ? { damaged: true } : {}) });
  }
  return { parts, bad };
}

/** Minutes left until a deadline (negative: overdue). */
export function minutesLeft(deadline: number, now: number): number {
  return Math.round((deadline - now) / 60_000);
}

export function isOpenState(s: WorkOrder['state']): boolean {
  return ['new', 'assigned', 'accepted', 'en_route', 'on_site'].includes(s);
}
