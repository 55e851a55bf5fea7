// The order modules start in: every module after the ones it `dependsOn` (which must be present)
// and after the ones it starts `after` (when present); otherwise in list order. Pure.

export interface OrderedModule {
  name: string;
  dependsOn?: readonly string[];
  after?: readonly string[];
}

export class ModuleOrderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModuleOrderError';
  }
}

/** Start order (stop in reverse). Throws a ModuleOrderError naming a duplicate, a missing dependency or a cycle. */
export function startOrder<M extends OrderedModule>(modules: readonly M[]): M[] {
  const byName = new Map<string, M>();
  for (const m of modules) {
    if (byName.has(m.name)) throw new ModuleOrderError(`two modules are named "${m.name}"`);
    byName.set(m.name, m);
  }
  const edges = new Map<string, string[]>(); // module → modules that must start before it
  for (const m of modules) {
    for (const d of m.dependsOn ?? []) {
      if (!byName.has(d)) {
        throw new ModuleOrderError(`module "${m.name}" depends on "${d}", which is not in the hub's modules (${[...byName.keys()].join(', ') || 'none'})`);
      }
    }
    edges.set(m.name, [...(m.dependsOn ?? []), ...(m.after ?? []).filter((a) => byName.has(a))]);
  }
  const out: M[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name];
      throw new ModuleOrderError(`module start order has a cycle: ${cycle.join(' → ')}`);
    }
    state.set(name, 'visiting');
    for (const before of edges.get(name) ?? []) visit(before, [...path, name]);
    state.set(name, 'done');
    out.push(byName.get(name)!);
  };
  // Depth-first in list order keeps the given order wherever no dependency says otherwise.
  for (const m of modules) visit(m.name, []);
  return out;
}
