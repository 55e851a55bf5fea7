// The dispatch domain: creating orders from every source, assigning them to the on-call person,
// taking lifecycle steps (version-checked, durable, audited, notified), the SLA escalation sweep,
// photos and ratings. No HTTP here: refusals are domain errors (hub/errors.ts).
import type { LocalizedText } from '../../contracts/point.js';
import type { PartUsed, StepBody, Trade, WoPriority, WoSource, WorkOrder, WorkOrderDetail } from '../../contracts/workorders.js';
import type { HolidayCalendar } from '../control/calendar.js';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from '../errors.js';
import type { AuditLogLike, HubLogger } from '../module.js';
import type { Message } from '../notify/types.js';
import { isOpen, step, type Actor } from './lifecycle.js';
import { savePhoto, sniffImage } from './photos.js';
import { escalationTarget, MAX_ESCALATION, onCall, type OnCall } from './roster.js';
import type { DispatchFile } from './schema.js';
import type { WorkOrderStore } from './store.js';

export interface NotifyLike {
  notify(m: Message, users: readonly string[]): number;
}

export interface DispatchServiceOptions {
  file: DispatchFile;
  store: WorkOrderStore;
  calendar: HolidayCalendar;
  timezone: string;
  dataDir: string;
  notifier?: NotifyLike;
  audit?: AuditLogLike;
  log?: HubLogger;
  now?: () => number;
  /** Adds a note to an alarm's comment thread (closing an order reports back to its alarm). */
  commentAlarm?(alarmId: string, user: string, text: string): void;
}

export interface CreateInput {
  source: WoSource;
  title: string;
  description?: string;
  trade: Trade;
  area: string;
  device?: string;
  priority: WoPriority;
  requester: string;
  alarmId?: string;
  alarmActiveSince?: number;
  patrolId?: string;
}

const MIN = 60_000;

const T = {
  assigned: (o: WorkOrder): LocalizedText => ({ en: `Work order #${o.id}: ${o.title}`, 'zh-CN': `工单 #${o.id}：${o.title}` }),
};

export class DispatchService {
  readonly now: () => number;

  constructor(private o: DispatchServiceOptions) {
    this.now = o.now ?? Date.now;
  }

  get file(): DispatchFile {
    return this.o.file;
  }

  /** A live config reload (dispatch.yaml or the calendar): the roster, SLAs and photo limits apply to the next dispatch. */
  reconfigure(file: DispatchFile, calendar: HolidayCalendar): void {
    this.o = { ...this.o, file, calendar };
  }

  onCall(trade: Trade, area: string, at = this.now()): OnCall | undefined {
    return onCall(this.o.file, this.o.calendar, this.o.timezone, trade, area, at);
  }

  private sla(p: WoPriority) {
    return this.o.file.sla[p];
  }

  create(input: CreateInput): WorkOrder {
    if (!input.title.trim()) throw new InvalidError('invalid_title', 'title: must not be empty');
    const now = this.now();
    const sla = this.sla(input.priority);
    const oc = this.onCall(input.trade, input.area, now);
    const assignee = oc?.people[0] ?? null;
    const order = this.o.store.create(
      {
        state: assignee ? 'assigned' : 'new', source: input.source, title: input.title.trim(), description: input.description?.trim() ?? '',
        trade: input.trade, area: input.area, priority: input.priority, requester: input.requester, assignee, escalation: 0,
        createdAt: now, respondBy: now + sla.respondMin * MIN, fixBy: now + sla.fixMin * MIN, escalateAt: now + sla.respondMin * MIN,
        parts: [], photos: [],
        ...(input.device ? { device: input.device } : {}),
        ...(input.alarmId ? { alarmId: input.alarmId } : {}),
        ...(input.alarmActiveSince !== undefined ? { alarmActiveSince: input.alarmActiveSince } : {}),
        ...(input.patrolId ? { patrolId: input.patrolId } : {}),
      },
      {
        kind: 'create', user: input.requester, from: null, to: assignee ? 'assigned' : 'new', assignee,
        note: oc ? `on call (${oc.basis}): ${assignee}` : `no roster line for ${input.trade} in ${input.area}`,
      },
    );
    this.o.audit?.record({ user: input.requester, action: 'workorder.create', target: String(order.id), details: { source: input.source, trade: input.trade, area: input.area, priority: input.priority, assignee, ...(input.alarmId ? { alarm: input.alarmId } : {}) } });
    if (assignee) this.tell(order, [assignee], 'assigned');
    else if (oc) this.tell(order, [oc.supervisor], 'unassigned');
    return order;
  }

  get(id: number): WorkOrderDetail {
    const o = this.o.store.get(id);
    if (!o) throw new NotFoundError('unknown_workorder', `no work order #${id}`);
    return { ...o, timeline: this.o.store.timeline(id) };
  }

  /** One lifecycle step, refused unless `body.version` is the current version (offline edits). */
  step(id: number, actor: Actor, body: StepBody): WorkOrder {
    const now = this.now();
    let refusal: Error | undefined;
    let from: WorkOrder | undefined;
    const r = this.o.store.update(
      id, body.version,
      (cur) => {
        from = cur;
        const res = step(cur, body, actor);
        if (!res.ok) {
          refusal = res.code === 'forbidden' ? new ForbiddenError('step_forbidden', res.message) : res.code === 'invalid' ? new InvalidError('step_invalid', res.message) : new ConflictError('step_conflict', res.message, { order: cur });
          return null;
        }
        const next: WorkOrder = { ...cur, state: res.to, assignee: res.assignee };
        const sla = this.sla(cur.priority);
        switch (body.action) {
          case 'accept': next.acceptedAt = now; next.escalation = 0; next.escalateAt = cur.fixBy; break;
          case 'assign': case 'reassign': next.escalation = 0; next.escalateAt = now + sla.respondMin * MIN; break;
          case 'reject': next.escalateAt = now; break; // back to the roster at once
          case 'finish': next.doneAt = now; next.workDone = body.workDone!.trim(); next.parts = body.parts ?? []; next.escalateAt = null; break;
          case 'close': next.closedAt = now; next.escalateAt = null; break;
          case 'cancel': next.closedAt = now; next.escalateAt = null; break;
          default: break;
        }
        return next;
      },
      (o) => ({ kind: body.action, user: actor.username, from: from!.state, to: o.state, assignee: o.assignee, ...(body.note ? { note: body.note } : body.workDone ? { note: body.workDone } : {}) }),
      now,
    );
    if (refusal) throw refusal;
    if (!r.ok && r.reason === 'not_found') throw new NotFoundError('unknown_workorder', `no work order #${id}`);
    if (!r.ok) {
      throw new ConflictError('version_conflict', `work order #${id} changed since you saw it (you had version ${body.version}, it is now ${r.current!.version}, ${r.current!.state}); reload it and try again`, { order: r.current });
    }
    const o = r.order;
    this.o.audit?.record({ user: actor.username, action: `workorder.${body.action}`, target: String(id), details: { from: from!.state, to: o.state, ...(o.assignee ? { assignee: o.assignee } : {}), ...(body.note ? { note: body.note } : {}) } });
    if (body.action === 'assign' || body.action === 'reassign') this.tell(o, [o.assignee!], 'assigned');
    if (body.action === 'finish' && o.requester !== actor.username) this.tell(o, [o.requester], 'done');
    if (body.action === 'cancel' && o.assignee) this.tell(o, [o.assignee], 'cancelled');
    if (body.action === 'close' && o.alarmId) {
      try {
        this.o.commentAlarm?.(o.alarmId, actor.username, `工单 #${o.id} 已关闭 / work order #${o.id} closed: ${o.workDone ?? ''}`.trim());
      } catch (err) {
        this.o.log?.warn({ err, alarm: o.alarmId }, 'could not add the closing note to the alarm');
      }
    }
    return o;
  }

  addPhoto(id: number, actor: Actor, bytes: Uint8Array, version?: number): WorkOrder {
    const cur = this.get(id);
    if (!actor.manage && actor.username !== cur.assignee && actor.username !== cur.requester) {
      throw new ForbiddenError('photo_forbidden', 'only the assignee, the requester or a supervisor can add photos');
    }
    const { maxBytes, maxPerOrder } = this.o.file.photos;
    if (bytes.length > maxBytes) throw new InvalidError('photo_too_large', `photo is ${bytes.length} bytes; at most ${maxBytes}`);
    const type = sniffImage(bytes);
    if (!type) throw new InvalidError('photo_type', 'photo must be a JPEG, PNG or WebP image (checked by its content)');
    if (cur.photos.length >= maxPerOrder) throw new ConflictError('too_many_photos', `an order holds at most ${maxPerOrder} photos`);
    const name = savePhoto(this.o.dataDir, id, cur.photos.length + 1, type, bytes);
    const r = this.o.store.update(id, version, (o) => ({ ...o, photos: [...o.photos, name] }), (o) => ({ kind: 'photo', user: actor.username, from: o.state, to: o.state, note: name }), this.now());
    if (!r.ok) throw new ConflictError('version_conflict', `work order #${id} changed since you saw it; reload it and try again`, { order: r.current });
    this.o.audit?.record({ user: actor.username, action: 'workorder.photo', target: String(id), details: { photo: name, bytes: bytes.length } });
    return r.order;
  }

  rate(id: number, user: string, score: number, comment?: string): WorkOrder {
    const r = this.o.store.update(
      id, undefined,
      (o) => {
        if (o.requester !== user) throw new ForbiddenError('rate_forbidden', 'only the requester rates an order');
        if (!['done', 'verified', 'closed'].includes(o.state)) throw new ConflictError('rate_too_early', `a ${o.state} order cannot be rated yet`);
        if (o.rating) throw new ConflictError('already_rated', 'this order is already rated');
        return { ...o, rating: { score, by: user, at: this.now(), ...(comment ? { comment } : {}) } };
      },
      (o) => ({ kind: 'rate', user, from: o.state, to: o.state, note: `${score}/5${comment ? ` ${comment}` : ''}` }),
      this.now(),
    );
    if (!r.ok) throw new NotFoundError('unknown_workorder', `no work order #${id}`);
    this.o.audit?.record({ user, action: 'workorder.rate', target: String(id), details: { score, ...(comment ? { comment } : {}) } });
    return r.order;
  }

  /**
   * SLA sweep: an order whose deadline passed escalates one level — the next person on the roster
   * takes it over (while nobody accepted it), then the supervisor, then the manager are told. Each
   * escalation is a timeline entry, an audit record and a notification.
   */
  sweep(): number {
    const now = this.now();
    let n = 0;
    for (const o of this.o.store.open()) {
      if (o.escalateAt === null || o.escalateAt > now) continue;
      if (o.escalation >= MAX_ESCALATION && o.state !== 'new') {
        this.o.store.update(o.id, o.version, (c) => ({ ...c, escalateAt: null }), () => null, now);
        continue;
      }
      const oc = this.onCall(o.trade, o.area, now);
      if (!oc) continue;
      const level = Math.min(MAX_ESCALATION, o.escalation + 1);
      const target = escalationTarget(oc, level);
      const waitingForResponse = o.state === 'new' || o.state === 'assigned';
      const takeOver = waitingForResponse && (level === 1 || o.state === 'new');
      const phase = waitingForResponse ? 'response' : 'fix';
      const sla = this.sla(o.priority);
      const r = this.o.store.update(
        o.id, o.version,
        (c) => ({ ...c, escalation: level, escalateAt: level >= MAX_ESCALATION ? null : now + sla.respondMin * MIN, ...(takeOver ? { assignee: target, state: 'assigned' as const } : {}) }),
        (c) => ({ kind: 'escalate', user: 'system', from: o.state, to: c.state, assignee: c.assignee, note: `${phase} deadline passed: level ${level} → ${target}` }),
        now,
      );
      if (!r.ok) continue;
      n++;
      this.o.audit?.record({ user: 'system', action: 'workorder.escalate', target: String(o.id), details: { level, to: target, phase } });
      this.tell(r.order, [target], 'escalated');
    }
    return n;
  }

  private tell(o: WorkOrder, users: string[], why: 'assigned' | 'done' | 'escalated' | 'cancelled' | 'unassigned'): void {
    if (!this.o.notifier || users.length === 0) return;
    const sla = this.sla(o.priority);
    const body: Record<typeof why, LocalizedText> = {
      assigned: { en: `${o.area} · ${o.trade}. Accept within ${sla.respondMin} min.`, 'zh-CN': `${o.area} · ${o.trade}。请在 ${sla.respondMin} 分钟内接单。` },
      done: { en: `Finished by ${o.assignee}: ${o.workDone ?? ''}. Please verify and rate.`, 'zh-CN': `${o.assignee} 已完成：${o.workDone ?? ''}。请验收并评价。` },
      escalated: { en: `Escalated (level ${o.escalation}): the deadline passed. ${o.area} · ${o.trade}.`, 'zh-CN': `已升级（第 ${o.escalation} 级）：超过时限。${o.area} · ${o.trade}。` },
      cancelled: { en: 'Cancelled by a supervisor.', 'zh-CN': '已被主管取消。' },
      unassigned: { en: `Nobody on call could be found for ${o.trade} in ${o.area}: assign it.`, 'zh-CN': `${o.area} 的 ${o.trade} 无人值班，请派单。` },
    };
    try {
      this.o.notifier.notify({ key: `wo:${o.id}:${why}:${o.escalation}:${o.assignee ?? ''}`, priority: o.priority, trade: o.trade, area: o.area, title: T.assigned(o), body: body[why], link: `#/workorders/${o.id}` }, users);
    } catch (err) {
      this.o.log?.error({ err, order: o.id }, 'notification failed to queue');
    }
  }
}

export function validParts(parts: unknown): parts is PartUsed[] {
  return Array.isArray(parts) && parts.every((p) => p && typeof p.name === 'string' && typeof p.qty === 'number');
}
