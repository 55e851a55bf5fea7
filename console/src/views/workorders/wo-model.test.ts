import { describe, expect, it } from 'vitest';
import type { WorkOrder } from '../../../../contracts/workorders.js';
import { OfflineQueue } from './offline-queue.js';
import { nextActions, parseParts } from './wo-model.js';

const o = (p: Partial<WorkOrder>): WorkOrder => ({
  id: 1, version: 1, state: 'assigned', source: 'manual', title: 't', description: '', trade: 'electrical', area: 'a', priority: 'high',
  requester: 'req', assignee: 'e1', escalation: 0, createdAt: 0, respondBy: 0, fixBy: 0, escalateAt: null, parts: [], photos: [], ...p,
});
const e1 = { username: 'e1', permissions: ['workorders:create', 'workorders:work'] };
const sup = { username: 'sup', permissions: ['workorders:create', 'workorders:work', 'workorders:manage'] };
const req = { username: 'req', permissions: ['workorders:create'] };

describe('work-order view model', () => {
  it.each([
    ['assigned', e1, ['accept', 'reject']],
    ['assigned', req, []],
    ['assigned', sup, ['accept', 'reassign', 'cancel']],
    ['accepted', e1, ['depart', 'arrive', 'reject']],
    ['on_site', e1, ['finish']],
    ['done', req, ['verify']],
    ['done', e1, []],
    ['verified', req, ['close']],
    ['new', sup, ['assign', 'cancel']],
  ] as const)('%s for %o → %j', (state, me, want) => {
    expect(nextActions(o({ state }), me)).toEqual(want);
  });

  it('reads parts lines', () => {
    expect(parseParts('contactor × 1 !\nfuse x2\n\nLED tube')).toEqual({ parts: [{ name: 'contactor', qty: 1, damaged: true }, { name: 'fuse', qty: 2 }, { name: 'LED tube', qty: 1 }], bad: [] });
  });
});

describe('offline queue', () => {
  const mem = () => {
    const m = new Map<string, string>();
    return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
  };

  it('keeps updates while offline and sends them in order when back', async () => {
    const q = new OfflineQueue(mem(), 'e1');
    q.add(1, { action: 'accept', version: 1 });
    q.add(1, { action: 'depart', version: 2 });
    expect(await q.flush(async () => Promise.reject({ status: 0 }))).toEqual({ sent: 0, refused: [], kept: 2 });
    const sent: string[] = [];
    expect(await q.flush(async (x) => void sent.push(x.body.action))).toEqual({ sent: 2, refused: [], kept: 0 });
    expect(sent).toEqual(['accept', 'depart']);
    expect(q.items()).toEqual([]);
  });

  it('a conflict refuses that update and the later ones of the same order, clearly', async () => {
    const q = new OfflineQueue(mem(), 'e1');
    q.add(1, { action: 'accept', version: 1 });
    q.add(1, { action: 'depart', version: 2 });
    q.add(2, { action: 'accept', version: 1 });
    const r = await q.flush(async (x) => (x.orderId === 1 ? Promise.reject({ status: 409, message: 'changed since you saw it' }) : undefined));
    expect(r.sent).toBe(1);
    expect(r.refused.map((x) => [x.item.body.action, x.message])).toEqual([['accept', 'changed since you saw it'], ['depart', 'an earlier offline update of this order was refused']]);
    expect(q.items()).toEqual([]);
  });
});
