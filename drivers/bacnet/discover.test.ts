import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startBacnetSimulator } from '../../simulators/bacnet/index.js';
import { discover, UNIT_NAMES } from './discover.js';
import { discoveredToYaml, slug, splitName, unitSymbol } from './discover-yaml.js';
import { connectionSchema, deviceSchema, sourceSchema } from './schema.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});

describe('discover-yaml (pure)', () => {
  it.each([
    ['AHU-1.SupplyAirTemp', [['AHU-1', 'SupplyAirTemp'], 'supply-air-temp']],
    ['DOOR-B101.Position', [['DOOR-B101', 'Position'], 'position']],
    ['CO2', [[null, 'CO2'], 'co2']],
  ] as const)('%s', (name, [parts, id]) => {
    expect(splitName(name)).toEqual(parts);
    expect(slug(parts[1])).toBe(id);
  });

  it.each([[62, '°C'], [98, '%'], [95, undefined], [undefined, undefined], [500, 'bacnet-unit-500']] as const)('unit %s → %s', (u, sym) => {
    expect(unitSymbol(u)).toBe(sym);
  });

  it('turns state texts into multistate states and proposes writable only for commandable non-inputs', () => {
    const doc = parse(discoveredToYaml({
      host: '10.0.0.5', port: 47808, instance: 7, name: 'PANEL',
      objects: [
        { type: 'multi-state-value', instance: 1, name: 'AHU-1.Mode', stateText: ['Off', 'On'], commandable: true },
        { type: 'analog-input', instance: 2, name: 'AHU-1.Temp', units: 62, commandable: false },
        { type: 'binary-value', instance: 3, name: 'Alarm', commandable: false, activeText: 'Alarm', inactiveText: 'Normal' },
      ],
    }));
    expect(doc.connections[0]).toEqual({ id: 'bacnet-7', protocol: 'bacnet', options: { host: '10.0.0.5', port: 47808, pollMs: 5000 } });
    expect(doc.devices.map((d: { id: string }) => d.id)).toEqual(['ahu-1', 'panel']);
    expect(doc.devices[0].points[0]).toMatchObject({ id: 'mode', kind: 'multistate', writable: true, states: { 1: { en: 'Off' }, 2: { en: 'On' } }, source: { object: 'multi-state-value:1' } });
    expect(doc.devices[0].points[1]).toMatchObject({ id: 'temp', kind: 'analog', unit: '°C', writable: false });
    expect(doc.devices[1].points[0]).toMatchObject({ id: 'alarm', kind: 'binary', writable: false });
  });
});

describe('bacnet:discover against the simulated panel', () => {
  it('finds the device by a directed Who-Is and proposes config that validates', async () => {
    const sim = await startBacnetSimulator({ port: 0, tickMs: 0 });
    stops.push(() => sim.stop());
    const devices = await discover({ target: `127.0.0.1:${sim.port}`, localAddress: '127.0.0.1', waitMs: 300, timeoutMs: 1000 });
    expect(devices).toHaveLength(1);
    const d = devices[0];
    expect(d).toMatchObject({ host: '127.0.0.1', port: sim.port, instance: sim.instance, name: 'WF-DDC-B1' });
    expect(d.objects).toHaveLength(sim.device.objects.length);
    expect(d.objects.find((o) => o.name === 'AHU-1.Mode')).toMatchObject({ type: 'multi-state-value', stateText: ['Off', 'Occupied', 'Unoccupied', 'Morning warm-up'], commandable: true });
    expect(d.objects.find((o) => o.name === 'DOOR-B101.Lock')).toMatchObject({ type: 'binary-output', activeText: 'Locked', inactiveText: 'Unlocked', commandable: true });
    expect(d.objects.find((o) => o.name === 'VAV-1.Airflow')).toMatchObject({ type: 'analog-input', units: 135, commandable: false });

    const doc = parse(discoveredToYaml(d, { location: 'a/b1/plant-b103', unitNames: UNIT_NAMES }));
    expect(connectionSchema.safeParse(doc.connections[0].options).success).toBe(true);
    expect(doc.devices.map((x: { id: string }) => x.id)).toEqual(['ahu-1', 'ahu-2', 'vav-1', 'vav-2', 'vav-3', 'vav-4', 'ltg-b1', 'door-b101']);
    for (const dev of doc.devices) {
      expect(deviceSchema.safeParse(dev.options).success).toBe(true);
      for (const p of dev.points) expect(sourceSchema.safeParse(p.source).success, JSON.stringify(p)).toBe(true);
    }
  });

  it('a Who-Is for another instance range gets no answer', async () => {
    const sim = await startBacnetSimulator({ port: 0, tickMs: 0 });
    stops.push(() => sim.stop());
    expect(await discover({ target: `127.0.0.1:${sim.port}`, localAddress: '127.0.0.1', waitMs: 300, instance: 5 })).toEqual([]);
  });
});
