// Builds the control engine's adapters from the real simulators (Modbus gateways, the OPC UA
// plant, the ONVIF cameras). Any of them may be absent (the cameras are optional in the demo).
import fs from 'node:fs';
import path from 'node:path';
import { checkScenario, loadScenario as loadModbusScenario, playScenario as playModbusScenario, SCENARIO_DIR as MODBUS_SCENARIOS, type ScenarioTarget } from '../scenarios/scenario.js';
import { listScenarios as listOpcua, loadScenario as loadOpcuaScenario, playScenario as playOpcuaScenario } from '../opcua/scenarios.js';
import type { EndpointAccess, FieldAccess, ScenarioInfo, SimAdapters } from './engine.js';
import type { FaultTarget } from './faults.js';

type Value = number | boolean;

export interface ModbusLike {
  ports: Record<string, number>;
  gateway(id: string): { stop(): Promise<void>; start(): Promise<void> };
  set(gatewayId: string, unitId: number, field: string, value: Value): void;
  get(gatewayId: string, unitId: number, field: string): Value;
  release(gatewayId: string, unitId: number, field?: string): void;
}

export interface OpcuaLike {
  set(path: string, value: Value): void;
  get(path: string): Value;
  kill(): Promise<void>;
  revive(): Promise<void>;
}

export interface OnvifLike {
  cameras: Array<{ id: string }>;
  stopCamera(id: string): Promise<void>;
  startCamera(id: string): Promise<void>;
}

export interface RealSims {
  modbus?: ModbusLike;
  opcua?: OpcuaLike & { connectionId: string };
  onvif?: OnvifLike;
  /** The PA amplifiers' play record (served as GET /pa/record, not an adapter of the engine). */
  pa?: { record(limit?: number): unknown[] };
}

const need = <T>(sim: T | undefined, name: string): T => {
  if (!sim) throw new Error(`the ${name} simulator is not running`);
  return sim;
};

export function realAdapters(s: RealSims): SimAdapters {
  const modbusScenarios = (): ScenarioInfo[] =>
    fs.existsSync(MODBUS_SCENARIOS)
      ? fs.readdirSync(MODBUS_SCENARIOS).filter((f) => f.endsWith('.yaml')).map((f) => {
        const sc = loadModbusScenario(path.join(MODBUS_SCENARIOS, f));
        return { name: sc.name, simulator: 'modbus', description: sc.description };
      })
      : [];
  const opcuaScenarios = (): ScenarioInfo[] =>
    listOpcua().map((name) => {
      const sc = loadOpcuaScenario(name);
      return { name: sc.name, simulator: 'opcua', description: sc.description.en };
    });

  return {
    connections: () => [...Object.keys(s.modbus?.ports ?? {}), ...(s.opcua ? [s.opcua.connectionId] : []), ...(s.onvif?.cameras.map((c) => c.id) ?? [])],
    field(t: FaultTarget): FieldAccess {
      if (t.sim === 'modbus' && t.unit !== undefined && t.field !== undefined) {
        const m = need(s.modbus, 'modbus');
        const { gateway, unit, field } = t;
        m.get(gateway, unit, field); // throws naming the gateway/unit/field when unknown
        return { get: () => m.get(gateway, unit, field), set: (v) => m.set(gateway, unit, field, v), release: () => m.release(gateway, unit, field) };
      }
      if (t.sim === 'opcua' && t.path !== undefined) {
        const o = need(s.opcua, 'opcua');
        const p = t.path;
        const base = o.get(p);
        return { get: () => o.get(p), set: (v) => o.set(p, v), release: () => o.set(p, base) };
      }
      throw new Error(`target ${JSON.stringify(t)} is not a field`);
    },
    endpoint(t: FaultTarget): EndpointAccess {
      if (t.sim === 'modbus') {
        const g = need(s.modbus, 'modbus').gateway(t.gateway);
        return { down: () => g.stop(), up: () => g.start() };
      }
      if (t.sim === 'opcua') {
        const o = need(s.opcua, 'opcua');
        return { down: () => o.kill(), up: () => o.revive() };
      }
      if (t.sim === 'onvif') {
        const c = need(s.onvif, 'onvif');
        if (!c.cameras.some((x) => x.id === t.camera)) throw new Error(`no simulated camera "${t.camera}" (there are: ${c.cameras.map((x) => x.id).join(', ')})`);
        return { down: () => c.stopCamera(t.camera), up: () => c.startCamera(t.camera) };
      }
      throw new Error(`target ${JSON.stringify(t)} has no endpoint`);
    },
    scenarios: () => [...(s.modbus ? modbusScenarios() : []), ...(s.opcua ? opcuaScenarios() : [])],
    async playScenario(name, o) {
      if (s.modbus && modbusScenarios().some((x) => x.name === name)) {
        const m = s.modbus;
        const target: ScenarioTarget = {
          check(g, u, f, v) {
            const cur = m.get(g, u, f);
            if (v !== undefined && typeof v !== typeof cur) throw new Error(`${g} unit ${u} field "${f}" takes a ${typeof cur}, got ${JSON.stringify(v)}`);
          },
          set: (g, u, f, v) => {
            m.set(g, u, f, v);
            o.onRelease(() => m.release(g, u, f));
          },
          release: (g, u, f) => m.release(g, u, f),
        };
        const sc = loadModbusScenario(path.join(MODBUS_SCENARIOS, `${name}.yaml`));
        checkScenario(sc, target);
        await playModbusScenario(sc, target, { timeScale: o.timeScale, signal: o.signal }).catch((err: Error) => {
          if (!o.signal.aborted) throw err;
        });
        return;
      }
      const op = need(s.opcua, 'opcua');
      const sc = loadOpcuaScenario(name);
      const before = new Map<string, Value>();
      for (const st of sc.steps) for (const p of Object.keys(st.set)) if (!before.has(p)) before.set(p, op.get(p));
      o.onRelease(() => {
        for (const [p, v] of before) op.set(p, v);
      });
      const has = (p: string) => {
        try {
          op.get(p);
          return true;
        } catch {
          return false;
        }
      };
      await playOpcuaScenario(sc, { set: (p, v) => op.set(p, v), has, timeScale: o.timeScale, signal: o.signal });
    },
  };
}
