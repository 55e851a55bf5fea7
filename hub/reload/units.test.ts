// DriverUnits.startAll with a gate per protocol (scripts/start.ts: each protocol's drivers start once
// its simulated devices listen, not once all of them do).
import { describe, expect, it } from 'vitest';
import type { Driver, DriverContext } from '../../contracts/driver.js';
import { DriverUnits } from './units.js';

function fakeDriver(protocol: string, started: string[]): Driver {
  return { protocol, start: async () => void started.push(protocol), stop: async () => {}, write: async () => ({ ok: true }) as never };
}

const config = {
  connections: [{ id: 'c-a', protocol: 'a', options: {} }, { id: 'c-b', protocol: 'b', options: {} }],
  devices: [],
  points: [],
} as never;
const silent = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {}, child: () => silent } as never;
const units = (started: string[]) => new DriverUnits([fakeDriver('a', started), fakeDriver('b', started)], config, { lookup: () => undefined, contextFor: () => ({}) as DriverContext, log: silent });
const tick = () => new Promise((ok) => setImmediate(ok));

describe('DriverUnits.startAll(after)', () => {
  it('starts each protocol when its own gate opens', async () => {
    const started: string[] = [];
    let openA!: () => void;
    const gateA = new Promise<void>((ok) => (openA = ok));
    const all = units(started).startAll((p) => (p === 'a' ? gateA : Promise.resolve()));
    await tick();
    expect(started).toEqual(['b']);
    openA();
    await all;
    expect(started).toEqual(['b', 'a']);
  });

  it('starts a protocol whose gate fails, and all at once without gates', async () => {
    const started: string[] = [];
    await units(started).startAll((p) => (p === 'a' ? Promise.reject(new Error('simulator failed')) : Promise.resolve()));
    expect(started.sort()).toEqual(['a', 'b']);
    const again: string[] = [];
    await units(again).startAll();
    expect(again.sort()).toEqual(['a', 'b']);
  });
});
