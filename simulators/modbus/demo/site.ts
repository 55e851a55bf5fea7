// The demo site's floors and rooms (Tower A of the Municipal Administrative Center). Room ids are
// shared with the OPC UA HVAC simulator and the floor plans: never rename an id, only its names.
import type { Localized } from '../datasheet.js';

export type RoomType = 'lobby' | 'office' | 'meeting' | 'archive' | 'weak-current' | 'server' | 'corridor' | 'plant' | 'parking' | 'restroom';

export interface RoomRow {
  id: string;
  type: RoomType;
  name: Localized;
}

export interface FloorRow {
  id: string;
  level: number;
  name: Localized;
  rooms: RoomRow[];
}

const r = (id: string, type: RoomType, en: string, zh: string): RoomRow => ({ id, type, name: { en, 'zh-CN': zh } });

/** Offices, meeting room, weak-current room, corridor and restroom of a standard office floor. */
function officeFloor(n: number, zhFloor: string, offices: number[], meeting: number, weak: number, extra: RoomRow[] = []): FloorRow {
  return {
    id: `l0${n}`,
    level: n,
    name: { en: `Level ${n}`, 'zh-CN': zhFloor },
    rooms: [
      ...offices.map((o) => r(`office-${o}`, 'office', `Office ${o}`, `办公室 ${o}`)),
      ...extra,
      r(`meeting-${meeting}`, 'meeting', `Meeting room ${meeting}`, `会议室 ${meeting}`),
      r(`weak-${weak}`, 'weak-current', `Low-voltage room ${weak}`, `弱电间 ${weak}`),
      r(`corridor-l${n}`, 'corridor', `Level ${n} corridor`, `${zhFloor}走廊`),
      r(`restroom-l${n}`, 'restroom', `Level ${n} restrooms`, `${zhFloor}卫生间`),
    ],
  };
}

export const SITE = {
  id: 'hq',
  name: { en: 'Municipal Administrative Center', 'zh-CN': '市行政中心' },
  timezone: 'Asia/Shanghai',
  building: { id: 'a', name: { en: 'Tower A', 'zh-CN': 'A座' } },
};

export const FLOORS: FloorRow[] = [
  {
    id: 'b1',
    level: -1,
    name: { en: 'Basement 1', 'zh-CN': '地下一层' },
    rooms: [
      r('parking-b1', 'parking', 'B1 car park', '地下停车场'),
      r('pump-b101', 'plant', 'Pump room B101', '水泵房 B101'),
      r('power-b102', 'plant', 'Switchgear room B102', '配电室 B102'),
      r('archive-b103', 'archive', 'Archive store B103', '档案库 B103'),
      r('weak-b104', 'weak-current', 'Low-voltage room B104', '弱电间 B104'),
      r('plant-b105', 'plant', 'Chiller plant B105', '冷冻机房 B105'),
      r('corridor-b1', 'corridor', 'B1 corridor', '地下一层走廊'),
    ],
  },
  {
    id: 'l01',
    level: 1,
    name: { en: 'Level 1', 'zh-CN': '一层' },
    rooms: [
      r('lobby-101', 'lobby', 'Main lobby', '大堂'),
      r('security-102', 'office', 'Security control room', '安防监控中心'),
      r('meeting-103', 'meeting', 'Multi-function hall', '多功能厅'),
      r('weak-104', 'weak-current', 'Low-voltage room 104', '弱电间 104'),
      r('corridor-l1', 'corridor', 'Level 1 corridor', '一层走廊'),
      r('restroom-l1', 'restroom', 'Level 1 restrooms', '一层卫生间'),
    ],
  },
  officeFloor(2, '二层', [201, 202, 203], 204, 205),
  officeFloor(3, '三层', [301, 302], 304, 305, [r('archive-303', 'archive', 'Records room 303', '档案室 303')]),
  officeFloor(4, '四层', [401, 402, 403], 404, 405),
  {
    id: 'l05',
    level: 5,
    name: { en: 'Level 5', 'zh-CN': '五层' },
    rooms: [
      r('server-501', 'server', 'Server room 501', '机房 501'),
      r('weak-502', 'weak-current', 'Low-voltage room 502', '弱电间 502'),
      r('office-503', 'office', "Leaders' office 503", '领导办公室 503'),
      r('meeting-505', 'meeting', 'Large conference room 505', '会议室 505'),
      r('corridor-l5', 'corridor', 'Level 5 corridor', '五层走廊'),
      r('restroom-l5', 'restroom', 'Level 5 restrooms', '五层卫生间'),
    ],
  },
];
