import { describe, expect, it } from 'vitest';
import { ModuleOrderError, startOrder, type OrderedModule } from './module-order.js';

const names = (ms: OrderedModule[]) => startOrder(ms).map((m) => m.name);

describe('module start order', () => {
  it.each<[string, OrderedModule[], string[]]>([
    ['no dependencies: list order', [{ name: 'a' }, { name: 'b' }, { name: 'c' }], ['a', 'b', 'c']],
    ['a dependency starts first', [{ name: 'alarms', dependsOn: ['control'] }, { name: 'control' }], ['control', 'alarms']],
    ['transitive', [{ name: 'c', dependsOn: ['b'] }, { name: 'b', dependsOn: ['a'] }, { name: 'a' }], ['a', 'b', 'c']],
    ['soft `after` orders when present', [{ name: 'alarms', after: ['control'] }, { name: 'history' }, { name: 'control' }], ['control', 'alarms', 'history']],
    ['soft `after` is ignored when absent', [{ name: 'alarms', after: ['control', 'video'] }, { name: 'history' }], ['alarms', 'history']],
    ['diamond, each once', [{ name: 'd', dependsOn: ['b', 'c'] }, { name: 'b', dependsOn: ['a'] }, { name: 'c', dependsOn: ['a'] }, { name: 'a' }], ['a', 'b', 'c', 'd']],
  ])('%s', (_name, modules, want) => {
    expect(names(modules)).toEqual(want);
  });

  it.each<[string, OrderedModule[], string]>([
    ['a missing dependency', [{ name: 'alarms', dependsOn: ['control'] }, { name: 'history' }], 'module "alarms" depends on "control", which is not in the hub\'s modules (alarms, history)'],
    ['a cycle', [{ name: 'a', dependsOn: ['b'] }, { name: 'b', dependsOn: ['c'] }, { name: 'c', dependsOn: ['a'] }], 'module start order has a cycle: a → b → c → a'],
    ['a cycle through `after`', [{ name: 'a', after: ['b'] }, { name: 'b', dependsOn: ['a'] }], 'module start order has a cycle: a → b → a'],
    ['a module depending on itself', [{ name: 'a', dependsOn: ['a'] }], 'module start order has a cycle: a → a'],
    ['two modules with one name', [{ name: 'a' }, { name: 'a' }], 'two modules are named "a"'],
  ])('refuses %s', (_name, modules, message) => {
    expect(() => startOrder(modules)).toThrow(ModuleOrderError);
    expect(() => startOrder(modules)).toThrow(message);
  });
});
