// The sample in the README must stay valid: schemas and cross-checks accept it.
import { describe, expect, it } from 'vitest';
import { loadDriverSample } from '../../test/support/driver-sample.js';
import { mqttFactory } from './index.js';

describe('sample.yaml', () => {
  it('passes the driver schemas and check()', () => {
    const { connections, devices } = loadDriverSample(mqttFactory, new URL('./sample.yaml', import.meta.url), 1000);
    expect(connections[0].options.expectEveryMs).toBe(120_000);
    expect(devices.flatMap((d) => d.points)).toHaveLength(5);
    expect(mqttFactory.check!(devices)).toEqual([]);
  });

  it('check() refuses a writable point without writeTopic and a writeTopic on a read-only point', () => {
    const { devices } = loadDriverSample(mqttFactory, new URL('./sample.yaml', import.meta.url), 1000);
    const fan = devices[1].points[2].point;
    fan.source = { ...fan.source, writeTopic: undefined };
    const temp = devices[1].points[0].point;
    temp.source = { ...temp.source, writeTopic: 'x/set' };
    const issues = mqttFactory.check!(devices).map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual([
      'devices.1.points.0.writable: writeTopic is set but the point is not writable: true',
      'devices.1.points.2.source.writeTopic: a writable MQTT point needs a writeTopic',
    ]);
  });
});
