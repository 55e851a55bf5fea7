import { describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../contracts/driver.js';
import { HealthRegistry, overallStatus } from './health.js';

const conn = (state: ConnectionStatus['state']): ConnectionStatus => ({ connection: 'c', protocol: 'p', state, since: 0 });

describe('HealthRegistry', () => {
  it('collects probes and turns a throwing probe into not ok', () => {
    const h = new HealthRegistry();
    h.register('history', () => ({ ok: true, spooled: 0 }));
    h.register('alarms', () => { throw new Error('journal unreadable'); });
    expect(h.components()).toEqual({ history: { ok: true, spooled: 0 }, alarms: { ok: false, error: 'journal unreadable' } });
  });

  it('refuses a duplicate name', () => {
    const h = new HealthRegistry();
    h.register('x', () => ({ ok: true }));
    expect(() => h.register('x', () => ({ ok: true }))).toThrow(/"x" is already registered/);
  });
});

describe('overallStatus', () => {
  it.each([
    [{}, [], 'ok'],
    [{ a: { ok: true } }, [conn('online')], 'ok'],
    [{ a: { ok: false } }, [conn('online')], 'degraded'],
    [{ a: { ok: true } }, [conn('online'), conn('connecting')], 'degraded'],
    [{}, [conn('offline')], 'degraded'],
  ] as const)('%j + %j → %s', (components, drivers, expected) => {
    expect(overallStatus(components as never, drivers as never)).toBe(expected);
  });
});
