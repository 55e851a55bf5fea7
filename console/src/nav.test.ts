import { describe, expect, it } from 'vitest';
import { NAV, currentNavId, phoneTabs, visibleEntries, type NavEntry } from './nav.js';

const entry = (id: string, phone = false, permission?: string): NavEntry => ({ id, label: 'nav.alarms', href: () => `#/${id}`, icon: '•', phone, permission });

describe('the navigation registry', () => {
  it('puts the first phone entries in the tab bar and the rest under More', () => {
    const list = [entry('alarms', true), entry('wall'), entry('cameras', true), entry('workorders', true), entry('patrols', true), entry('trends', true)];
    const { tabs, more } = phoneTabs(list, 4);
    expect(tabs.map((e) => e.id)).toEqual(['alarms', 'cameras', 'workorders', 'patrols']);
    expect(more.map((e) => e.id)).toEqual(['wall', 'trends']);
  });
  it('hides entries the user has no permission for', () => {
    expect(visibleEntries([entry('a'), entry('admin', false, 'config:reload')], ['points:read']).map((e) => e.id)).toEqual(['a']);
  });
  it.each([
    ['#/alarms/journal', 'alarms'],
    ['#/wall/a?cycle=30', 'wall'],
    ['#/', 'floor'],
    ['', 'floor'],
  ])('%s is the %s page', (hash, id) => expect(currentNavId(hash)).toBe(id));
  it('has unique ids and alarms first on the phone', () => {
    expect(new Set(NAV.map((e) => e.id)).size).toBe(NAV.length);
    expect(phoneTabs(NAV).tabs[0].id).toBe('alarms');
  });
});
