// config/testruns.yaml: whether this site lets anyone drive scenarios and faults at run time, where
// the simulators' control channel is, which real connections may still be driven, and which
// points checkout must never write without a per-point confirmation. Missing file = disabled.
import { z } from 'zod';
import type { ConfigIssue, ConnectionConfig } from '../../contracts/driver.js';
import { sectionKey } from '../config/section-key.js';

export const testrunsFileSchema = z.strictObject({
  /** Off unless set: a production site never ships with fault injection on. */
  enabled: z.boolean().default(false),
  control: z
    .strictObject({
      url: z.url().refine((u) => /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\/?$/.test(u), 'must be http:// on loopback (the simulators run beside the hub)'),
      /** File holding the channel's token (written by the simulators), relative to the hub's working folder. */
      tokenFile: z.string().min(1).default('data/sim-control.token'),
    })
    .default({ url: 'http://127.0.0.1:15090', tokenFile: 'data/sim-control.token' }),
  /** Connections that are not simulated but may be driven anyway (commissioning a lab rig). */
  allowConnections: z.array(z.string().min(1)).default([]),
  checkout: z
    .strictObject({
      /**
       * Points (glob: `*` = one id segment, `**` = any) checkout never writes without a per-point
       * confirmation, on top of every security point (doors, locks: contracts/scopes.ts).
       */
      safety: z.array(z.string().min(1)).default([]),
      /** How long to wait for a read-back or a live input (s). */
      readBackS: z.number().positive().max(120).default(10),
    })
    .default({ safety: [], readBackS: 10 }),
});
export type TestrunsFile = z.infer<typeof testrunsFileSchema>;

export const TESTRUNS_SECTION = sectionKey<TestrunsFile>('testruns.yaml');

export function checkTestruns(data: TestrunsFile, connections: readonly ConnectionConfig[]): ConfigIssue[] {
  const ids = new Set(connections.map((c) => c.id));
  return data.allowConnections.flatMap((c, i) => (ids.has(c) ? [] : [{ path: ['allowConnections', i], message: `unknown connection "${c}"` }]));
}
