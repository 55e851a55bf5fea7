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
