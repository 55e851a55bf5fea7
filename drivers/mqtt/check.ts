// Cross-checks of MQTT points beyond one entry's schema (no I/O): a writable point needs a writeTopic,
// a writeTopic only on writable points, and a text payload cannot feed two points of different kinds
// (one message would be good for one and bad for the other: almost always a config slip).
import type { ConfigIssue, DriverFactory } from '../../contracts/driver.js';
import { fullTopic } from './driver.js';
import type { MqttConnectionOptions, MqttDeviceOptions, MqttSource } from './schema.js';

type Entries = Parameters<NonNullable<DriverFactory<MqttConnectionOptions, MqttDeviceOptions, MqttSource>['check']>>[0];

export function checkMqttConfig(devices: Entries): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const textKinds = new Map<string, { kind: string; where: string }>();
  for (const { index, device, points } of devices) {
    for (const { index: pi, point } of points) {
      const at = ['devices', index, 'points', pi];
      if (point.info.writable && !point.source.writeTopic) issues.push({ path: [...at, 'source', 'writeTopic'], message: 'a writable MQTT point needs a writeTopic' });
      if (!point.info.writable && point.source.writeTopic) issues.push({ path: [...at, 'writable'], message: 'writeTopic is set but the point is not writable: true' });
      if (point.source.format === 'text') {
        const key = `${device.connection}|${fullTopic(device.options.topicPrefix, point.source.topic)}`;
        const prior = textKinds.get(key);
        if (prior && prior.kind !== point.info.kind) issues.push({ path: [...at, 'kind'], message: `text topic also feeds a ${prior.kind} point (${prior.where})` });
        else textKinds.set(key, { kind: point.info.kind, where: point.info.id });
      }
    }
  }
  return issues;
}
