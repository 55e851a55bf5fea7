import { describe, expect, it } from 'vitest';
import { SampleBus } from './bus.js';
import { captureLogger } from './log.js';
import type { IngestEvent } from './module.js';

const ev: IngestEvent = { samples: [], changed: [] };

describe('SampleBus', () => {
  it('delivers to every listener and stops after unsubscribe', () => {
    const bus = new SampleBus(captureLogger());
    const got: string[] = [];
    const off = bus.subscribe(() => got.push('a'));
    bus.subscribe(() => got.push('b'));
    bus.emit(ev);
    off();
    bus.emit(ev);
    expect(got).toEqual(['a', 'b', 'b']);
  });

  it('keeps delivering when a listener throws, logging once per listener per message', () => {
    const log = captureLogger();
    const bus = new SampleBus(log);
    let n = 0;
    bus.subscribe(function broken() { throw new Error('boom'); });
    bus.subscribe(() => n++);
    for (let i = 0; i < 5; i++) bus.emit(ev);
    expect(n).toBe(5);
    expect(log.entries.filter((e) => e.level === 'error')).toHaveLength(1);
    expect(log.entries[0].obj).toMatchObject({ listener: 'broken' });
  });

  it('logs a new message from the same listener again', () => {
    const log = captureLogger();
    const bus = new SampleBus(log);
    let i = 0;
    bus.subscribe(() => { throw new Error(i++ < 2 ? 'first' : 'second'); });
    for (let k = 0; k < 4; k++) bus.emit(ev);
    expect(log.entries.filter((e) => e.level === 'error')).toHaveLength(2);
  });

  it('lets a listener unsubscribe itself while an emit is running', () => {
    const bus = new SampleBus(captureLogger());
    const got: string[] = [];
    const off = bus.subscribe(() => { got.push('once'); off(); });
    bus.subscribe(() => got.push('other'));
    bus.emit(ev);
    bus.emit(ev);
    expect(got).toEqual(['once', 'other', 'other']);
  });
});
