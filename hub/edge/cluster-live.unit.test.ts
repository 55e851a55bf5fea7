// The pure parts of the cluster live push: a point's building, and merging other hubs' statuses.
import { describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../../contracts/driver.js';
import { buildingOfPoint, mergeStatuses } from './cluster-live.js';

const st = (connection: string, state: ConnectionStatus['state'], since = 1): ConnectionStatus => ({ connection, protocol: 'modbus', state, since });
const buildingOf = new Map([['gw-a', 'a'], ['gw-b', 'b'], ['gw-c', 'c']]);
const edge = new Set(['b', 'c']);

describe('buildingOfPoint', () => {
  it.each([
    ['hq/b/l01/r101/ahu/temp', 'b'],
    ['hq/b', 'b'],
    ['hq', ''],
    ['', ''],
  ])('%s → %s', (id, b) => expect(buildingOfPoint(id)).toBe(b));
});

describe('mergeStatuses', () => {
  it.each([
    {
      name: 'a building without an edge agent keeps this hub\'s status, whatever others say',
      local: [st('gw-a', 'online')], mine: [], remote: [{ hub: 'h2', owned: ['b'], statuses: [st('gw-a', 'offline')] }],
      want: [st('gw-a', 'online')],
    },
    {
      name: 'an edge building this hub owns keeps this hub\'s status',
      local: [st('gw-b', 'online')], mine: ['b'], remote: [{ hub: 'h2', owned: [], statuses: [st('gw-b', 'offline')] }],
      want: [st('gw-b', 'online')],
    },
    {
      name: 'an edge building another hub owns takes the owner\'s status',
      local: [st('gw-b', 'connecting')], mine: [], remote: [{ hub: 'h2', owned: ['b'], statuses: [st('gw-b', 'online', 5)] }],
      want: [st('gw-b', 'online', 5)],
    },
    {
      name: 'a non-owner\'s report is ignored',
      local: [st('gw-b', 'connecting')], mine: [], remote: [{ hub: 'h2', owned: ['c'], statuses: [st('gw-b', 'online')] }],
      want: [st('gw-b', 'connecting')],
    },
    {
      name: 'a connection this hub never reported comes from its owner',
      local: [st('gw-a', 'online')], mine: [], remote: [{ hub: 'h2', owned: ['c'], statuses: [st('gw-c', 'offline')] }],
      want: [st('gw-a', 'online'), st('gw-c', 'offline')],
    },
  ])('$name', ({ local, mine, remote, want }) => {
    expect(mergeStatuses(local, new Set(mine), edge, buildingOf, remote)).toEqual(want);
  });
});
