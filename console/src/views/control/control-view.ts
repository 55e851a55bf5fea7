// #/control/:page?/:arg? — one route for the control pages; the page segment picks the module.
// A change of page remounts; a change of argument (the inspected point) is handled in place.
import type { ViewModule } from '../view.js';
import { broadcastView } from './broadcast-view.js';
import { energyView } from './energy-view.js';
import { lightingView } from './lighting-view.js';
import { overridesView } from './overrides-view.js';
import { schedulesView } from './schedules-view.js';

export const CONTROL_PAGES: Record<string, ViewModule> = {
  schedules: schedulesView,
  overrides: overridesView,
  lighting: lightingView,
  energy: energyView,
  broadcast: broadcastView,
};

/** The control pages as one view module for the route table: `.add('/control/:page?/:arg?', controlView)`. */
export const controlView: ViewModule = {
  id: 'control',
  mount(container, params, ctx) {
    const page = params.page && CONTROL_PAGES[params.page] ? params.page : 'schedules';
    const view = CONTROL_PAGES[page].mount(container, params, ctx);
    return {
      ...view,
      update(next) {
        const nextPage = next.page && CONTROL_PAGES[next.page] ? next.page : 'schedules';
        if (nextPage !== page) return false;
        return view.update?.(next) ?? true;
      },
      unmount: () => view.unmount(),
    };
  },
};
