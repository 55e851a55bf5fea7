// Window contacts of one room on a digital input module (one unit per room).
// Datasheet: discrete input k = window k open (1 = open), in the order of `windows`.
// Staff open windows during office hours; most get closed in the evening, some are left open.
import { z } from 'zod';
import { type DeviceModel, chance, text } from './model.js';

const windowSpec = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  name: z.strictObject({ en: z.string().min(1), 'zh-CN': z.string().min(1) }),
});
const options = z.strictObject({ windows: z.array(windowSpec).min(1).max(32) });
export type WindowContactsOptions = z.infer<typeof options>;

export const windowContacts: DeviceModel<WindowContactsOptions, null> = {
  name: 'window-contacts',
  options,
  stage: 0,
  datasheet: (o) =>
    o.windows.map((w, k) => ({
      id: w.id, table: 'discrete' as const, address: k, type: 'bool' as const,
      name: text(`${w.name.en} open`, `${w.name['zh-CN']}开启`),
    })),
  init: () => null,
  step(unit, o, ctx) {
    for (const w of o.windows) {
      const open = unit.get(w.id) === true;
      if (!open && ctx.officeHours && chance(0.3, ctx.dtS, ctx.random)) unit.auto(w.id, true);
      else if (open && chance(ctx.officeHours ? 1 : 0.5, ctx.dtS, ctx.random)) unit.auto(w.id, false);
    }
  },
};
