import { describe, expect, it } from 'vitest';
import { paZonesOf, readPaZones } from './zones.js';

describe('PA amplifiers of the demo', () => {
  it.each<[string, unknown, Array<{ id: string; port: number }>]>([
    ['a zone list', { zones: [{ id: 'lobby', endpoint: { host: '127.0.0.1', port: 16001 } }, { id: 'l02', endpoint: { port: 16002 } }] }, [{ id: 'lobby', port: 16001 }, { id: 'l02', port: 16002 }]],
    ['no zones key', { messages: [] }, []],
    ['an empty document', null, []],
    ['zones without a usable port are skipped', { zones: [{ id: 'a', endpoint: { port: '16001' } }, { id: 'b' }, { endpoint: { port: 1 } }, { id: 'c', endpoint: { port: 70000 } }] }, []],
  ])('%s', (_name, doc, want) => {
    expect(paZonesOf(doc)).toEqual(want);
  });

  it('reads the demo config (every zone has an amplifier) and treats a missing file as none', () => {
    expect(readPaZones('config/broadcast.yaml').length).toBeGreaterThan(0);
    expect(readPaZones('config/no-such-file.yaml')).toEqual([]);
  });
});
