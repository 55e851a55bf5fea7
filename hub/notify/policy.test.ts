import { describe, expect, it } from 'vitest';
import { channelsFor, quietUntil } from './policy.js';

const policies = [
  { priorities: ['critical', 'high'] as const, channels: ['email', 'wecom', 'dingtalk', 'push', 'console'] as const },
  { priorities: ['medium', 'low'] as const, channels: ['push', 'console'] as const },
  { trades: ['security'] as const, areas: ['a/l01'], channels: ['dingtalk'] as const },
].map((p) => ({ ...p, priorities: p.priorities ? [...p.priorities] : undefined, channels: [...p.channels], trades: p.trades ? [...p.trades] : undefined }));

describe('notification policy', () => {
  it.each([
    [{ priority: 'critical' }, ['console', 'dingtalk', 'email', 'push', 'wecom']],
    [{ priority: 'low' }, ['console', 'push']],
    [{ priority: 'low', trade: 'security', area: 'a/l01/r1' }, ['console', 'dingtalk', 'push']],
    [{ priority: 'low', trade: 'security', area: 'a/l02' }, ['console', 'push']],
    [{ priority: 'low', allChannels: true }, ['console', 'dingtalk', 'email', 'push', 'wecom']],
  ] as const)('%j → %j', (m, want) => {
    expect([...channelsFor(m as never, policies)].sort()).toEqual(want);
  });

  const TZ = 'Asia/Shanghai';
  const at = (s: string) => Date.parse(`${s}+08:00`);
  it.each([
    ['2026-03-02T23:30:00', { from: '22:00', to: '07:00' }, '2026-03-03T07:00:00'],
    ['2026-03-02T06:59:00', { from: '22:00', to: '07:00' }, '2026-03-02T07:00:00'],
    ['2026-03-02T07:00:00', { from: '22:00', to: '07:00' }, null],
    ['2026-03-02T12:30:10', { from: '12:00', to: '13:30' }, '2026-03-02T13:30:00'],
    ['2026-03-02T14:00:00', { from: '12:00', to: '13:30' }, null],
  ])('quiet at %s in %j → until %s', (now, q, want) => {
    expect(quietUntil(at(now), TZ, q)).toBe(want === null ? null : at(want));
  });
});
