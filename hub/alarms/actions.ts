// Alarm actions (camera snapshot, broadcast...): rules list them, other subsystems register a
// handler per action type. An action never blocks or breaks alarm processing: handlers run
// asynchronously and a failure is logged once per action type and message.
import type { AlarmView } from '../../contracts/alarms.js';
import type { HubLogger } from '../module.js';
import type { AlarmAction } from './schema.js';

export type ActionHandler<A extends AlarmAction = AlarmAction> = (action: A, alarm: AlarmView) => void | Promise<void>;

export class ActionRunner {
  private readonly handlers = new Map<string, ActionHandler<any>>();
  private readonly logged = new Set<string>();

  constructor(private readonly log?: HubLogger) {}

  register<T extends AlarmAction['type']>(type: T, handler: ActionHandler<Extract<AlarmAction, { type: T }>>): void {
    if (this.handlers.has(type)) throw new Error(`an alarm action handler for "${type}" is already registered`);
    this.handlers.set(type, handler);
  }

  run(actions: readonly AlarmAction[], alarm: AlarmView): void {
    for (const action of actions) {
      const handler = this.handlers.get(action.type);
      if (!handler) {
        this.once(`missing:${action.type}`, () => this.log?.warn({ type: action.type, alarm: alarm.id }, 'no handler registered for this alarm action type; skipped (logged once)'));
        continue;
      }
      Promise.resolve()
        .then(() => handler(action, alarm))
        .catch((err: unknown) => {
          const msg = err instanceof Error ? err.message : String(err);
          this.once(`${action.type}:${msg}`, () => this.log?.error({ err, type: action.type, alarm: alarm.id }, 'alarm action failed (logged once per message)'));
        });
    }
  }

  private once(key: string, f: () => void) {
    if (this.logged.has(key)) return;
    this.logged.add(key);
    f();
  }
}
