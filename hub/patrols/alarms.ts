// Patrol alarms as a rule source of the ISA-18.2 engine: per tour and checkpoint a "missed" and a
// "late" alarm, per tour an "out of order" alarm, with the priorities of patrols.yaml. Conditions
// come from the run judgement (evaluate.ts); only changes reach the engine, in one batch.
import type { AlarmPriority } from '../../contracts/alarms.js';
import type { PatrolAlarmKind } from '../../contracts/patrols.js';
import { SOURCE_ALARM_PREFIX } from '../alarms/engine.js';
import type { AlarmDef } from '../alarms/rules.js';
import type { Checkpoint, PatrolsFile, Tour } from './schema.js';

export const PATROL_SOURCE = 'patrols';

/** The engine's seam (AlarmEngine.setSourceConditions): an inactive alarm it never saw is a no-op there. */
export interface AlarmSink {
  set(items: Array<{ def: AlarmDef; active: boolean }>): void;
}

export function patrolAlarmId(tour: string, kind: PatrolAlarmKind, checkpoint?: string): string {
  return `${SOURCE_ALARM_PREFIX}${PATROL_SOURCE}:${tour}:${kind === 'order' ? 'order' : `${checkpoint}:${kind}`}`;
}

const TEXT: Record<PatrolAlarmKind, { en: string; zh: string }> = {
  missed: { en: 'Patrol checkpoint missed', zh: '巡更漏检' },
  late: { en: 'Patrol checkpoint late', zh: '巡更迟到' },
  order: { en: 'Patrol out of order', zh: '巡更顺序错误' },
};

export function patrolAlarmDef(tour: Tour, kind: PatrolAlarmKind, priorities: PatrolsFile['alarms'], cp?: Checkpoint): AlarmDef {
  const where = cp ? `${cp.name.en} (${tour.name.en})` : tour.name.en;
  const whereZh = cp ? `${cp.name['zh-CN']}（${tour.name['zh-CN']}）` : tour.name['zh-CN'];
  return {
    id: patrolAlarmId(tour.id, kind, cp?.id),
    ruleId: `${PATROL_SOURCE}:${tour.id}`,
    pointId: `${PATROL_SOURCE}/${tour.id}${cp ? `/${cp.id}` : ''}`,
    priority: priorities[kind] as AlarmPriority,
    area: cp?.area ?? tour.area,
    message: { en: `${TEXT[kind].en}: ${where}`, 'zh-CN': `${TEXT[kind].zh}：${whereZh}` },
    detector: { kind: 'source', source: PATROL_SOURCE },
    onDelayMs: 0, offDelayMs: 0, latching: false, reAlarmMs: 0, maxShelveMs: 8 * 3600_000, escalateMs: 0, actions: [], dependsOn: [],
  };
}

/**
 * Keeps the engine in step with what the runs say. `want` is the set of alarm ids that should be
 * active now (across the tour's open runs); every other known alarm of the tours is cleared.
 */
export class PatrolAlarms {
  private readonly active = new Map<string, boolean>();
  private readonly defs = new Map<string, AlarmDef>();

  constructor(private readonly tours: ReadonlyMap<string, Tour>, private readonly cps: ReadonlyMap<string, Checkpoint>, private priorities: PatrolsFile['alarms']) {
    this.build();
  }

  private build(): void {
    const { tours, cps, priorities } = this;
    for (const t of tours.values()) {
      this.defs.set(patrolAlarmId(t.id, 'order'), patrolAlarmDef(t, 'order', priorities));
      for (const s of t.checkpoints) {
        const cp = cps.get(s.checkpoint);
        if (!cp) continue;
        for (const k of ['missed', 'late'] as const) this.defs.set(patrolAlarmId(t.id, k, cp.id), patrolAlarmDef(t, k, priorities, cp));
      }
    }
  }

  /**
   * A live config reload changed the tours (the maps given to the constructor, updated in place) or
   * the priorities: definitions are rebuilt; an active alarm whose tour or checkpoint is gone is cleared.
   */
  rebuild(sink: AlarmSink | undefined, priorities: PatrolsFile['alarms']): void {
    const old = new Map(this.defs);
    this.priorities = priorities;
    this.defs.clear();
    this.build();
    const gone: Array<{ def: AlarmDef; active: boolean }> = [];
    for (const [id, def] of old) {
      if (this.defs.has(id)) continue;
      if (this.active.get(id)) gone.push({ def, active: false });
      this.active.delete(id);
    }
    // Changed definitions (a new priority) are sent again at the next sync.
    for (const [id, def] of this.defs) if (old.has(id) && JSON.stringify(old.get(id)) !== JSON.stringify(def)) this.active.delete(id);
    if (sink && gone.length > 0) sink.set(gone);
  }

  /** Sends the changes for the given tours (all when omitted). */
  sync(sink: AlarmSink | undefined, want: ReadonlySet<string>, tours?: Iterable<string>): number {
    if (!sink) return 0;
    const items: Array<{ def: AlarmDef; active: boolean }> = [];
    const ids = tours ? [...tours].flatMap((t) => this.idsOf(t)) : [...this.defs.keys()];
    for (const id of ids) {
      const on = want.has(id);
      // First look (prev undefined): the journal may hold it active from before a restart; tell the engine either way.
      if (this.active.get(id) === on) continue;
      this.active.set(id, on);
      items.push({ def: this.defs.get(id)!, active: on });
    }
    if (items.length > 0) sink.set(items);
    return items.length;
  }

  private idsOf(tour: string): string[] {
    const t = this.tours.get(tour);
    if (!t) return [];
    return [patrolAlarmId(tour, 'order'), ...t.checkpoints.flatMap((s) => [patrolAlarmId(tour, 'missed', s.checkpoint), patrolAlarmId(tour, 'late', s.checkpoint)])];
  }
}
