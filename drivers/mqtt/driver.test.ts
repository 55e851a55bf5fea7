// The MQTT driver against a real Mosquitto: garbage on a topic gives that topic's points a `bad`
// sample naming the problem while the other points stay good; the driver keeps running; a refused
// login shows as auth_failed; a write with no device answering is reported unconfirmed.
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoundPoint } from '../../contracts/driver.js';
import { RecordingContext } from '../../test/conformance/run.js';
import { startMosquitto, type Mosquitto } from '../../test/support/mosquitto.js';
import { MqttDriver } from './driver.js';
import { connectionSchema, sourceSchema, type MqttSource } from './schema.js';

const pt = (id: string, kind: 'analog' | 'binary', source: Record<string, unknown>, writable = false): BoundPoint<MqttSource> => ({
  info: { id: `hq/a/l01/r/dev/${id}`, name: { en: id, 'zh-CN': id }, kind, writable, device: 'dev', protocol: 'mqtt', intervalMs: 1000 },
  device: 'dev', connection: 'c1', source: sourceSchema.parse(source),
});

describe('MqttDriver', () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker.stop();
  });

  it('garbage payloads give a per-point bad quality with the reason, never a crash', async () => {
    const points = [pt('temp', 'analog', { topic: 'env', path: 't' }), pt('hum', 'analog', { topic: 'env', path: 'h' }), pt('door', 'binary', { topic: 'door', format: 'text' })];
    const driver = new MqttDriver([{ id: 'c1', protocol: 'mqtt', options: connectionSchema.parse({ url: broker.url }) }], [{ id: 'dev', connection: 'c1', options: {} }], points);
    const ctx = new RecordingContext('/tmp');
    await driver.start(ctx);
    const pub = await mqtt.connectAsync(broker.url);
    try {
      await ctx.until('online', () => ctx.statuses.some((s) => s.state === 'online'), 5000);
      await pub.publishAsync('env', '{"t": 21.5, "h": "wet"}');
      await pub.publishAsync('door', 'true');
      await ctx.until('samples', () => ctx.latest(points[1].info.id) !== undefined && ctx.latest(points[2].info.id) !== undefined, 5000);
      expect(ctx.latest(points[0].info.id)).toMatchObject({ value: 21.5, quality: 'good' });
      expect(ctx.latest(points[1].info.id)).toMatchObject({ value: null, quality: 'bad', detail: 'env: value "wet" is not a number' });
      expect(ctx.latest(points[2].info.id)).toMatchObject({ value: true, quality: 'good' });
      const before = ctx.samples.length;
      await pub.publishAsync('env', Buffer.from([0xff, 0x00, 0x7b]));
      await ctx.until('garbage sample', () => ctx.samples.length >= before + 2, 5000);
      expect(ctx.latest(points[0].info.id)).toMatchObject({ quality: 'bad' });
      expect(ctx.latest(points[0].info.id)?.detail).toMatch(/^env: payload is not JSON/);
      // The door point was not touched by garbage on another topic; the driver still takes good data.
      expect(ctx.latest(points[2].info.id)).toMatchObject({ quality: 'good' });
      await pub.publishAsync('env', '{"t": 22, "h": 40}');
      await ctx.until('good again', () => ctx.latest(points[1].info.id)?.quality === 'good', 5000);
      expect(ctx.latest(points[0].info.id)?.value).toBe(22);
    } finally {
      await pub.endAsync(true);
      await driver.stop();
    }
  });

  it('a write nobody confirms is reported unconfirmed, with why', async () => {
    const p = pt('fan', 'binary', { topic: 'fan', format: 'text', writeTopic: 'fan/set' }, true);
    const driver = new MqttDriver([{ id: 'c1', protocol: 'mqtt', options: connectionSchema.parse({ url: broker.url, writeTimeoutMs: 300 }) }], [{ id: 'dev', connection: 'c1', options: {} }], [p]);
    const ctx = new RecordingContext('/tmp');
    await driver.start(ctx);
    try {
      await ctx.until('online', () => ctx.statuses.some((s) => s.state === 'online'), 5000);
      const r = await driver.write(p.info.id, true);
      expect(r).toMatchObject({ confirmed: false, readBack: null });
      expect(r.detail).toMatch(/did not report fan within 300 ms/);
      expect(driver.checkWrite(p.info.id, true)).toBeNull();
    } finally {
      await driver.stop();
    }
  });

  it('a refused login shows as auth_failed', async () => {
    const secured = await startMosquitto({ users: { sensor: 'right' } });
    process.env.WF_TEST_MQTT_PW = 'wrong';
    const driver = new MqttDriver([{ id: 'c1', protocol: 'mqtt', options: connectionSchema.parse({ url: secured.url, username: 'sensor', passwordEnv: 'WF_TEST_MQTT_PW' }) }], [{ id: 'dev', connection: 'c1', options: {} }], [pt('t', 'analog', { topic: 'x' })]);
    const ctx = new RecordingContext('/tmp');
    await driver.start(ctx);
    try {
      await ctx.until('auth_failed', () => ctx.statuses.some((s) => s.state === 'auth_failed'), 5000);
    } finally {
      await driver.stop();
      await secured.stop();
      delete process.env.WF_TEST_MQTT_PW;
    }
  });
});
