// The contract between the shell and a view module. A new view (/wall, /trends, /alarms)
// implements ViewModule and is added to the route table in app.ts; nothing else changes.
import type { SessionInfo, SiteTree } from '../../../contracts/api.js';
import type { ApiClient } from '../api.js';
import type { LinkState, LiveLink } from '../live.js';
import type { RouteParams } from '../router.js';

export interface ViewContext {
  api: ApiClient;
  session: SessionInfo;
  site: SiteTree;
  live: LiveLink;
}

export interface MountedView {
  /** Same view, new params (e.g. another room of the same floor): return true if handled in place. */
  update?(params: RouteParams): boolean;
  /** The language changed: redraw every text. */
  relabel?(): void;
  /** The live link went up or down: views dim live values while it is down. */
  setLinkState?(state: LinkState): void;
  unmount(): void;
}

export interface ViewModule {
  id: string;
  mount(container: HTMLElement, params: RouteParams, ctx: ViewContext): MountedView;
}
