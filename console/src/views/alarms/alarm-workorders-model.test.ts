import { describe, expect, it } from 'vitest';
import type { WoState } from '../../../../contracts/workorders.js';
import { isOpenOrder, offerCreate, sortAlarmOrders } from './alarm-workorders-model.js';

const o = (id: number, state: WoState) => ({ id, state });

describe('alarm work-order panel model', () => {
  it.each<[WoState, boolean]>([
    ['new', true], ['assigned', true], ['accepted', true], ['en_route', true], ['on_site', true], ['done', true], ['verified', true],
    ['closed', false], ['cancelled', false],
  ])('%s open → %s', (state, open) => {
    expect(isOpenOrder({ state })).toBe(open);
  });

  it('lists open orders first, then newest', () => {
    expect(sortAlarmOrders([o(1, 'closed'), o(2, 'assigned'), o(5, 'cancelled'), o(3, 'done')]).map((x) => x.id)).toEqual([3, 2, 5, 1]);
  });

  it.each([
    { name: 'no orders, may create', orders: [], can: true, offer: true },
    { name: 'no permission', orders: [], can: false, offer: false },
    { name: 'an open order exists (the hub would reuse it)', orders: [o(1, 'accepted')], can: true, offer: false },
    { name: 'only finished orders', orders: [o(1, 'closed'), o(2, 'cancelled')], can: true, offer: true },
  ])('$name', ({ orders, can, offer }) => {
    expect(offerCreate(orders, can)).toBe(offer);
  });
});
