// mqtt.js loads on first use: a hub without MQTT connections or edge agents never pays its import
// (~0.3 s of CPU at start-up, docs/performance.md "Cold start").
type Mqtt = typeof import('mqtt').default;

let lib: Mqtt | undefined;

export async function loadMqtt(): Promise<Mqtt> {
  return (lib ??= (await import('mqtt')).default);
}

/** The library if loadMqtt() has resolved, else undefined. */
export function loadedMqtt(): Mqtt | undefined {
  return lib;
}
