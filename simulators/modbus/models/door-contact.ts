// Access-controlled door: reed contact + lock relay on a small Modbus I/O module (one per door).
// Datasheet: discrete 0 = door open; discrete 1 = forced open (opened without badge or release);
// discrete 2 = held open longer than heldOpenS; coil 0 = lock release (1 = unlocked, R/W; only with lock: true).
// People walk through at a rate set by `traffic`; forced openings only come from scenarios/tests.
import { z } from 'zod';
import type { FieldDef } from '../datasheet.js';
import { type DeviceModel, chance, text } from './model.js';

const options = z.strictObject({
  traffic: z.enum(['busy', 'normal', 'secure']),
  lock: z.boolean().default(true),
  heldOpenS: z.number().positive().default(60),
});
export type DoorContactOptions = z.infer<typeof options>;

/** Passages per hour: [office hours, otherwise]. */
const PASSAGES: Record<DoorContactOptions['traffic'], [number, number]> = {
  busy: [120, 4],
  normal: [6, 0.2],
  secure: [0.5, 0],
};

interface Memory {
  /** Simulated seconds the door stays open for the current passage. */
  closeInS: number;
  openForS: number;
}

export const doorContact: DeviceModel<DoorContactOptions, Memory> = {
  name: 'door-contact',
  options,
  stage: 0,
  datasheet(o) {
    const fields: FieldDef[] = [
      { id: 'open', table: 'discrete', address: 0, type: 'bool', name: text('Door open', '门开启') },
      { id: 'forced', table: 'discrete', address: 1, type: 'bool', name: text('Door forced open', '门被强行打开') },
      { id: 'held-open', table: 'discrete', address: 2, type: 'bool', name: text('Door held open', '门长时间未关') },
    ];
    if (o.lock) {
      fields.push({ id: 'lock-release', table: 'coil', address: 0, type: 'bool', writable: true, name: text('Lock release', '电锁释放'), brick: 'On_Off_Command' });
    }
    return fields;
  },
  init: () => ({ closeInS: 0, openForS: 0 }),
  step(unit, o, ctx, memory) {
    const [day, night] = PASSAGES[o.traffic];
    if (memory.closeInS > 0) {
      memory.closeInS -= ctx.dtS;
      if (memory.closeInS <= 0) unit.auto('open', false);
    } else if (chance(ctx.officeHours ? day : night, ctx.dtS, ctx.random)) {
      memory.closeInS = 4 + ctx.random() * 6;
      unit.auto('open', true);
    }
    const open = unit.get('open') === true;
    memory.openForS = open ? memory.openForS + ctx.dtS : 0;
    unit.auto('held-open', memory.openForS > o.heldOpenS);
  },
};
