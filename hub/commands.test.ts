import { describe, expect, it } from 'vitest';
import { DriverWriteError, type Driver } from '../contracts/driver.js';
import type { PointInfo, PointValue } from '../contracts/point.js';
import { toApiError } from './api/errors.js';
import { COMMAND_STAGES, CommandService, invalidWriteReason } from './commands.js';
import { DomainError, ForbiddenError } from './errors.js';
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

/** A driver whose wire type is uint16 for the setpoint (like a Modbus holding register). */
class RecordingDriver implements Driver {
  readonly protocol = 'test';
  writes: Array<[string, PointValue]> = [];
  failWith?: Error;
  readBackAs?: PointValue;
  async start() {}
  async stop() {}
  checkWrite(pointId: string, value: PointValue): string | null {
    if (pointId === SP.id && typeof value === 'number' && !Number.isInteger(value)) return `value ${value} is not representable as uint16: must be a whole number`;
    return null;
  }
  async write(pointId: string, value: PointValue) {
    this.writes.push([pointId, value]);
    if (this.failWith) throw this.failWith;
    const readBack = this.readBackAs ?? value;
    return { confirmed: readBack === value, readBack };
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

async function domainErrorOf(p: Promise<unknown>): Promise<DomainError> {
  const err = await p.then(() => undefined, (e) => e);
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
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
    ['hq/a/l01/r1/ahu-1/nope', 1, 'not_found', 404, 'unknown_point'],
    [RO.id, 1, 'conflict', 409, 'not_writable'],
    [SP.id, 120, 'invalid', 400, 'invalid_value'],
    // The driver's wire type: a uint16 setpoint takes no fractions (issue 11, item 2).
    [SP.id, 42.5, 'invalid', 400, 'invalid_value'],
  ])('refuses %s ← %s (%s → HTTP %s) before reaching the driver', async (id, value, kind, status, code) => {
    const { svc, driver } = setup();
    const err = await domainErrorOf(svc.write('op', id, value));
    expect([err.kind, err.code]).toEqual([kind, code]);
    // Only the error middleware turns the kind into a status.
    expect(toApiError(err).status).toBe(status);
    expect(driver.writes).toEqual([]);
  });

  it('names the wire-type problem the driver found', async () => {
    const { svc, audited } = setup();
    const err = await domainErrorOf(svc.write('op', SP.id, 42.5));
    expect(err.message).toBe('value 42.5 is not representable as uint16: must be a whole number');
    expect(audited[0].details).toMatchObject({ outcome: 'refused', code: 'invalid_value' });
  });

  it.each([
    [new DriverWriteError('offline', 'gateway unreachable'), 502, 'offline'],
    [new DriverWriteError('timeout', 'no answer in 2000 ms'), 504, 'timeout'],
    [new DriverWriteError('invalid_value', 'out of register range'), 400, 'invalid_value'],
    [new Error('socket hang up'), 502, 'device_error'],
  ])('maps a driver failure %s to %s and audits it', async (failure, status, code) => {
    const { svc, driver, audited } = setup();
    driver.failWith = failure;
    const err = await domainErrorOf(svc.write('op', SP.id, 30));
    expect([toApiError(err).status, err.code]).toEqual([status, code]);
    expect(err.message).toContain(SP.id);
    expect(audited[0].details).toMatchObject({ outcome: 'failed', code, previous: 20, requested: 30 });
  });

  it('reports a read-back that differs from the value written', async () => {
    const { svc, driver } = setup();
    driver.readBackAs = 41;
    const res = await svc.write('op', SP.id, 42);
    expect(res).toMatchObject({ confirmed: false, readBack: 41, detail: 'the device reads back 41, not 42' });
  });
});

describe('the command pipeline', () => {
  it('runs its stages in one fixed order: validate → authorize → priority → driver → read-back → audit', async () => {
    expect(COMMAND_STAGES).toEqual(['validate', 'authorize', 'priority', 'driver', 'read-back', 'audit']);
    const { svc, driver, audited } = setup();
    const seen: string[] = [];
    svc.attach('authorize', (cmd) => void seen.push(`authorize ${cmd.user}`));
    svc.attach('priority', async (cmd, device) => {
      seen.push(`priority ${String(cmd.value)} (audited so far: ${audited.length})`);
      const r = await device(cmd);
      seen.push(`device wrote ${driver.writes.length}`);
      return r;
    });
    expect(svc.stages()).toEqual([...COMMAND_STAGES]);
    await svc.write('op', RELAY.id, true);
    expect(seen).toEqual(['authorize op', 'priority true (audited so far: 0)', 'device wrote 1']);
    expect(audited.map((a) => a.details?.outcome)).toEqual(['written']);
  });

  it('validates before any stage: an invalid value never reaches authorize or priority', async () => {
    const { svc } = setup();
    const seen: string[] = [];
    svc.attach('authorize', () => void seen.push('authorize'));
    svc.attach('priority', async (cmd, device) => (seen.push('priority'), device(cmd)));
    await domainErrorOf(svc.write('op', SP.id, 42.5));
    expect(seen).toEqual([]);
  });

  it('an authorize refusal stops the command before the priority array and is audited as refused', async () => {
    const { svc, driver, audited } = setup();
    svc.attach('authorize', () => {
      throw new ForbiddenError('scope_forbidden', 'energy officers may not release door locks');
    });
    const err = await domainErrorOf(svc.write('op', RELAY.id, true));
    expect([err.kind, toApiError(err).status]).toEqual(['forbidden', 403]);
    expect(driver.writes).toEqual([]);
    expect(audited[0].details).toMatchObject({ outcome: 'refused', code: 'scope_forbidden' });
  });

  it('a slot takes one stage; detach empties it', async () => {
    const { svc } = setup();
    const stage = async () => ({ confirmed: true, readBack: 1 });
    const detach = svc.attach('priority', stage);
    expect(() => svc.attach('priority', stage)).toThrow('the priority stage is already attached');
    detach();
    expect(svc.stages()).toEqual(['validate', 'authorize', 'priority', 'driver', 'read-back', 'audit'].filter((s) => s !== 'authorize' && s !== 'priority'));
    expect(() => svc.attach('priority', stage)).not.toThrow();
  });

  it('has no replaceable function to patch at run time', () => {
    const { svc } = setup();
    expect('applyCommand' in svc).toBe(false);
    expect(() => {
      (svc as unknown as { device: unknown }).device = null;
    }).toThrow(TypeError);
  });
});
