import { describe, expect, it } from 'vitest';
import { DriverWriteError, type Driver } from '../contracts/driver.js';
import type { PointInfo, PointValue } from '../contracts/point.js';
import { HttpError } from './api/errors.js';
import { CommandService, invalidWriteReason } from './commands.js';
import { captureLogger } from './log.js';
import type { AuditEntry } from './module.js';
import { PointStore } from './state.js';

const mk = (id: string, kind: PointInfo['kind'], extra: Partial<PointInfo> = {}): PointInfo => ({
  id, name: { en: id, 'zh-CN': id }, kind, writable: true, device: 'd', protocol: 'test', intervalMs: 1000, ...extra,
});
const SP = mk('hq/a/l01/r1/ahu-1/sp', 'analog', { limits: { min: 10, max: 100 } });
const RELAY = mk('hq/a/l01/r1/ahu-1/relay', 'binary');
const MODE = mk('hq/a/l01/r1/ahu-1/mode', 'multistate', { states: { '0': { en: 'off', 'zh-CN': '关' }, '1': { en: 'on', 'zh-CN': '开' } } });
const LABEL = mk('hq/a/l01/r1/ahu-1/label', 'string');
const RO = mk('hq/a/l01/r1/ahu-1/temp', 'analog', { writable: false });

describe('invalidWriteReason', () => {
  it.each([
    [SP, 50, null],
    [SP, 100, null],
    [SP, 120, 'value 120 is above the limit 100 of hq/a/l01/r1/ahu-1/sp'],
    [SP, 5, 'value 5 is below the limit 10 of hq/a/l01/r1/ahu-1/sp'],
    [SP, '50', 'value "50" is not a finite number (hq/a/l01/r1/ahu-1/sp is analog)'],
    [SP, NaN, /not a finite number/],
    [SP, null, /not a finite number/],
    [RELAY, true, null],
    [RELAY, 1, 'value 1 is not true/false (hq/a/l01/r1/ahu-1/relay is binary)'],
    [MODE, 1, null],
    [MODE, 2, 'value 2 is not a state of hq/a/l01/r1/ahu-1/mode (states: 0, 1)'],
    [MODE, 0.5, /not an integer state/],
    [LABEL, 'hello', null],
    [LABEL, 3, /not a string/],
  ] as const)('%s ← %s', (point, value, expected) => {
    const r = invalidWriteReason(point, value);
    if (expected instanceof RegExp) expect(r).toMatch(expected);
    else expect(r).toBe(expected);
  });
});

class RecordingDriver implements Driver {
  readonly protocol = 'test';
  writes: Array<[string, PointValue]> = [];
  failWith?: Error;
  async start() {}
  async stop() {}
  async write(pointId: string, value: PointValue) {
    this.writes.push([pointId, value]);
    if (this.failWith) throw this.failWith;
    return { confirmed: true, readBack: value };
  }
}

function setup() {
  const log = captureLogger();
  const store = new PointStore([SP, RELAY, MODE, LABEL, RO], log);
  store.apply([{ pointId: SP.id, value: 20, quality: 'good', readTs: 1 }]);
  const driver = new RecordingDriver();
  const audited: AuditEntry[] = [];
  const audit = { record: (e: Omit<AuditEntry, 'ts'>) => audited.push({ ts: 0, ...e }) };
  return { svc: new CommandService(store, [driver], audit, log), driver, audited };
}

async function httpErrorOf(p: Promise<unknown>): Promise<HttpError> {
  const err = await p.then(() => undefined, (e) => e);
  expect(err).toBeInstanceOf(HttpError);
  return err as HttpError;
}

describe('CommandService.write', () => {
  it('writes through the driver and audits old, new, confirmed', async () => {
    const { svc, driver, audited } = setup();
    const res = await svc.write('op', SP.id, 42);
    expect(res).toEqual({ pointId: SP.id, requested: 42, previous: 20, confirmed: true, readBack: 42 });
    expect(driver.writes).toEqual([[SP.id, 42]]);
    expect(audited).toEqual([{ ts: 0, user: 'op', action: 'point.write', target: SP.id, details: { previous: 20, requested: 42, outcome: 'written', confirmed: true, readBack: 42, detail: undefined } }]);
  });

  it.each([
    ['hq/a/l01/r1/ahu-1/nope', 1, 404, 'unknown_point'],
    [RO.id, 1, 409, 'not_writable'],
    [SP.id, 120, 400, 'invalid_value'],
  ])('refuses %s ← %s with %s before reaching the driver', async (id, value, status, code) => {
    const { svc, driver } = setup();
    const err = await httpErrorOf(svc.write('op', id, value));
    expect([err.status, err.code]).toEqual([status, code]);
    expect(driver.writes).toEqual([]);
  });

  it.each([
    [new DriverWriteError('offline', 'gateway unreachable'), 502, 'offline'],
    [new DriverWriteError('timeout', 'no answer in 2000 ms'), 504, 'timeout'],
    [new DriverWriteError('invalid_value', 'out of register range'), 400, 'invalid_value'],
    [new Error('socket hang up'), 502, 'device_error'],
  ])('maps a driver failure %s to %s and audits it', async (failure, status, code) => {
    const { svc, driver, audited } = setup();
    driver.failWith = failure;
    const err = await httpErrorOf(svc.write('op', SP.id, 30));
    expect([err.status, err.code]).toEqual([status, code]);
    expect(err.message).toContain(SP.id);
    expect(audited[0].details).toMatchObject({ outcome: 'failed', code, previous: 20, requested: 30 });
  });

  it('goes through the replaceable applyCommand seam', async () => {
    const { svc, driver } = setup();
    const inner = svc.applyCommand;
    const seen: string[] = [];
    svc.applyCommand = async (cmd) => { seen.push(`${cmd.user}:${cmd.value}`); return inner(cmd); };
    await svc.write('op', RELAY.id, true);
    expect(seen).toEqual(['op:true']);
    expect(driver.writes).toEqual([[RELAY.id, true]]);
  });
});
