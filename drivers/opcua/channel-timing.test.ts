import { describe, expect, it } from 'vitest';
import { channelTiming, SESSION_KEEPALIVE_MS, SESSION_TIMEOUT_MS } from './channel-timing.js';
import { connectionSchema, MAX_KEEP_ALIVE_COUNT } from './schema.js';

describe('channelTiming', () => {
  it.each([
    // requestTimeoutMs → socket idle timeout
    { requestTimeoutMs: 500, transportTimeoutMs: 61_500 },
    { requestTimeoutMs: 10_000, transportTimeoutMs: 90_000 },
    { requestTimeoutMs: 120_000, transportTimeoutMs: 420_000 },
  ])('requestTimeoutMs $requestTimeoutMs → socket idle timeout $transportTimeoutMs', ({ requestTimeoutMs, transportTimeoutMs }) => {
    expect(channelTiming({ requestTimeoutMs })).toEqual({ transportTimeoutMs, requestTimeoutMs, sessionKeepAliveMs: SESSION_KEEPALIVE_MS, sessionTimeoutMs: SESSION_TIMEOUT_MS });
  });

  it.each([
    [undefined, SESSION_TIMEOUT_MS],
    [1_000, SESSION_TIMEOUT_MS],
    [3_000, SESSION_TIMEOUT_MS],
    [6_000, 120_000],
    [60_000, 1_200_000], // the schema's maximum
  ])('publishing every %s ms → session timeout %s ms (two keep-alive periods at least)', (publishingIntervalMs, sessionTimeoutMs) => {
    const t = channelTiming({ requestTimeoutMs: 5_000, publishingIntervalMs });
    expect(t.sessionTimeoutMs).toBe(sessionTimeoutMs);
    expect(t.sessionTimeoutMs).toBeGreaterThanOrEqual(2 * MAX_KEEP_ALIVE_COUNT * (publishingIntervalMs ?? 0));
  });

  it('never lets the socket idle timeout fire on a healthy quiet channel (the demo drop)', () => {
    // Defaults of the demo: publishing 1 s → subscription keep-alive every 10 s.
    const o = connectionSchema.parse({ endpointUrl: 'opc.tcp://127.0.0.1:4840' });
    const t = channelTiming(o);
    const subscriptionKeepAliveMs = o.publishingIntervalMs * MAX_KEEP_ALIVE_COUNT;
    // The socket used to time out after exactly one subscription keep-alive period.
    expect(t.transportTimeoutMs).toBeGreaterThanOrEqual(3 * subscriptionKeepAliveMs);
    // Longest silence without a subscription: one session keep-alive period plus its read.
    expect(t.transportTimeoutMs).toBeGreaterThanOrEqual(3 * (t.sessionKeepAliveMs + t.requestTimeoutMs));
    // The session keep-alive keeps the session well inside its timeout.
    expect(t.sessionKeepAliveMs).toBeLessThanOrEqual(t.sessionTimeoutMs / 2);
  });
});
