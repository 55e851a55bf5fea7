// Config validation of the MQTT driver: what is refused, with which message.
import { describe, expect, it } from 'vitest';
import { connectionSchema, deviceSchema, sourceSchema } from './schema.js';

const msg = (r: { success: boolean; error?: { issues: Array<{ message: string }> } }) => (r.success ? '' : r.error!.issues.map((i) => i.message).join('; '));

describe('mqtt schemas', () => {
  it('connection defaults and refusals', () => {
    expect(connectionSchema.parse({ url: 'mqtt://127.0.0.1:1883' })).toMatchObject({ keepaliveS: 30, expectEveryMs: 60_000, writeTimeoutMs: 3000 });
    expect(msg(connectionSchema.safeParse({ url: 'http://x' }))).toMatch(/mqtt:\/\/host:port/);
    expect(msg(connectionSchema.safeParse({ url: 'mqtt://x:1', password: 'secret' }))).toMatch(/[Uu]nrecognized key/);
    expect(msg(connectionSchema.safeParse({ url: 'mqtt://x:1', passwordEnv: 'lower' }))).toMatch(/environment variable/);
  });

  it.each([
    [{ topic: 'a/+/b' }, /wildcards/],
    [{ topic: 'a/#' }, /wildcards/],
    [{ topic: '$SYS/x' }, /broker/],
    [{ topic: 'a', path: 'a..b' }, /JSON path/],
    [{ topic: 'a', format: 'text', path: 'x' }, /only for format json/],
    [{ topic: 'a', scale: 0 }, /must not be 0/],
    [{ topic: 'a', extra: 1 }, /[Uu]nrecognized key/],
  ])('source %j is refused', (source, re) => {
    expect(msg(sourceSchema.safeParse(source))).toMatch(re);
  });

  it('accepts a typical sensor source and a device prefix', () => {
    expect(sourceSchema.parse({ topic: 'state', path: 'sensors[0].temperature', scale: 0.1 })).toMatchObject({ format: 'json', writeFormat: 'text' });
    expect(deviceSchema.parse({ topicPrefix: 'zigbee2mqtt/leak-3f' })).toEqual({ topicPrefix: 'zigbee2mqtt/leak-3f' });
  });
});
