import { describe, expect, it } from 'vitest';
import type { WoAction, WoState } from '../../contracts/workorders.js';
import { step, type Actor } from './lifecycle.js';

const maint: Actor = { username: 'maint', work: true, manage: false };
const other: Actor = { username: 'other', work: true, manage: false };
const sup: Actor = { username: 'sup', work: true, manage: true };
const req: Actor = { username: 'req', work: false, manage: false };

type Row = [WoState, WoAction, Actor, string | WoState, { note?: string; assignee?: string; workDone?: string }?];

// [from, action, actor, expected to-state or refusal code, input]
const TABLE: Row[] = [
  ['new', 'assign', sup, 'assigned', { assignee: 'maint' }],
  ['new', 'assign', maint, 'forbidden', { assignee: 'maint' }],
  ['new', 'assign', sup, 'invalid', {}],
  ['assigned', 'assign', sup, 'conflict', { assignee: 'x' }],
  ['assigned', 'accept', maint, 'accepted'],
  ['assigned', 'accept', other, 'forbidden'],
  ['assigned', 'accept', req, 'forbidden'],
  ['assigned', 'accept', sup, 'accepted'],
  ['new', 'accept', maint, 'forbidden'],
  ['new', 'accept', sup, 'conflict'],
  ['accepted', 'depart', maint, 'en_route'],
  ['en_route', 'arrive', maint, 'on_site'],
  ['accepted', 'arrive', maint, 'on_site'],
  ['assigned', 'arrive', maint, 'conflict'],
  ['on_site', 'finish', maint, 'invalid', {}],
  ['on_site', 'finish', maint, 'done', { workDone: 'replaced the ballast' }],
  ['en_route', 'finish', maint, 'conflict', { workDone: 'x' }],
  ['done', 'verify', req, 'verified'],
  ['done', 'verify', sup, 'verified'],
  ['done', 'verify', maint, 'forbidden'],
  ['verified', 'close', req, 'closed'],
  ['verified', 'close', other, 'forbidden'],
  ['done', 'close', sup, 'conflict'],
  ['on_site', 'reassign', sup, 'assigned', { assignee: 'other', note: 'needs a second pair of hands' }],
  ['on_site', 'reassign', sup, 'invalid', { assignee: 'other' }],
  ['on_site', 'reassign', maint, 'forbidden', { assignee: 'other', note: 'x' }],
  ['closed', 'reassign', sup, 'conflict', { assignee: 'other', note: 'x' }],
  ['accepted', 'cancel', sup, 'cancelled', { note: 'duplicate of #3' }],
  ['accepted', 'cancel', sup, 'invalid', {}],
  ['accepted', 'cancel', maint, 'forbidden', { note: 'x' }],
  ['closed', 'cancel', sup, 'conflict', { note: 'x' }],
  ['assigned', 'reject', maint, 'new', { note: 'I am off sick' }],
  ['assigned', 'reject', maint, 'invalid', {}],
  ['assigned', 'reject', other, 'forbidden', { note: 'x' }],
  ['on_site', 'reject', maint, 'conflict', { note: 'x' }],
];

describe('work-order lifecycle', () => {
  it.each(TABLE)('%s --%s by %o--> %s', (from, action, actor, want, input) => {
    const r = step({ state: from, assignee: from === 'new' ? null : 'maint', requester: 'req' }, { action, ...input }, actor);
    if (r.ok) expect(r.to).toBe(want);
    else expect(r.code).toBe(want);
  });

  it('reassign moves the assignee, reject clears it', () => {
    const r1 = step({ state: 'accepted', assignee: 'maint', requester: 'req' }, { action: 'reassign', assignee: 'other', note: 'shift change' }, sup);
    expect(r1).toEqual({ ok: true, to: 'assigned', assignee: 'other' });
    const r2 = step({ state: 'assigned', assignee: 'maint', requester: 'req' }, { action: 'reject', note: 'wrong trade' }, maint);
    expect(r2).toEqual({ ok: true, to: 'new', assignee: null });
  });

  it('refusals say why', () => {
    const r = step({ state: 'assigned', assignee: 'maint', requester: 'req' }, { action: 'accept' }, other);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('only the assignee (maint)');
  });
});
