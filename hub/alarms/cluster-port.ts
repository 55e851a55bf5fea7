// The several-hubs port of the alarm subsystem (types only): what hub/alarms/push.ts needs from the
// cluster (hub/edge/cluster-alarms.ts implements it). Kept apart so hub/module.ts can name it without
// importing the alarm engine.
import type { AlarmSummary, AlarmView } from '../../contracts/alarms.js';
import type { DomainErrorKind } from '../errors.js';
import type { AlarmFilter } from './view.js';
import type { AlarmState } from './machine.js';
import type { AlarmDef } from './rules.js';

/** 'local': every hub evaluates it; 'cluster': this hub owns it; 'none': another hub owns it. */
export type AlarmScope = 'local' | 'cluster' | 'none';

/** The alarms a hub owns (edge buildings it holds the lease of) and their counts. */
export interface AlarmPart { hub: string; views: AlarmView[]; summary: AlarmSummary }

/** An operator action, run on the hub that owns the alarm (the receiving hub checked CSRF and permission). */
export type ForwardedAction =
  | { type: 'ack'; id: string; user: string; comment?: string }
  | { type: 'ack-area'; area: string; user: string; comment?: string }
  | { type: 'comment'; id: string; user: string; text: string }
  | { type: 'shelve'; id: string; user: string; durationMs: number; reason: string }
  | { type: 'unshelve'; id: string; user: string; comment?: string }
  | { type: 'out-of-service'; id: string; user: string; reason: string }
  | { type: 'return-to-service'; id: string; user: string; comment?: string };

export type ActionOutcome =
  | { ok: true; result: AlarmView | string[] }
  | { ok: false; kind: DomainErrorKind; code: string; message: string };

/** The several-hubs link (hub/edge/cluster-alarms.ts); absent on a single hub. */
export interface AlarmClusterLink {
  /** Scope of the alarm of a point (`site/building/…`). */
  scope(pointId: string): AlarmScope;
  /** Serves this hub's owned alarms and actions to the other hubs; returns the function that stops it. */
  serve(h: AlarmServing): () => void;
  /** This hub's owned alarms changed: the other hubs push `changed` to their sockets. */
  publish(changed: AlarmView[], summary: AlarmSummary): void;
  /** The other hubs' owned counts as last announced (hubs that stopped announcing drop out). */
  remoteSummaries(): AlarmSummary[];
  /** Asks every other hub for its owned alarms (matching `filter`) now. */
  ask(filter?: AlarmFilter): Promise<AlarmPart[]>;
  /** Runs an action on the hub that owns it; a DomainError ('unavailable') when no hub answers for it. */
  forward(a: ForwardedAction): Promise<ActionOutcome>;
  /** Journal rows of owned alarms were appended: their states are handed on (Redis) for a take-over. */
  saveStates(rows: ReadonlyArray<{ alarmId: string; pointId: string; snapshot: AlarmState }>): void;
}

/** What this hub answers to the other hubs. */
export interface AlarmServing {
  part(filter?: AlarmFilter): Omit<AlarmPart, 'hub'>;
  /** The counts of this hub's owned alarms. */
  summary(): AlarmSummary;
  /** Runs the action if this hub owns its alarm (or area); null otherwise. */
  act(a: ForwardedAction): ActionOutcome | null;
  /** Another hub announced changes of alarms it owns: push them to this hub's sockets. */
  remoteChanged(changed: AlarmView[], summaryChanged: boolean): void;
  /** A take-over: the alarms `include` keeps continue from `states` (AlarmEngine.adopt). */
  adopt(include: (def: AlarmDef) => boolean, states: ReadonlyMap<string, AlarmState>, evaluate: boolean): void;
  /** The states of the alarms `include` keeps, as journal rows carry them (handed on after a Redis outage). */
  states(include: (def: AlarmDef) => boolean): Array<{ alarmId: string; pointId: string; snapshot: AlarmState }>;
  /** These points' values were restated (an edge's birth): their alarms are checked again. */
  reevaluate(pointIds: readonly string[]): void;
}
