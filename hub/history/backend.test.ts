import { describe, expect, it } from 'vitest';
import { resolveHistoryBackend } from './backend.js';
import { historySettingsSchema } from './settings.js';

const withInfluxd = { findExecutable: (n: string) => (n === 'influxd' ? '/usr/bin/influxd' : null) };
const without = { findExecutable: () => null };

describe('resolveHistoryBackend', () => {
  it.each([
    ['a URL wins', { url: 'http://db:8086' }, withInfluxd, 'influxdb'],
    ['influxd on PATH', {}, withInfluxd, 'local-influxd'],
    ['nothing installed', {}, without, 'embedded'],
    ['local influxd disabled', { localInfluxd: { enabled: false, port: 8086, binary: 'influxd' } }, withInfluxd, 'embedded'],
    ['embedded forced', { backend: 'embedded', url: 'http://db:8086' }, withInfluxd, 'embedded'],
  ] as const)('%s', (_n, settings, env, kind) => {
    const choice = resolveHistoryBackend(historySettingsSchema.parse(settings), env);
    expect(choice.kind).toBe(kind);
    expect(choice.reason.length).toBeGreaterThan(5);
  });

  it('passes the local influxd its niceness (default 10), and refuses one outside 0–19, naming it', () => {
    const choose = (localInfluxd: object) => resolveHistoryBackend(historySettingsSchema.parse({ localInfluxd }), withInfluxd);
    expect(choose({})).toMatchObject({ kind: 'local-influxd', nice: 10 });
    expect(choose({ nice: 0 })).toMatchObject({ kind: 'local-influxd', nice: 0 });
    for (const nice of [-1, 20, 2.5, '10']) {
      const r = historySettingsSchema.safeParse({ localInfluxd: { nice } });
      expect(r.success).toBe(false);
      expect(r.error!.issues[0].path).toEqual(['localInfluxd', 'nice']);
    }
  });

  it('refuses backend influxdb when there is none', () => {
    expect(() => resolveHistoryBackend(historySettingsSchema.parse({ backend: 'influxdb' }), without)).toThrow(/not on PATH/);
  });

  it('settings reject unknown keys and bad durations, naming them', () => {
    const r = historySettingsSchema.safeParse({ rawRetention: '30 days', flushMS: 5 });
    expect(r.success).toBe(false);
    const text = JSON.stringify(r.error!.issues);
    expect(text).toContain('rawRetention');
    expect(text).toContain('flushMS');
  });
});
