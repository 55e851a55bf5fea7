// The demo's Modbus equipment, one gateway per floor. This one table produces both
// simulators/modbus/demo.yaml (what the simulator serves) and config/devices/modbus.yaml
// (what the hub polls) — see scripts/gen-demo-config.ts.
import type { Localized } from '../datasheet.js';

export interface UnitRow {
  unit: number;
  model: string;
  /** Equipment id in the config. */
  device: string;
  room: string;
  name: Localized;
  options: Record<string, unknown>;
}

export interface GatewayRow {
  id: string;
  floor: string;
  port: number;
  units: UnitRow[];
}

type Circuit = { id: string; name: Localized; ratedA: number; dimmable?: boolean; alwaysOn?: boolean };
const c = (id: string, en: string, zh: string, ratedA: number, flags: { dimmable?: boolean; alwaysOn?: boolean } = {}): Circuit => ({
  id, name: { en, 'zh-CN': zh }, ratedA, ...flags,
});

/** Circuits every office floor has besides its rooms. */
const common = (n: number): Circuit[] => [
  c('corridor', `Level ${n} corridor`, '走廊', 3, { alwaysOn: true }),
  c('restroom', 'Restrooms', '卫生间', 1.5),
  c('pantry', 'Pantry', '茶水间', 1.5),
  c('weak-room', 'Low-voltage room', '弱电间', 1),
  c('stairs', 'Stairwells', '楼梯间', 1.5, { alwaysOn: true }),
  c('emergency', 'Emergency lighting', '应急照明', 2, { alwaysOn: true }),
];

const windows = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ id: `window-${i + 1}`, name: { en: `Window ${i + 1}`, 'zh-CN': `${i + 1}号窗` } }));

const meter = (floor: string, room: string, enFloor: string, zhFloor: string, dayKw: number, nightKw: number, initialKwh: number): UnitRow => ({
  unit: 1, model: 'power-meter', device: `meter-${floor}`, room,
  name: { en: `${enFloor} power meter`, 'zh-CN': `${zhFloor}总电表` },
  options: { dayKw, nightKw, lightingUnit: 2, initialKwh },
});
const panel = (floor: string, room: string, enFloor: string, zhFloor: string, circuits: Circuit[]): UnitRow => ({
  unit: 2, model: 'lighting-panel', device: `lighting-${floor}`, room,
  name: { en: `${enFloor} lighting panel`, 'zh-CN': `${zhFloor}照明配电箱` }, options: { circuits },
});
const leak = (unit: number, device: string, room: string, en: string, zh: string, battery: number): UnitRow => ({
  unit, model: 'leak-sensor', device, room, name: { en, 'zh-CN': zh }, options: { battery },
});
const door = (unit: number, device: string, room: string, en: string, zh: string, traffic: 'busy' | 'normal' | 'secure', lock = true): UnitRow => ({
  unit, model: 'door-contact', device, room, name: { en, 'zh-CN': zh }, options: { traffic, lock },
});
const win = (unit: number, room: string, en: string, zh: string, count: number): UnitRow => ({
  unit, model: 'window-contacts', device: 'windows', room, name: { en: `${en} windows`, 'zh-CN': `${zh}窗户` }, options: { windows: windows(count) },
});
const env = (unit: number, room: string, en: string, zh: string, temperature: number, humidity: number): UnitRow => ({
  unit, model: 'env-sensor', device: 'env-1', room, name: { en: `${en} temperature & humidity`, 'zh-CN': `${zh}温湿度` }, options: { temperature, humidity },
});

function officeFloor(n: number, zhFloor: string, offices: number[], meeting: number, weak: number, extraCircuits: Circuit[], extraUnits: UnitRow[]): GatewayRow {
  const floor = `l0${n}`;
  const weakRoom = `weak-${weak}`;
  return {
    id: `modbus-gw-${floor}`,
    floor,
    port: 15021 + n,
    units: [
      meter(floor, weakRoom, `Level ${n}`, zhFloor, 26 + offices.length * 2, 6, 300000 + n * 41234.5),
      panel(floor, weakRoom, `Level ${n}`, zhFloor, [
        ...offices.map((o, i) => c(`office-${o}`, `Office ${o}`, `办公室${o}`, 4, { dimmable: i < 2 })),
        ...extraCircuits,
        c(`meeting-${meeting}`, `Meeting room ${meeting}`, `会议室${meeting}`, 3, { dimmable: true }),
        ...common(n),
      ]),
      leak(3, 'leak-1', weakRoom, `Low-voltage room ${weak} leak sensor`, `弱电间${weak}漏水传感器`, 90 - n * 3),
      door(4, 'door-1', weakRoom, `Low-voltage room ${weak} door`, `弱电间${weak}门禁`, 'secure'),
      ...offices.map((o, i) => win(5 + i, `office-${o}`, `Office ${o}`, `办公室${o}`, i === offices.length - 1 ? 2 : 3)),
      ...extraUnits,
    ],
  };
}

export const GATEWAYS: GatewayRow[] = [
  {
    id: 'modbus-gw-b1',
    floor: 'b1',
    port: 15021,
    units: [
      meter('b1', 'power-b102', 'B1', '地下一层', 60, 35, 812345.6),
      panel('b1', 'weak-b104', 'B1', '地下一层', [
        c('parking-a', 'Car park zone A', '停车场A区', 12, { dimmable: true, alwaysOn: true }),
        c('parking-b', 'Car park zone B', '停车场B区', 12, { alwaysOn: true }),
        c('ramp', 'Car park ramp', '车道坡道', 4, { alwaysOn: true }),
        c('corridor', 'B1 corridor', '走廊', 3, { alwaysOn: true }),
        c('pump-room', 'Pump room', '水泵房', 2),
        c('power-room', 'Switchgear room', '配电室', 2),
        c('archive', 'Archive store', '档案库', 3, { dimmable: true }),
        c('weak-room', 'Low-voltage room', '弱电间', 1),
        c('chiller-plant', 'Chiller plant', '冷冻机房', 5),
        c('stairs', 'Stairwells', '楼梯间', 1.5, { alwaysOn: true }),
        c('emergency', 'Emergency lighting', '应急照明', 2, { alwaysOn: true }),
      ]),
      leak(3, 'leak-1', 'pump-b101', 'Pump room leak sensor', '水泵房漏水传感器', 93),
      { unit: 4, model: 'water-meter', device: 'water-main', room: 'pump-b101', name: { en: 'Main water meter', 'zh-CN': '总水表' }, options: { dayM3h: 6, nightM3h: 0.4, leakUnit: 3, initialM3: 45678.9 } },
      leak(5, 'leak-1', 'archive-b103', 'Archive store leak sensor', '档案库漏水传感器', 88),
      leak(6, 'leak-1', 'weak-b104', 'Low-voltage room B104 leak sensor', '弱电间B104漏水传感器', 97),
      leak(7, 'leak-1', 'plant-b105', 'Chiller plant leak sensor', '冷冻机房漏水传感器', 76),
      env(8, 'archive-b103', 'Archive store', '档案库', 18, 50),
      door(9, 'door-1', 'archive-b103', 'Archive store door', '档案库门禁', 'secure'),
      door(10, 'door-1', 'weak-b104', 'Low-voltage room B104 door', '弱电间B104门禁', 'secure'),
      door(11, 'door-1', 'power-b102', 'Switchgear room door', '配电室门禁', 'secure'),
      door(12, 'door-1', 'pump-b101', 'Pump room door', '水泵房门磁', 'normal', false),
    ],
  },
  {
    id: 'modbus-gw-l01',
    floor: 'l01',
    port: 15022,
    units: [
      meter('l01', 'weak-104', 'Level 1', '一层', 45, 8, 402211.3),
      panel('l01', 'weak-104', 'Level 1', '一层', [
        c('lobby', 'Main lobby', '大堂', 10, { dimmable: true, alwaysOn: true }),
        c('lobby-feature', 'Lobby feature lights', '大堂装饰灯', 4, { dimmable: true }),
        c('entrance', 'Entrance canopy', '入口雨棚', 2, { alwaysOn: true }),
        c('security-room', 'Security control room', '安防监控中心', 2, { alwaysOn: true }),
        c('hall', 'Multi-function hall', '多功能厅', 8, { dimmable: true }),
        c('hall-stage', 'Hall stage', '多功能厅舞台', 5),
        c('facade', 'Facade floodlights', '外立面泛光', 8),
        c('corridor', 'Level 1 corridor', '走廊', 3, { alwaysOn: true }),
        c('restroom', 'Restrooms', '卫生间', 1.5),
        c('weak-room', 'Low-voltage room', '弱电间', 1),
        c('stairs', 'Stairwells', '楼梯间', 1.5, { alwaysOn: true }),
        c('emergency', 'Emergency lighting', '应急照明', 2, { alwaysOn: true }),
      ]),
      leak(3, 'leak-1', 'weak-104', 'Low-voltage room 104 leak sensor', '弱电间104漏水传感器', 91),
      door(4, 'door-1', 'weak-104', 'Low-voltage room 104 door', '弱电间104门禁', 'secure'),
      door(5, 'main-entrance', 'lobby-101', 'Main entrance', '大堂正门', 'busy'),
      door(6, 'door-1', 'security-102', 'Security control room door', '安防监控中心门禁', 'normal'),
      // Gate barriers' contacts, wired to the security room's I/O (drawn at the gates on the site map, config/sitemap.geojson).
      door(7, 'gate-south', 'security-102', 'South gate barrier', '南门道闸', 'busy', false),
      door(8, 'gate-north', 'security-102', 'North gate barrier', '北门道闸', 'normal', false),
      door(9, 'gate-car-park', 'security-102', 'Car park barrier', '停车场道闸', 'busy', false),
    ],
  },
  officeFloor(2, '二层', [201, 202, 203], 204, 205, [], [win(8, 'meeting-204', 'Meeting room 204', '会议室204', 2)]),
  officeFloor(3, '三层', [301, 302], 304, 305, [c('archive-303', 'Records room 303', '档案室303', 2)], [
    leak(7, 'leak-1', 'archive-303', 'Records room 303 leak sensor', '档案室303漏水传感器', 84),
    env(8, 'archive-303', 'Records room 303', '档案室303', 20, 50),
    door(9, 'door-1', 'archive-303', 'Records room 303 door', '档案室303门禁', 'secure'),
  ]),
  officeFloor(4, '四层', [401, 402, 403], 404, 405, [], []),
  {
    id: 'modbus-gw-l05',
    floor: 'l05',
    port: 15026,
    units: [
      meter('l05', 'weak-502', 'Level 5', '五层', 55, 32, 655432.1),
      panel('l05', 'weak-502', 'Level 5', '五层', [
        c('server-room', 'Server room', '机房', 4),
        c('office-503', "Leaders' office", '领导办公室', 4, { dimmable: true }),
        c('meeting-505', 'Large conference room', '大会议室', 6, { dimmable: true }),
        c('meeting-505-screen', 'Conference screen wall', '会议室屏幕区', 2, { dimmable: true }),
        c('corridor', 'Level 5 corridor', '走廊', 3, { alwaysOn: true }),
        c('restroom', 'Restrooms', '卫生间', 1.5),
        c('pantry', 'Pantry', '茶水间', 1.5),
        c('weak-room', 'Low-voltage room', '弱电间', 1),
        c('stairs', 'Stairwells', '楼梯间', 1.5, { alwaysOn: true }),
        c('emergency', 'Emergency lighting', '应急照明', 2, { alwaysOn: true }),
        c('rooftop-sign', 'Rooftop sign', '屋顶标识灯', 3),
      ]),
      leak(3, 'leak-1', 'weak-502', 'Low-voltage room 502 leak sensor', '弱电间502漏水传感器', 89),
      leak(4, 'leak-1', 'server-501', 'Server room leak sensor', '机房漏水传感器', 95),
      env(5, 'server-501', 'Server room', '机房', 23, 45),
      door(6, 'door-1', 'server-501', 'Server room door', '机房门禁', 'secure'),
      door(7, 'door-1', 'weak-502', 'Low-voltage room 502 door', '弱电间502门禁', 'secure'),
      door(8, 'door-1', 'office-503', "Leaders' office door", '领导办公室门禁', 'normal'),
      win(9, 'office-503', "Leaders' office", '领导办公室', 4),
    ],
  },
];
