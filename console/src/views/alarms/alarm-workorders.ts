// The alarm detail's work-order panel: the orders linked to the alarm (GET /api/alarms/:id/workorders)
// with their state, each a link to `#/workorders/<id>`, and — for users with `workorders:create`,
// while no order of the alarm is open — a "Create work order" button (POST
// /api/workorders/from-alarm/:id). Mounted beside the notes by alarms-view.ts.
import type { WorkOrder } from '../../../../contracts/workorders.js';
import { hubJson, type ApiRequestError, type HubEndpoint } from '../../api.js';
import { h, setText } from '../../dom.js';
import { getLocale } from '../../i18n.js';
import { trAny } from '../workorders/wo-text.js';
import { isOpenOrder, offerCreate, sortAlarmOrders } from './alarm-workorders-model.js';
import './alarm-workorders.css';

const TEXT = {
  en: { title: 'Work orders', none: 'No work order for this alarm.', create: 'Create work order', creating: 'Creating…', created: 'Work order #{id} created.', failed: 'Failed: {msg}', loading: 'Loading…', order: '#{id} {title}' },
  'zh-CN': { title: '维修工单', none: '此报警暂无工单。', create: '创建工单', creating: '正在创建…', created: '已创建工单 #{id}。', failed: '失败：{msg}', loading: '加载中…', order: '#{id} {title}' },
} satisfies Record<string, Record<string, string>>;
type Key = keyof (typeof TEXT)['en'];

function wt(key: Key, params: Record<string, string | number> = {}): string {
  const table = getLocale() === 'zh-CN' ? TEXT['zh-CN'] : TEXT.en;
  return table[key].replace(/\{(\w+)\}/g, (w, n: string) => (n in params ? String(params[n]) : w));
}

export class AlarmWorkOrders {
  readonly element: HTMLElement;
  private readonly heading = h('h4', { class: 'alarm-wo-heading' });
  private readonly list = h('ul', { class: 'alarm-wo-list' });
  private readonly status = h('p', { class: 'alarm-wo-status', 'aria-live': 'polite' });
  private readonly createButton = h('button', { type: 'button', class: 'btn alarm-wo-create', 'data-action': 'create-workorder', hidden: true });
  private orders: WorkOrder[] = [];
  private loaded = false;
  private busy = false;
  private destroyed = false;
  private readonly path: string;

  constructor(private readonly alarmId: string, private readonly hub: HubEndpoint, private readonly canCreate: boolean) {
    this.path = encodeURIComponent(alarmId);
    this.createButton.addEventListener('click', () => void this.create());
    this.element = h('section', { class: 'alarm-wo', 'data-workorders-for': alarmId }, this.heading, this.list, this.status, this.createButton);
    this.draw();
    void this.load();
  }

  async load(): Promise<void> {
    try {
      const orders = await hubJson<WorkOrder[]>(this.hub, 'GET', `/api/alarms/${this.path}/workorders`);
      if (this.destroyed) return;
      this.orders = sortAlarmOrders(orders ?? []);
      this.loaded = true;
      setText(this.status, '');
    } catch (err) {
      if (this.destroyed) return;
      // A hub without the dispatch module has no such route: no panel, rather than an error.
      if ((err as ApiRequestError).status === 404) { this.element.hidden = true; return; }
      setText(this.status, wt('failed', { msg: (err as Error).message }));
    }
    this.draw();
  }

  private async create(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.draw();
    setText(this.status, wt('creating'));
    try {
      const order = await hubJson<WorkOrder>(this.hub, 'POST', `/api/workorders/from-alarm/${this.path}`, {});
      if (this.destroyed) return;
      setText(this.status, wt('created', { id: order.id }));
      this.orders = sortAlarmOrders([order, ...this.orders.filter((o) => o.id !== order.id)]);
    } catch (err) {
      if (this.destroyed) return;
      setText(this.status, wt('failed', { msg: (err as Error).message }));
    } finally {
      this.busy = false;
    }
    this.draw();
  }

  relabel(): void {
    this.draw();
  }

  destroy(): void {
    this.destroyed = true;
  }

  private draw(): void {
    setText(this.heading, wt('title'));
    setText(this.createButton, wt('create'));
    this.createButton.hidden = !this.loaded || !offerCreate(this.orders, this.canCreate);
    (this.createButton as HTMLButtonElement).disabled = this.busy;
    if (!this.loaded && !this.status.textContent) setText(this.status, wt('loading'));
    this.list.replaceChildren(...(this.loaded && !this.orders.length
      ? [h('li', { class: 'alarm-wo-none' }, wt('none'))]
      : this.orders.map((o) => h('li', { class: 'alarm-wo-item', 'data-order-id': String(o.id), 'data-state': o.state },
        h('a', { href: `#/workorders/${o.id}`, class: 'alarm-wo-link' }, wt('order', { id: o.id, title: o.title })),
        h('span', { class: `alarm-wo-state${isOpenOrder(o) ? ' open' : ''}` }, trAny('s', o.state))))));
  }
}
