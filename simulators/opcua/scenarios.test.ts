import { describe, expect, it } from 'vitest';
import { createPlantState } from './plant.js';
import { listScenarios, loadScenario, parseScenario, playScenario } from './scenarios.js';

describe('scenario files', () => {
  it('ships the four OPC UA scenarios, each naming only real variables', () => {
    expect(listScenarios()).toEqual(['opcua-ahu-fan-failure', 'opcua-archive-humidity-rising', 'opcua-chiller-trip', 'opcua-server-room-cooling-loss']);
    const state = createPlantState();
    for (const name of listScenarios()) {
      for (const step of loadScenario(name).steps) for (const p of Object.keys(step.set)) expect(state.has(p), `${name}: ${p}`).toBe(true);
    }
  });
  it('refuses bad files with the file and path', () => {
    expect(() => parseScenario('name: opcua-x\ndescription: {en: a, zh-CN: b}\nsteps: [{at: -1, set: {}}]', 'f.yaml')).toThrow(/^f\.yaml: steps\.0\.at:/);
    expect(() => parseScenario('name: opcua-x\ndescription: {en: a, zh-CN: b}\nsteps: [{at: 1, set: {}, when: 2}]', 'f.yaml')).toThrow(/when/);
    expect(() => loadScenario('no-such')).toThrow(/unknown OPC UA scenario "no-such" \(known: opcua-ahu-fan-failure/);
  });
  it('plays steps in order at scaled time and refuses unknown variables up front', async () => {
    const applied: [string, unknown][] = [];
    const scenario = parseScenario('name: opcua-x\ndescription: {en: a, zh-CN: b}\nsteps: [{at: 60, set: {B: 2}}, {at: 0, set: {A: true}}]', 'x');
    await playScenario(scenario, { set: (p, v) => applied.push([p, v]), has: () => true, timeScale: 600 });
    expect(applied).toEqual([['A', true], ['B', 2]]);
    await expect(playScenario(scenario, { set: () => undefined, has: (p) => p === 'A', timeScale: 600 })).rejects.toThrow(/unknown variable "B"/);
  });
});
