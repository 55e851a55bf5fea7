// The work-order lifecycle as one pure function: who may take which step from which state.
// new → assigned → accepted → en_route → on_site → done → verified → closed, plus reassign and
// cancel (supervisor, with a reason) and reject (the assignee hands it back, with a reason).
import type { PartUsed, WoAction, WoState } from '../../contracts/workorders.js';

export interface Actor {
  username: string;
  /** workorders:work — may carry out orders assigned to them. */
  work: boolean;
  /** workorders:manage — supervisors: assign, reassign, cancel, verify, close anything. */
  manage: boolean;
}

export interface OrderFacts {
  state: WoState;
  assignee: string | null;
  requester: string;
}

export interface StepInput {
  action: WoAction;
  note?: string;
  assignee?: string;
  workDone?: string;
  parts?: PartUsed[];
}

export type StepResult =
  | { ok: true; to: WoState; assignee: string | null }
  | { ok: false; code: 'forbidden' | 'conflict' | 'invalid'; message: string };

const OPEN: readonly WoState[] = ['new', 'assigned', 'accepted', 'en_route', 'on_site'];

/** From-state and the resulting state of each plain forward step. */
const FORWARD: Partial<Record<WoAction, { from: readonly WoState[]; to: WoState }>> = {
  accept: { from: ['assigned'], to: 'accepted' },
  depart: { from: ['accepted'], to: 'en_route' },
  arrive: { from: ['accepted', 'en_route'], to: 'on_site' },
  finish: { from: ['on_site'], to: 'done' },
  verify: { from: ['done'], to: 'verified' },
  close: { from: ['verified'], to: 'closed' },
};

const refuse = (code: 'forbidden' | 'conflict' | 'invalid', message: string): StepResult => ({ ok: false, code, message });

export function isOpen(state: WoState): boolean {
  return OPEN.includes(state);
}

export function step(o: OrderFacts, input: StepInput, actor: Actor): StepResult {
  const { action } = input;
  const needsReason = () => !input.note || input.note.trim() === '';
  switch (action) {
    case 'assign':
    case 'reassign': {
      if (!actor.manage) return refuse('forbidden', `${action} needs the workorders:manage permission (a supervisor)`);
      if (!input.assignee) return refuse('invalid', 'assignee: who to assign the order to is required');
      if (action === 'assign' && o.state !== 'new') return refuse('conflict', `the order is ${o.state}, not new: use reassign`);
      if (action === 'reassign' && !isOpen(o.state)) return refuse('conflict', `a ${o.state} order cannot be reassigned`);
      if (action === 'reassign' && needsReason()) return refuse('invalid', 'note: a reason is required to reassign');
      return { ok: true, to: 'assigned', assignee: input.assignee };
    }
    case 'cancel':
      if (!actor.manage) return refuse('forbidden', 'cancel needs the workorders:manage permission (a supervisor)');
      if (!isOpen(o.state) && o.state !== 'done') return refuse('conflict', `a ${o.state} order cannot be cancelled`);
      if (needsReason()) return refuse('invalid', 'note: a reason is required to cancel');
      return { ok: true, to: 'cancelled', assignee: o.assignee };
    case 'reject':
      if (o.assignee !== actor.username) return refuse('forbidden', 'only the assignee can hand an order back');
      if (o.state !== 'assigned' && o.state !== 'accepted') return refuse('conflict', `a ${o.state} order cannot be handed back`);
      if (needsReason()) return refuse('invalid', 'note: a reason is required to hand an order back');
      return { ok: true, to: 'new', assignee: null };
    default: {
      const f = Object.hasOwn(FORWARD, action) ? FORWARD[action] : undefined; // `constructor` is not an action
      if (!f) return refuse('invalid', `unknown action "${action}"`);
      const mayAct = whoMay(action, o, actor);
      if (mayAct !== true) return refuse('forbidden', mayAct);
      if (!f.from.includes(o.state)) return refuse('conflict', `cannot ${action} a ${o.state} order (needs ${f.from.join(' or ')})`);
      if (action === 'finish' && (!input.workDone || input.workDone.trim() === '')) return refuse('invalid', 'workDone: say what was done');
      return { ok: true, to: f.to, assignee: o.assignee };
    }
  }
}

/** true, or why not. */
function whoMay(action: WoAction, o: OrderFacts, actor: Actor): true | string {
  if (action === 'verify' || action === 'close') {
    return actor.manage || actor.username === o.requester ? true : `only the requester or a supervisor can ${action} an order`;
  }
  // accept/depart/arrive/finish: the assignee, with the work permission; a supervisor may act for them.
  if (actor.manage) return true;
  if (!actor.work) return `${action} needs the workorders:work permission`;
  return o.assignee === actor.username ? true : `only the assignee (${o.assignee ?? 'nobody'}) can ${action} this order`;
}
