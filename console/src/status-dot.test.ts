import { describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../../contracts/driver.js';
import { summarizeStatus } from './status-dot.js';

const conn = (connection: string, state: ConnectionStatus['state']) => ({ connection, state }) as ConnectionStatus;

describe('status dot', () => {
  it.each([
    ['all online, live', 'live', [conn('a', 'online'), conn('b', 'online')], 'ok', 0],
    ['one connecting', 'live', [conn('a', 'online'), conn('b', 'connecting')], 'warn', 1],
    ['one offline', 'live', [conn('a', 'offline'), conn('b', 'online')], 'fault', 1],
    ['link reconnecting', 'reconnecting', [conn('a', 'online')], 'warn', 0],
    ['link refused', 'refused', [], 'fault', 0],
  ] as const)('%s', (_name, link, drivers, level, problems) => {
    const s = summarizeStatus(link, drivers);
    expect(s.level).toBe(level);
    expect(s.problems).toBe(problems);
  });
});
