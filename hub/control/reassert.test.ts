// The re-assert rules with a real PriorityService (SQLite in a temp dir) and a real PointStore; the
// "device" is a scripted writer whose value the test feeds back as samples, so every step is explicit.
// hub/control/reassert-opcua.test.ts runs the same against the OPC UA simulator.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PointInfo, PointValue, Quality } from '../../contracts/point.js';
import { silentLogger } from '../log.js';
import type { AuditEntry } from '../module.js';
import { PointStore } from '../state.js';
import { openControlDb, PriorityRepo, type ControlDb } from './db.js';
import { PriorityService } from './priority-service.js';
import { agrees, Reasserter } from './reassert.js';

const SP = 'hq/a/l02/office-201/vav-201/zone-temp-sp';
const info: PointInfo = { id: SP, kind: 'analog', writable: true, protocol: 'opcua', intervalMs: 1000, limits: { min: 16, max: 30 } } as PointInfo;
const MIN = 60_000;

describe('agrees', () => {
  it.each([
    [23.5, 23.5, true],
    [24, 23.5, false],
    [0.30000000000000004, 0.3, true], // a scaled register reads back with float noise
    [23.51, 23.5, false],
    [23.450000762939453, 23.45, true], // a float32 register
    [true, true, true],
    [false, true, false],
    [null, 23.5, false],
    [1, true, false],
  ] as const)('device %j vs effective %j → %s', (device, effective, expected) => {
    expect(agrees(device, effective)).toBe(expected);
  });
});

describe('Reasserter', () => {
  let dir: string;
  let db: ControlDb;
  let clock: number;
  let device: { value: PointValue; takes: boolean; writes: PointValue[] };
  let store: PointStore;
  let audit: AuditEntry[];
  let logs: Array<{ level: string; msg: string }>;

  const log = () => {
    const l = silentLogger();
    for (const level of ['info', 'warn'] as const) l[level] = ((_o: unknown, msg?: string) => void logs.push({ level, msg: msg ?? '' })) as never;
    return l;
  };
  const sample = (quality: Quality, value: PointValue = device.value) => store.apply([{ pointId: SP, value: quality === 'good' ? value : null, quality, readTs: clock }]);
  const service = () => {
    const p = new PriorityService({ points: new Map([[SP, info]]), store, repo: new PriorityRepo(db), audit: { record: (e) => audit.push({ ts: clock, ...e }) }, log: silentLogger(), now: () => clock, defaultManualExpiryMin: 120, roleOf: () => 'operator' });
    p.setDeviceWriter(async ({ value }) => {
      device.writes.push(value);
      if (device.takes) device.value = value;
      sample('good'); // the driver's read-back reaches the store
      return { confirmed: device.value === value, readBack: device.value };
    });
    return p;
  };
  const reasserter = (p: PriorityService) => {
    const r = new Reasserter({ priority: p, store, now: () => clock, log: log(), minIntervalMs: MIN, maxFailures: 3 });
    return { r, feed: (quality: Quality) => r.onChanged(sample(quality)) };
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-reassert-'));
    db = openControlDb(dir);
    clock = 1_000_000;
    device = { value: 24, takes: true, writes: [] };
    store = new PointStore([info], silentLogger(), () => clock);
    audit = [];
    logs = [];
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('at start writes the effective value once the point reads good, audited as system:reassert, logged once', async () => {
    const p = service();
    sample('good');
    await p.command({ actor: { user: 'op', role: 'operator' }, pointId: SP, value: 23.5, level: 8 });
    device.writes.length = 0;
    device.value = 24; // the hub is down; the device drifts back to its default

    store = new PointStore([info], silentLogger(), () => clock); // a fresh hub knows no values yet
    const restarted = service(); // same SQLite: the slot is loaded again
    const { r, feed } = reasserter(restarted);
    r.start();
    expect(device.writes).toEqual([]); // no value yet: nothing to compare
    feed('good');
    await r.idle();
    expect(device.writes).toEqual([23.5]);
    expect(device.value).toBe(23.5);
    expect(audit.filter((a) => a.action === 'point.reassert')).toEqual([
      expect.objectContaining({ user: 'system:reassert', target: SP, details: expect.objectContaining({ reason: 'start', value: 23.5, deviceValue: 24, outcome: 'written', confirmed: true, level: 8 }) }),
    ]);
    expect(logs.filter((l) => l.level === 'info')).toHaveLength(1);
    expect(r.pending()).toEqual([]);
    feed('good');
    await r.idle();
    expect(device.writes).toEqual([23.5]); // the device agrees now: nothing more
  });

  it('after comm_fail or stale, a device back with another value gets the command again; one that kept it does not', async () => {
    const p = service();
    sample('good');
    await p.command({ actor: { user: 'op', role: 'operator' }, pointId: SP, value: 23.5, level: 8 });
    const { r, feed } = reasserter(p);
    r.start();
    device.writes.length = 0;

    feed('comm_fail');
    feed('good'); // came back and kept 23.5 (a network glitch, not a reboot)
    await r.idle();
    expect(device.writes).toEqual([]);

    feed('stale');
    device.value = 24; // rebooted
    feed('good');
    await r.idle();
    expect(device.writes).toEqual([23.5]);
    expect(audit.filter((a) => a.action === 'point.reassert').map((a) => a.details?.reason)).toEqual(['reconnect']);
  });

  it('never fights the device: one try a minute, gives up with one warning after maxFailures, retries after the next reconnect', async () => {
    const p = service();
    sample('good');
    await p.command({ actor: { user: 'op', role: 'operator' }, pointId: SP, value: 23.5, level: 8 });
    const { r, feed } = reasserter(p);
    r.start();
    device.writes.length = 0;
    device.takes = false; // the device answers but keeps its own value
    device.value = 24;
    feed('comm_fail');
    feed('good');
    await r.idle();
    expect(device.writes).toHaveLength(1);
    for (let i = 0; i < 10; i++) {
      feed('good');
      r.tick();
      await r.idle();
    }
    expect(device.writes).toHaveLength(1); // still inside the minute
    for (let i = 0; i < 10; i++) {
      clock += MIN;
      r.tick();
      await r.idle();
    }
    expect(device.writes).toHaveLength(3); // maxFailures: 3, then it stops
    expect(r.pending()).toEqual([expect.objectContaining({ pointId: SP, gaveUp: true, failures: 3 })]);
    expect(logs.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual([expect.stringContaining('giving up')]);
    expect(audit.filter((a) => a.action === 'point.reassert').map((a) => a.details?.confirmed)).toEqual([false, false, false]);

    device.takes = true;
    feed('comm_fail');
    feed('good'); // reconnected: a new episode, allowed since the last try was a minute ago
    await r.idle();
    expect(device.writes).toHaveLength(4);
    expect(device.value).toBe(23.5);
    expect(r.pending()).toEqual([]);
  });

  it('leaves points alone that no level commands (a released override falls back to no write)', async () => {
    const p = service();
    sample('good');
    await p.command({ actor: { user: 'op', role: 'operator' }, pointId: SP, value: 23.5, level: 8 });
    await p.release({ user: 'op', role: 'operator' }, SP, 8);
    const { r, feed } = reasserter(p);
    r.start();
    device.writes.length = 0;
    device.value = 26;
    feed('comm_fail');
    feed('good');
    await r.idle();
    expect(device.writes).toEqual([]);
    expect(r.pending()).toEqual([]);
  });
});
