import { describe, expect, it } from 'vitest';
import { errorText, guarded } from './guard.js';

const logger = () => {
  const lines: Array<{ obj: object; msg?: string }> = [];
  return { lines, warn: (obj: object, msg?: string) => lines.push({ obj, msg }) };
};

describe('guarded socket handlers', () => {
  it('a synchronous throw is logged without a stack and answered through the ack', () => {
    const log = logger();
    const replies: unknown[] = [];
    guarded(log, 'subscribe', (..._args: unknown[]) => {
      throw new URIError('URI malformed');
    })({ floors: [] }, (r: unknown) => replies.push(r));
    expect(replies).toEqual([{ ok: false, error: 'subscribe failed; see the hub log' }]);
    expect(log.lines).toEqual([{ obj: { event: 'subscribe', error: 'URIError: URI malformed' }, msg: 'socket event handler failed' }]);
  });

  it('a rejection is caught too (no unhandled rejection), and no ack is fine', async () => {
    const log = logger();
    guarded(log, 'x', async (..._args: unknown[]) => {
      throw new Error('boom\n    at somewhere (file.ts:1:1)');
    })('not an ack');
    await new Promise((r) => setTimeout(r, 0));
    expect(log.lines).toHaveLength(1);
    expect(JSON.stringify(log.lines)).not.toMatch(/at somewhere/);
  });

  it('a handler that works is left alone', () => {
    const log = logger();
    let got: unknown;
    guarded(log, 'ok', (a: number) => (got = a))(5);
    expect(got).toBe(5);
    expect(log.lines).toEqual([]);
  });

  it('errorText is one bounded line', () => {
    expect(errorText(new Error(`a\nb`))).toBe('Error: a');
    expect(errorText('x'.repeat(1000))).toHaveLength(300);
    expect(errorText(undefined)).toBe('undefined');
  });
});
