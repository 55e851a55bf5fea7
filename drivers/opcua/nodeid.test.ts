import { describe, expect, it } from 'vitest';
import { parseNodeIdText, resolveNodeId, toNsuForm } from './nodeid.js';

describe('parseNodeIdText', () => {
  it.each([
    ['nsu=urn:watchfloor:hvac;s=AHU-1.SupplyAirTemp', { namespaceUri: 'urn:watchfloor:hvac', namespaceIndex: undefined, type: 's', identifier: 'AHU-1.SupplyAirTemp' }],
    ['ns=2;i=1001', { namespaceUri: undefined, namespaceIndex: 2, type: 'i', identifier: '1001' }],
    ['i=2258', { namespaceUri: undefined, namespaceIndex: 0, type: 'i', identifier: '2258' }],
    ['ns=3;s=a;b', { namespaceUri: undefined, namespaceIndex: 3, type: 's', identifier: 'a;b' }],
    ['ns=1;g=72962B91-FA75-4AE6-8D28-B404DC7DAF63', { namespaceUri: undefined, namespaceIndex: 1, type: 'g', identifier: '72962B91-FA75-4AE6-8D28-B404DC7DAF63' }],
  ])('%s', (text, expected) => expect(parseNodeIdText(text)).toEqual(expected));

  it.each([
    ['AHU-1.SupplyAirTemp', 'is not a NodeId'],
    ['ns=2;i=abc', 'numeric identifier must be digits'],
    ['ns=70000;i=1', 'out of range'],
    ['ns=1;g=xyz', 'GUID identifier malformed'],
    ['nsu=;s=x', 'is not a NodeId'],
  ])('refuses %s', (text, reason) => expect((parseNodeIdText(text) as { error: string }).error).toContain(reason));
});

describe('resolveNodeId', () => {
  const ns = ['http://opcfoundation.org/UA/', 'urn:server', 'urn:watchfloor:hvac'];
  it('maps the URI to today’s index', () => {
    expect(resolveNodeId(parseNodeIdText('nsu=urn:watchfloor:hvac;s=X') as never, ns)).toBe('ns=2;s=X');
    expect(resolveNodeId(parseNodeIdText('nsu=urn:watchfloor:hvac;s=X') as never, [ns[0], ns[2]])).toBe('ns=1;s=X');
  });
  it('keeps index forms', () => expect(resolveNodeId(parseNodeIdText('ns=5;i=7') as never, ns)).toBe('ns=5;i=7'));
  it('names a missing namespace', () => expect(() => resolveNodeId(parseNodeIdText('nsu=urn:x;s=X') as never, ns)).toThrow(/namespace "urn:x" not offered/));
  it('formats back to nsu=', () => {
    expect(toNsuForm('ns=2;s=AHU-1.FanStatus', ns)).toBe('nsu=urn:watchfloor:hvac;s=AHU-1.FanStatus');
    expect(toNsuForm('i=2258', ns)).toBe('i=2258');
  });
});
