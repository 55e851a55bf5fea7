import { describe, expect, it } from 'vitest';
import * as cameras from './cameras.js';
import * as control from './control.js';
import * as core from './core.js';
import * as historyHealth from './history-health.js';

describe('message tables', () => {
  it('define every key once: a key in two areas would silently override the other', () => {
    const keys = [core, cameras, control, historyHealth].flatMap((m) => Object.keys(m.en));
    const twice = keys.filter((k, i) => keys.indexOf(k) !== i);
    expect(twice).toEqual([]);
  });
});
