// What the alarm detail's work-order panel shows, pure: the alarm's orders (open ones first, then
// newest), and whether the "Create work order" button is offered (the hub reuses an alarm's open
// order, so while one is open the button would only lead back to it: the panel links it instead).
import type { WorkOrder, WoState } from '../../../../contracts/workorders.js';

const FINISHED: ReadonlySet<WoState> = new Set(['closed', 'cancelled']);

export function isOpenOrder(o: Pick<WorkOrder, 'state'>): boolean {
  return !FINISHED.has(o.state);
}

export function sortAlarmOrders<T extends Pick<WorkOrder, 'id' | 'state'>>(orders: readonly T[]): T[] {
  return [...orders].sort((a, b) => Number(isOpenOrder(b)) - Number(isOpenOrder(a)) || b.id - a.id);
}

export function offerCreate(orders: readonly Pick<WorkOrder, 'state'>[], canCreate: boolean): boolean {
  return canCreate && !orders.some(isOpenOrder);
}
