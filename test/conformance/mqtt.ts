// Conformance rig for the MQTT input driver: a private Mosquitto (test/support/mosquitto.ts) and a
// fake sensor client publishing JSON state every 200 ms and taking relay commands on a set topic.
// Killed = the broker dies (every point comm_fail); revived = it comes back on the same port.
import mqtt, { type MqttClient } from 'mqtt';
import type { BoundPoint } from '../../contracts/driver.js';
import type { MqttSource } from '../../drivers/mqtt/schema.js';
import { sourceSchema } from '../../drivers/mqtt/schema.js';
import { startMosquitto } from '../support/mosquitto.js';
import type { ConformanceFixture } from './run.js';

const text = (s: string) => ({ en: s, 'zh-CN': s });

function point(id: string, kind: 'analog' | 'binary', writable: boolean, source: Record<string, unknown>): BoundPoint<MqttSource> {
  return {
    info: { id: `hq/a/l01/lobby-101/env-mqtt/${id}`, name: text(id), kind, writable, device: 'env-mqtt', protocol: 'mqtt', intervalMs: 1000 },
    device: 'env-mqtt', connection: 'mqtt-lab', source: sourceSchema.parse(source),
  };
}

export const mqttConformanceFixture: ConformanceFixture = {
  protocol: 'mqtt',
  patienceMs: 8_000,
  async start() {
    const broker = await startMosquitto();
    const state = { temp: 21.5, relay: false };
    // The fake sensor reconnects by itself after the broker comes back, like a real one.
    const sensor: MqttClient = await mqtt.connectAsync(broker.url, { reconnectPeriod: 100 });
    const sub = () => sensor.subscribe('lab/env-1/relay/set', { qos: 1 });
    sensor.on('connect', sub);
    sub();
    sensor.on('message', (_t, payload) => {
      const v = payload.toString().trim().toLowerCase();
      state.relay = v === 'true' || v === 'on';
      sensor.publish('lab/env-1/state', JSON.stringify({ env: { temp: state.temp }, relay: state.relay ? 'ON' : 'OFF' }));
    });
    const timer = setInterval(() => {
      if (sensor.connected) sensor.publish('lab/env-1/state', JSON.stringify({ env: { temp: state.temp }, relay: state.relay ? 'ON' : 'OFF' }));
    }, 200);
    return {
      connections: [{ id: 'mqtt-lab', protocol: 'mqtt', options: { url: broker.url, keepaliveS: 2, expectEveryMs: 1000, writeTimeoutMs: 3000 } }],
      devices: [{ id: 'env-mqtt', connection: 'mqtt-lab', options: { topicPrefix: 'lab/env-1' }, location: { building: 'a', floor: 'l01', room: 'lobby-101' } }],
      points: [
        point('temp', 'analog', false, { topic: 'state', path: 'env.temp' }),
        point('relay', 'binary', true, { topic: 'state', path: 'relay', trueValues: ['ON'], falseValues: ['OFF'], writeTopic: 'relay/set' }),
      ],
      write: { pointId: 'hq/a/l01/lobby-101/env-mqtt/relay', value: true },
      kill: () => broker.kill(),
      revive: () => broker.revive(),
      async stop() {
        clearInterval(timer);
        await sensor.endAsync(true);
        await broker.stop();
      },
    };
  },
};
