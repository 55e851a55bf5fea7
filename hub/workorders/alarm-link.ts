// Alarms → work orders. Watches the alarm engine's list (no hook in the engine needed): a new
// activation of a rule listed under autoOrders opens an order (one per activation, also across a
// hub restart: the order remembers the activation time), and a critical alarm left unacknowledged
// for unackedCriticalMin tells the on-call supervisor on every channel.
import type { AlarmView } from '../../contracts/alarms.js';
import type { Trade, WoPriority } from '../../contracts/workorders.js';
import type { HubLogger } from '../module.js';
import type { NotifyLike } from './service.js';
import type { DispatchService } from './service.js';
import type { WorkOrderStore } from './store.js';

export interface AlarmSourceLike {
  list(filter?: { all?: boolean }): AlarmView[];
  view(id: string): AlarmView | undefined;
  comment(id: string, user: string, text: string): unknown;
}

export interface AlarmLinkOptions {
  alarms(): AlarmSourceLike | undefined;
  service: DispatchService;
  store: WorkOrderStore;
  notifier?: NotifyLike;
  /** Protocol of a point (derived faults come from the `derived` driver). */
  protocolOf(pointId: string): string | undefined;
  log?: HubLogger;
}

export class AlarmLink {
  private readonly handled = new Set<string>();
  private readonly toldSupervisor = new Set<string>();

  constructor(private readonly o: AlarmLinkOptions) {}

  private rule(ruleId: string) {
    return this.o.service.file.autoOrders.find((a) => a.rule === ruleId);
  }

  tradeOf(v: AlarmView): Trade {
    return this.rule(v.ruleId)?.trade ?? this.o.service.file.defaultTrade;
  }

  /** Opens an order for an alarm (one click, or automatically); reuses the open one of this activation. */
  orderFor(v: AlarmView, requester: string, over: { trade?: Trade; priority?: WoPriority; description?: string } = {}) {
    const existing = this.o.store.list({ alarmId: v.id, limit: 20 }).find((o) => o.alarmActiveSince === (v.activeSince ?? undefined) || ['new', 'assigned', 'accepted', 'en_route', 'on_site'].includes(o.state));
    if (existing) return { order: existing, created: false };
    const auto = this.rule(v.ruleId);
    const order = this.o.service.create({
      source: this.o.protocolOf(v.pointId) === 'derived' ? 'derived' : 'alarm',
      title: v.message['zh-CN'],
      description: [v.message.en, over.description].filter(Boolean).join('\n'),
      trade: over.trade ?? auto?.trade ?? this.o.service.file.defaultTrade,
      area: v.area,
      device: v.pointId.split('/').slice(0, 5).join('/'),
      priority: over.priority ?? auto?.priority ?? v.priority,
      requester,
      alarmId: v.id,
      ...(v.activeSince !== null ? { alarmActiveSince: v.activeSince } : {}),
    });
    return { order, created: true };
  }

  /** Called on every tick and after ingest batches. */
  check(now: number): void {
    const engine = this.o.alarms();
    if (!engine) return;
    const live = new Set<string>();
    const unackedMs = this.o.service.file.unackedCriticalMin * 60_000;
    for (const v of engine.list()) {
      if (!v.active || v.activeSince === null) continue;
      const key = `${v.id}@${v.activeSince}`;
      live.add(key);
      if (!this.handled.has(key)) {
        this.handled.add(key);
        if (this.rule(v.ruleId)) {
          try {
            this.orderFor(v, 'system');
          } catch (err) {
            this.o.log?.error({ err, alarm: v.id }, 'could not open a work order for the alarm');
          }
        }
      }
      if (v.priority === 'critical' && v.state === 'unacknowledged' && now - v.activeSince >= unackedMs && !this.toldSupervisor.has(key)) {
        this.toldSupervisor.add(key);
        const oc = this.o.service.onCall(this.tradeOf(v), v.area, now);
        if (oc && this.o.notifier) {
          const min = Math.round((now - v.activeSince) / 60_000);
          this.o.notifier.notify({
            key: `alarm-unacked:${key}`, priority: 'critical', allChannels: true, area: v.area, trade: this.tradeOf(v),
            title: { en: `Unacknowledged critical alarm: ${v.message.en}`, 'zh-CN': `紧急报警未确认：${v.message['zh-CN']}` },
            body: { en: `${v.area}: unacknowledged for ${min} min.`, 'zh-CN': `${v.area}：已 ${min} 分钟无人确认。` },
            link: `#/alarms?focus=${encodeURIComponent(v.id)}`,
          }, [oc.supervisor]);
        }
      }
    }
    for (const k of this.handled) if (!live.has(k)) this.handled.delete(k);
    for (const k of this.toldSupervisor) if (!live.has(k)) this.toldSupervisor.delete(k);
  }
}
