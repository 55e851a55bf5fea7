// Route-level code splitting: a view whose code is a separate chunk, fetched with import() the
// first time its route is shown (or earlier, by preload()). The boot chunk then holds only the
// shell, so a phone opening #/decision does not parse the control, alarms, video... views first.
// Until the chunk is there the view shows a placeholder; a route left before that never mounts.
import type { LinkState } from '../live.js';
import type { RouteParams } from '../router.js';
import { h, setText } from '../dom.js';
import { t } from '../i18n.js';
import type { MountedView, ViewContext, ViewModule } from './view.js';

export interface LazyView extends ViewModule {
  /** Starts fetching the view's chunk (idempotent); the app calls it at boot for the current route. */
  preload(): Promise<ViewModule>;
  /** GET paths the view asks for first: the app may start them in parallel with the session check. */
  readonly firstData: readonly string[];
}

export function lazyView(id: string, load: () => Promise<ViewModule>, firstData: readonly string[] = []): LazyView {
  let loaded: ViewModule | null = null;
  let loading: Promise<ViewModule> | null = null;
  const preload = () => {
    // A failed import (hub restarted with a new build, network blip) is retried on the next mount.
    loading ??= load().then((m) => (loaded = m), (err: unknown) => {
      loading = null;
      throw err;
    });
    return loading;
  };
  return {
    id,
    firstData,
    preload,
    mount(container, params, ctx) {
      if (loaded) return loaded.mount(container, params, ctx);
      return mountWhenLoaded(container, params, ctx, preload);
    },
  };
}

/** The placeholder that becomes the real view; it keeps the latest params, language and link state. */
function mountWhenLoaded(container: HTMLElement, first: RouteParams, ctx: ViewContext, preload: () => Promise<ViewModule>): MountedView {
  let failed: string | null = null;
  const status = h('p', { class: 'view-status' });
  const draw = () => setText(status, failed === null ? t('view.loading') : t('view.loadFailed', { message: failed }));
  container.replaceChildren(status);
  draw();
  let params = first;
  let link: LinkState | null = null;
  let real: MountedView | null = null;
  let gone = false;
  preload().then(
    (module) => {
      if (gone) return;
      real = module.mount(container, params, ctx);
      if (link) real.setLinkState?.(link);
    },
    (err: unknown) => {
      failed = err instanceof Error ? err.message : String(err);
      if (!gone) draw();
    },
  );
  return {
    // Before the chunk is there the new params are simply the ones it will mount with.
    update: (next) => (real ? (real.update?.(next) ?? false) : ((params = next), true)),
    relabel: () => (real ? real.relabel?.() : draw()),
    setLinkState(state) {
      link = state;
      real?.setLinkState?.(state);
    },
    unmount() {
      gone = true;
      real?.unmount();
    },
  };
}
