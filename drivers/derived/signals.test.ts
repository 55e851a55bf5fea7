import { describe, expect, it } from 'vitest';
import { DerivedSignalRegistry, SIGNAL_CATALOGUE, type SignalEvent } from './signals.js';

const OF = 'hq/a/b1/weak-b104/lighting-b1/parking-a';

describe('derived signal registry', () => {
  it('delivers producer up/down and values to subscribers, and keeps the latest reading', () => {
    const reg = new DerivedSignalRegistry(() => 1000);
    const events: SignalEvent[] = [];
    reg.subscribe((e) => events.push(e));
    const p = reg.register('lamp-fault', { name: 'control/lighting' });
    p.publish(OF, true, { detail: 'dark' });
    expect(reg.reading('lamp-fault', OF)).toEqual({ value: true, quality: 'good', detail: 'dark', ts: 1000 });
    expect(reg.producer('lamp-fault')).toEqual({ name: 'control/lighting', writable: false });
    p.close();
    p.close(); // idempotent
    expect(reg.producer('lamp-fault')).toBeUndefined();
    expect(reg.reading('lamp-fault', OF)).toBeUndefined();
    expect(events.map((e) => (e.type === 'value' ? `value ${e.of}=${e.reading.value}` : `${e.signal} ${e.up ? 'up' : 'down'}`))).toEqual([
      'lamp-fault up', `value ${OF}=true`, 'lamp-fault down',
    ]);
  });

  it('a second registration replaces the first; the old handle goes inert', () => {
    const reg = new DerivedSignalRegistry();
    const first = reg.register('lamp-fault', { name: 'first' });
    first.publish(OF, true);
    const second = reg.register('lamp-fault', { name: 'second' });
    expect(first.active).toBe(false);
    expect(second.active).toBe(true);
    expect(reg.reading('lamp-fault', OF)).toBeUndefined(); // the new producer starts empty
    first.publish(OF, false);
    first.close();
    expect(reg.producer('lamp-fault')?.name).toBe('second');
    expect(reg.reading('lamp-fault', OF)).toBeUndefined();
  });

  it('publish shorthand and write need a producer; writes go to it', async () => {
    const reg = new DerivedSignalRegistry();
    expect(() => reg.publish('lamp-fault', OF, true)).toThrow('has no registered producer');
    await expect(reg.write('lamp-fault', OF, true)).rejects.toThrow('has no registered producer');
    const ro = reg.register('lamp-fault', { name: 'ro' });
    await expect(reg.write('lamp-fault', OF, true)).rejects.toThrow('takes no writes');
    ro.close();
    const rw = reg.register('lamp-fault', { name: 'rw', write: (of, v) => rw.publish(of, v) });
    reg.publish('lamp-fault', OF, false, { quality: 'uncertain' });
    expect(reg.reading('lamp-fault', OF)?.quality).toBe('uncertain');
    expect((await reg.write('lamp-fault', OF, true))?.value).toBe(true);
  });

  it('a throwing subscriber never breaks the producer', () => {
    const reg = new DerivedSignalRegistry();
    reg.subscribe(() => {
      throw new Error('boom');
    });
    const p = reg.register('x', { name: 'x' });
    expect(() => p.publish(OF, 1)).not.toThrow();
    expect(reg.reading('x', OF)?.value).toBe(1);
  });

  it('the catalogue names the kinds of both ends', () => {
    expect(SIGNAL_CATALOGUE['lamp-fault']).toMatchObject({ kind: 'binary', of: { kind: 'binary' } });
    expect(SIGNAL_CATALOGUE['night-flow-leak']).toMatchObject({ kind: 'binary', of: { kind: 'analog' } });
  });
});
