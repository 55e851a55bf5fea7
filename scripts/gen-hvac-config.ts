// Generates config/devices/hvac.yaml from the OPC UA simulator's plant
// (simulators/opcua/plant.ts), so the demo config and the simulated address
// space cannot drift apart. Run: npx tsx scripts/gen-hvac-config.ts
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Document, isMap, isPair, isScalar, visit } from 'yaml';
import { AHU_ZONES, ARCHIVE_ROOMS, MEETING_ROOMS, SERVER_ROOM, WEAK_ROOMS, ZONE_ROOMS, envFolder, vavFolder } from '../simulators/opcua/plant.js';

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../config/devices/hvac.yaml');
const NSU = 'nsu=urn:watchfloor:hvac;s=';
const CONNECTION = 'opcua-hvac';

type Text = { en: string; 'zh-CN': string };
interface PointDef {
  id: string;
  name: Text;
  kind: 'analog' | 'binary' | 'multistate';
  unit?: string;
  brick: string;
  limits?: { min: number; max: number };
  writable?: boolean;
  states?: Record<string, Text>;
  node: string;
  deadband?: number;
}

/** `office-201` → `l02`, `archive-b103` → `b1`, `meeting-505` → `l05`. */
export function floorOf(room: string): string {
  const n = room.split('-')[1];
  return n.startsWith('b') ? `b${n[1]}` : `l${n.slice(0, -2).padStart(2, '0')}`;
}

function roomName(room: string): Text {
  const [type, n] = room.split('-');
  const label = n.toUpperCase();
  const t: Record<string, Text> = {
    office: { en: 'Office', 'zh-CN': '办公室' },
    meeting: { en: 'Meeting room', 'zh-CN': '会议室' },
    archive: { en: 'Archive', 'zh-CN': '档案室' },
    weak: { en: 'Weak-current room', 'zh-CN': '弱电间' },
    server: { en: 'Server room', 'zh-CN': '机房' },
  };
  return { en: `${t[type].en} ${label}`, 'zh-CN': `${t[type]['zh-CN']} ${label}` };
}

const temp = (id: string, en: string, zh: string, brick: string, node: string, deadband = 0.05): PointDef => ({
  id, name: { en, 'zh-CN': zh }, kind: 'analog', unit: '°C', brick, limits: { min: -10, max: 60 }, node, deadband,
});
const bin = (id: string, en: string, zh: string, brick: string, node: string, writable = false): PointDef => ({ id, name: { en, 'zh-CN': zh }, kind: 'binary', brick, node, writable });

function device(id: string, name: Text, location: string, points: PointDef[]) {
  return {
    id,
    name,
    location,
    connection: CONNECTION,
    options: {},
    points: points.map((p) => ({
      id: p.id,
      name: p.name,
      kind: p.kind,
      ...(p.unit ? { unit: p.unit } : {}),
      brick: p.brick,
      ...(p.limits ? { limits: p.limits } : {}),
      ...(p.states ? { states: p.states } : {}),
      writable: p.writable ?? false,
      source: { nodeId: NSU + p.node, ...(p.deadband ? { deadband: { type: 'absolute', value: p.deadband } } : {}) },
    })),
  };
}

export function hvacConfig() {
  const plant = 'a/b1/plant-b105';
  const devices = [
    device('chiller-1', { en: 'Chiller 1', 'zh-CN': '1号冷水机组' }, plant, [
      temp('chw-supply-temp', 'Chilled water supply temperature', '冷冻水供水温度', 'Chilled_Water_Supply_Temperature_Sensor', 'Chiller-1.SupplyWaterTemp'),
      temp('chw-return-temp', 'Chilled water return temperature', '冷冻水回水温度', 'Chilled_Water_Return_Temperature_Sensor', 'Chiller-1.ReturnWaterTemp'),
      bin('run-status', 'Running', '运行状态', 'Run_Status', 'Chiller-1.Status'),
      { id: 'power', name: { en: 'Electrical power', 'zh-CN': '电功率' }, kind: 'analog', unit: 'kW', brick: 'Electric_Power_Sensor', limits: { min: 0, max: 150 }, node: 'Chiller-1.Power', deadband: 0.5 },
      bin('fault', 'Trip alarm', '跳闸报警', 'Fault_Status', 'Chiller-1.Fault'),
      bin('enable', 'Enable command', '启停命令', 'Enable_Command', 'Chiller-1.Enable', true),
      { id: 'demand-limit', name: { en: 'Demand limit', 'zh-CN': '需量限制' }, kind: 'analog', unit: '%', brick: 'Demand_Setpoint', limits: { min: 0, max: 100 }, writable: true, node: 'Chiller-1.DemandLimit' },
    ]),
    ...Object.entries(AHU_ZONES).map(([ahu, rooms]) => {
      const n = ahu.split('-')[1];
      const floors = [...new Set(rooms.map(floorOf))];
      return device(ahu.toLowerCase(), { en: `AHU ${n} (floors ${floors.join('–')})`, 'zh-CN': `${n}号空调机组（${floors.join('–')}层）` }, plant, [
        temp('supply-air-temp', 'Supply air temperature', '送风温度', 'Supply_Air_Temperature_Sensor', `${ahu}.SupplyAirTemp`),
        bin('fan-status', 'Supply fan running', '送风机运行', 'Fan_Status', `${ahu}.FanStatus`),
        { id: 'fan-speed', name: { en: 'Supply fan speed', 'zh-CN': '送风机转速' }, kind: 'analog', unit: '%', brick: 'Speed_Sensor', limits: { min: 0, max: 100 }, node: `${ahu}.FanSpeed`, deadband: 0.5 },
        { id: 'oa-damper', name: { en: 'Outside air damper', 'zh-CN': '新风阀开度' }, kind: 'analog', unit: '%', brick: 'Damper_Position_Sensor', limits: { min: 0, max: 100 }, node: `${ahu}.DamperPosition` },
        { id: 'filter-dp', name: { en: 'Filter differential pressure', 'zh-CN': '过滤器压差' }, kind: 'analog', unit: 'Pa', brick: 'Filter_Differential_Pressure_Sensor', limits: { min: 0, max: 500 }, node: `${ahu}.FilterDP`, deadband: 1 },
        bin('fan-fault', 'Supply fan failure', '送风机故障', 'Fault_Status', `${ahu}.FanFault`),
        bin('enable', 'Enable command', '启停命令', 'Enable_Command', `${ahu}.Enable`, true),
      ]);
    }),
    ...ZONE_ROOMS.map((room) => {
      const f = vavFolder(room);
      const num = room.split('-')[1];
      return device(`vav-${num}`, { en: `VAV box ${num}`, 'zh-CN': `变风量末端 ${num}` }, `a/${floorOf(room)}/${room}`, [
        temp('zone-temp', 'Zone temperature', '室内温度', 'Zone_Air_Temperature_Sensor', `${f}.ZoneTemp`),
        { id: 'zone-temp-sp', name: { en: 'Zone temperature setpoint', 'zh-CN': '室内温度设定值' }, kind: 'analog', unit: '°C', brick: 'Zone_Air_Temperature_Setpoint', limits: { min: 16, max: 30 }, writable: true, node: `${f}.ZoneTempSetpoint` },
        { id: 'airflow', name: { en: 'Supply airflow', 'zh-CN': '送风量' }, kind: 'analog', unit: 'm³/h', brick: 'Supply_Air_Flow_Sensor', limits: { min: 0, max: 2000 }, node: `${f}.Airflow`, deadband: 5 },
        { id: 'damper', name: { en: 'Damper position', 'zh-CN': '风阀开度' }, kind: 'analog', unit: '%', brick: 'Damper_Position_Sensor', limits: { min: 0, max: 100 }, node: `${f}.DamperPosition`, deadband: 0.5 },
        {
          id: 'occupancy-mode', name: { en: 'Occupancy mode', 'zh-CN': '占用模式' }, kind: 'multistate', brick: 'Occupancy_Command', writable: true, node: `${f}.OccupancyMode`,
          states: { '0': { en: 'Schedule', 'zh-CN': '按时间表' }, '1': { en: 'Occupied', 'zh-CN': '有人' }, '2': { en: 'Unoccupied', 'zh-CN': '无人' } },
        },
      ]);
    }),
    // Archive T/RH come from the dehumidifier's own sensors; the Modbus env-1 in the same room is separate.
    ...ARCHIVE_ROOMS.map((room) => device('dehum-1', { en: `Dehumidifier, ${roomName(room).en}`, 'zh-CN': `${roomName(room)['zh-CN']} 除湿机` }, `a/${floorOf(room)}/${room}`, [
      temp('temperature', 'Temperature', '温度', 'Air_Temperature_Sensor', `${envFolder(room)}.Temperature`),
      { id: 'humidity', name: { en: 'Relative humidity', 'zh-CN': '相对湿度' }, kind: 'analog', unit: '%RH', brick: 'Relative_Humidity_Sensor', limits: { min: 0, max: 100 }, node: `${envFolder(room)}.Humidity`, deadband: 0.1 },
      bin('dehumidifier', 'Dehumidifier on', '除湿机开关', 'On_Off_Command', `${envFolder(room)}.DehumidifierOn`, true),
    ])),
    ...WEAK_ROOMS.map((room) => device('env-1', { en: `Environment sensor, ${roomName(room).en}`, 'zh-CN': `${roomName(room)['zh-CN']} 环境传感器` }, `a/${floorOf(room)}/${room}`, [
      temp('temperature', 'Temperature', '温度', 'Air_Temperature_Sensor', `${envFolder(room)}.Temperature`),
    ])),
    ...MEETING_ROOMS.map((room) => device('env-1', { en: `Environment sensors, ${roomName(room).en}`, 'zh-CN': `${roomName(room)['zh-CN']} 环境传感器` }, `a/${floorOf(room)}/${room}`, [
      { id: 'co2', name: { en: 'CO₂ level', 'zh-CN': '二氧化碳浓度' }, kind: 'analog', unit: 'ppm', brick: 'CO2_Level_Sensor', limits: { min: 0, max: 5000 }, node: `${envFolder(room)}.CO2`, deadband: 5 },
      temp('temperature', 'Temperature', '温度', 'Air_Temperature_Sensor', `${envFolder(room)}.Temperature`),
    ])),
    // The server-room temperature here is the CRAC unit's return-air sensor.
    device('crac-1', { en: 'CRAC unit, Server room 501', 'zh-CN': '501机房 精密空调' }, `a/${floorOf(SERVER_ROOM)}/${SERVER_ROOM}`, [
      temp('temperature', 'Temperature', '温度', 'Air_Temperature_Sensor', `${envFolder(SERVER_ROOM)}.Temperature`),
      bin('crac-status', 'CRAC running', '精密空调运行', 'Run_Status', `${envFolder(SERVER_ROOM)}.CRACStatus`),
      bin('crac-fault', 'CRAC failure', '精密空调故障', 'Fault_Status', `${envFolder(SERVER_ROOM)}.CRACFault`),
    ]),
  ];
  return {
    connections: [{ id: CONNECTION, protocol: 'opcua', options: { endpointUrl: 'opc.tcp://127.0.0.1:4840', securityMode: 'None', securityPolicy: 'None', publishingIntervalMs: 1000 } }],
    devices,
  };
}

/** Block YAML, with the small maps (names, limits, sources, states) on one line each. */
export function toYaml(value: unknown): string {
  const doc = new Document(value);
  const flowKeys = new Set(['name', 'limits', 'source', 'options']);
  visit(doc, {
    Pair(_, pair) {
      if (isPair(pair) && isScalar(pair.key) && isMap(pair.value) && flowKeys.has(String(pair.key.value))) pair.value.flow = true;
    },
  });
  visit(doc, {
    Pair(_, pair) {
      if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === 'states' && isMap(pair.value)) {
        for (const item of pair.value.items) if (isMap(item.value)) item.value.flow = true;
      }
    },
  });
  return doc.toString({ lineWidth: 0 });
}

const HEADER = `# HVAC over OPC UA (simulators/opcua, namespace urn:watchfloor:hvac).
# GENERATED by scripts/gen-hvac-config.ts from simulators/opcua/plant.ts — edit there and re-run.
#
# Security: the demo uses securityMode None on loopback. For SignAndEncrypt set
#   securityMode: SignAndEncrypt
#   securityPolicy: Basic256Sha256
#   username: … / password: …            (optional; anonymous otherwise)
# On first connect the server certificate is refused and parked in
# data/opcua/pki/rejected/; the connection status names the file to move to
# data/opcua/pki/trusted/certs/. (trustServerCertificate: auto trusts on first use — lab only.)
# The simulator in turn refuses unknown clients: copy data/opcua/pki/own/certs/client_certificate.pem
# to data/opcua-sim/pki/trusted/certs/ (simulators/opcua/README.md, "Security").
`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, HEADER + toYaml(hvacConfig()));
  process.stdout.write(`wrote ${OUT}\n`);
}
