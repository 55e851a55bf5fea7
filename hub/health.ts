// Health probes registered by subsystems; the hub's /api/health combines them with driver statuses.
import type { ConnectionStatus } from '../contracts/driver.js';
import type { HealthRegistryLike } from './module.js';

export type ProbeResult = { ok: boolean; [k: string]: unknown };

export class HealthRegistry implements HealthRegistryLike {
  private readonly probes = new Map<string, () => ProbeResult>();

  register(name: string, probe: () => ProbeResult): void {
    if (this.probes.has(name)) throw new Error(`health component "${name}" is already registered`);
    this.probes.set(name, probe);
  }

  /** Runs every probe; a probe that throws reports not ok with the reason. */
  components(): Record<string, ProbeResult> {
    const out: Record<string, ProbeResult> = {};
    for (const [name, probe] of this.probes) {
      try {
        out[name] = probe();
      } catch (err) {
        out[name] = { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
    }
    return out;
  }
}

/** `degraded` when any component is not ok or any connection is not online. */
export function overallStatus(components: Record<string, ProbeResult>, drivers: ConnectionStatus[]): 'ok' | 'degraded' {
  const componentsOk = Object.values(components).every((c) => c.ok);
  const driversOk = drivers.every((d) => d.state === 'online');
  return componentsOk && driversOk ? 'ok' : 'degraded';
}
