// `npm start`'s simulator process (sims-process.ts), driven by a scripted stand-in for the child: each
// protocol's gate opens when its simulator reports up, at once for a protocol the demo has no
// simulator for, and at the latest when the start ends, also when it fails: a gate never hangs.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnDemoSimulators, type SimsProcess } from './sims-process.js';

const SCRIPT = path.join(import.meta.dirname, 'fixtures', 'sims-child-script.mjs');
let sims: SimsProcess | undefined;
const start = (script: string) => (sims = spawnDemoSimulators({ child: { module: SCRIPT, args: [script] } }));
/** Whether a promise has settled by the next turn of the event loop. */
const settled = async (p: Promise<unknown>) => Promise.race([p.then(() => true, () => true), new Promise((ok) => setImmediate(() => ok(false)))]);

afterEach(async () => {
  await sims?.stop(2000);
  sims = undefined;
});

describe('spawnDemoSimulators: gates per simulator', () => {
  it("opens a simulator's gate when it is up, not when the others are", async () => {
    const s = start('starting:modbus,opcua,onvif up:modbus sleep:1500 up:opcua up:onvif ready');
    const opcua = s.up('opcua');
    await s.up('modbus');
    expect(await settled(opcua)).toBe(false);
    await opcua;
    await expect(s.ready).resolves.toEqual({ describe: 'scripted' });
  });

  it('opens at once for a protocol without a simulator, once the child has named its simulators', async () => {
    const s = start('starting:modbus sleep:1500 up:modbus ready');
    await s.up('derived');
    expect(await settled(s.up('modbus'))).toBe(false);
    await s.ready;
    // After the start, any gate is open.
    expect(await settled(s.up('bacnet'))).toBe(true);
  });

  it('opens every gate when the child fails to start, and ready names the exit', async () => {
    const s = start('starting:modbus,opcua exit:3');
    await expect(s.ready).rejects.toThrow('the simulators exited before they were up (code 3)');
    await Promise.all([s.up('modbus'), s.up('opcua')]);
  });
});
