// Left navigation: site → building → floor → room, as plain links into the hash router.
import type { SiteTree } from '../../contracts/api.js';
import { h } from './dom.js';
import { localized, t } from './i18n.js';
import { hrefOf } from './router.js';

export interface TreeSelection {
  building?: string;
  floor?: string;
  room?: string;
}

/** Rooms are listed only under the selected floor, so a large site stays readable. */
export function renderSiteTree(site: SiteTree, selected: TreeSelection): HTMLElement {
  const buildings = site.buildings.map((building) =>
    h('li', { class: 'building', 'data-building': building.id },
      h('div', { class: 'tree-building' }, localized(building.name)),
      h('ul', { class: 'floors' },
        ...building.floors.map((floor) => {
          const isFloor = selected.building === building.id && selected.floor === floor.id;
          const link = h('a', {
            class: `tree-floor${isFloor && !selected.room ? ' active' : ''}`,
            href: hrefOf('floor', building.id, floor.id),
            'data-floor': floor.key,
            'aria-current': isFloor && !selected.room ? 'page' : false,
          }, localized(floor.name));
          if (!isFloor) return h('li', {}, link);
          const rooms = floor.rooms.map((room) => {
            const active = selected.room === room.id;
            return h('li', {}, h('a', {
              class: `tree-room${active ? ' active' : ''}`,
              href: hrefOf('floor', building.id, floor.id, room.id),
              'data-room': room.id,
              'aria-current': active ? 'page' : false,
            }, localized(room.name)));
          });
          return h('li', { class: 'open' }, link, h('ul', { class: 'rooms' }, ...rooms));
        }))));
  return h('nav', { class: 'site-tree', 'aria-label': t('nav.heading') },
    h('h2', { class: 'nav-heading' }, t('nav.heading')),
    h('ul', { class: 'buildings' }, ...buildings));
}
