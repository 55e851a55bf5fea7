// Publishes what control detects as derived signals (drivers/derived): lamp faults of lighting
// circuits and the nightly water verdict. The `derived` driver turns them into samples of the
// points config/devices/derived.yaml declares, so they reach state, history and alarm rules.
import type { PointValue } from '../../contracts/point.js';
import type { DerivedSignalRegistry, PublishOptions } from '../../drivers/derived/signals.js';
import type { LampStatus, LightingController } from './lighting.js';
import type { LightingZone } from './lighting-schema.js';
import type { LeakEvent, WaterWatch } from './water.js';

/** The derived value of one nightly verdict: true = suspected leak; no verdict → null, uncertain. */
export function nightFlowReading(e: LeakEvent): { value: PointValue; opts: PublishOptions } {
  const r = e.result;
  const flow = r.minFlow === null ? '' : `, lowest flow ${r.minFlow} m³/h`;
  if (r.verdict === 'insufficient-data') {
    return { value: null, opts: { quality: 'uncertain', detail: `night of ${e.date}: only ${r.samples} readings, no verdict`, ts: e.ts } };
  }
  const detail = r.verdict === 'leak-suspected'
    ? `night of ${e.date}: flow never dropped to zero${flow} (≥ ${r.minimumLossM3 ?? '?'} m³ lost)`
    : `night of ${e.date}: flow dropped to zero${flow}`;
  const value = r.verdict === 'leak-suspected';
  // Holes in the night's data (comm_fail, a stale meter): a zero may have fallen into one.
  if (r.gaps && r.gaps.length > 0) {
    const first = r.gaps[0];
    const gapText = `${r.missingMin ?? '?'} min of the night without readings (comm_fail or gaps, ${r.gaps.length} stretch${r.gaps.length === 1 ? '' : 'es'}, the first ${new Date(first.from).toISOString()} – ${new Date(first.to).toISOString()})`;
    return { value, opts: { quality: 'uncertain', detail: `${detail}; not certain: ${gapText}`, ts: e.ts } };
  }
  return { value, opts: { detail, ts: e.ts } };
}

/**
 * The derived value of a zone's lamp-fault status. While the circuit's state or current is not
 * `good` the verdict is not current: the last one is kept but published `uncertain`, naming the input.
 */
export function lampFaultReading(s: LampStatus): { value: PointValue; opts: PublishOptions } {
  if (s.notCurrent) {
    return { value: s.fault, opts: { quality: 'uncertain', detail: `no current lamp-fault verdict: ${s.notCurrent} (last verdict: ${s.fault ? 'fault' : 'no fault'})`, ts: s.ts } };
  }
  return { value: s.fault, opts: s.fault && s.message ? { detail: s.message.en, ts: s.ts } : { ts: s.ts } };
}

export interface DerivedPublishing {
  close(): void;
}

/**
 * Registers control as the producer of `lamp-fault` (when lighting is configured) and
 * `night-flow-leak`, publishes the current state, and follows every change. close() withdraws
 * both producers: their points turn comm_fail ("producer gone").
 */
export function publishDerivedSignals(o: {
  lighting: LightingController | null;
  zones: readonly LightingZone[];
  water: WaterWatch;
  /** The hub's registry (HubContext.registries.derivedSignals). */
  registry: DerivedSignalRegistry;
  now: () => number;
}): DerivedPublishing {
  const registry = o.registry;
  const offs: Array<() => void> = [];

  if (o.lighting) {
    const lamps = registry.register('lamp-fault', { name: 'control/lighting' });
    for (const z of o.zones) {
      if (!z.current) lamps.publish(z.circuit, null, { quality: 'bad', detail: `lighting zone ${z.id} has no current point: lamp faults cannot be detected` });
    }
    const publish = (st: LampStatus) => {
      const { value, opts } = lampFaultReading(st);
      lamps.publish(st.circuit, value, opts);
    };
    for (const st of o.lighting.lampStatuses()) publish(st);
    offs.push(o.lighting.onLampStatus(publish));
    offs.push(() => lamps.close());
  }

  const leaks = registry.register('night-flow-leak', { name: 'control/water' });
  for (const m of o.water.meters) {
    const last = o.water.latest.get(m.id);
    if (last) {
      const { value, opts } = nightFlowReading(last);
      leaks.publish(m.id, value, opts);
    } else {
      leaks.publish(m.id, null, { quality: 'uncertain', detail: 'no night evaluated yet (the verdict comes after the night window ends)', ts: o.now() });
    }
  }
  offs.push(o.water.onEvaluated((e) => {
    const { value, opts } = nightFlowReading(e);
    leaks.publish(e.meter, value, opts);
  }));
  offs.push(() => leaks.close());

  return {
    close() {
      for (const off of offs.splice(0).reverse()) off();
    },
  };
}
