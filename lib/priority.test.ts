// lowerPriority: background processes (local influxd, demo camera encoders) at a lower CPU priority.
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { lowerPriority } from './priority.js';

const children: ChildProcess[] = [];
const sleeper = () => {
  const c = spawn('sleep', ['30'], { stdio: 'ignore' });
  children.push(c);
  return c;
};
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

describe('lowerPriority', () => {
  it.each([
    [undefined, 0],
    [0, 0],
    [10, 10],
    [4.6, 5],
    [50, 19], // the lowest priority there is
    [-5, 1], // never raises a priority
  ])('nice %s → niceness %s', (nice, expected) => {
    const c = sleeper();
    lowerPriority(c, nice);
    // Without a nice the child keeps what it inherited from this process.
    expect(os.getPriority(c.pid!)).toBe(expected === 0 ? os.getPriority() : expected);
  });

  it('ignores a process that is already gone', async () => {
    const c = sleeper();
    c.kill('SIGKILL');
    await new Promise((ok) => c.once('exit', ok));
    expect(() => lowerPriority(c, 10)).not.toThrow();
  });
});
