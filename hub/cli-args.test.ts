import { describe, expect, it } from 'vitest';
import { configDirFrom } from './cli-args.js';
import { logFormat } from './log.js';

describe('config folder selection', () => {
  it.each<[string, string[], { WATCHFLOOR_CONFIG?: string }, string]>([
    ['default', [], {}, 'config'],
    ['env', [], { WATCHFLOOR_CONFIG: '/etc/watchfloor' }, '/etc/watchfloor'],
    ['empty env is unset', [], { WATCHFLOOR_CONFIG: '' }, 'config'],
    ['--config DIR', ['--config', 'site-b'], {}, 'site-b'],
    ['--config=DIR', ['--config=site-b'], {}, 'site-b'],
    ['the flag beats the env', ['--config', 'site-b'], { WATCHFLOOR_CONFIG: '/etc/watchfloor' }, 'site-b'],
    ['other arguments are ignored', ['--verbose', '--config', 'x', 'extra'], {}, 'x'],
  ])('%s', (_name, argv, env, want) => {
    expect(configDirFrom(argv, env)).toBe(want);
  });

  it.each([[['--config']], [['--config', '--other']], [['--config=']]])('refuses %j with how to use it', (argv) => {
    expect(() => configDirFrom(argv, {})).toThrow(/--config needs a folder/);
  });
});

describe('log format', () => {
  it.each<[string | undefined, boolean, 'pretty' | 'json']>([
    [undefined, true, 'pretty'],
    [undefined, false, 'json'],
    ['json', true, 'json'],
    ['pretty', false, 'pretty'],
    ['JSON', true, 'json'],
    ['other', false, 'json'],
  ])('LOG_FORMAT=%s, tty=%s → %s', (LOG_FORMAT, tty, want) => {
    expect(logFormat({ LOG_FORMAT }, tty)).toBe(want);
  });
});
