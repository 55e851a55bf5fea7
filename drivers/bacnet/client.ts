// The npm BACnet stack's client class, loaded on first use: the driver is built (and the config
// checked) without loading the stack (docs/performance.md, "Cold start"). The package is CommonJS with
// an ES `default` export: required, that is the class itself.
import { createRequire } from 'node:module';

type Pkg = typeof import('@bacnet-js/client');
type Ctor = Pkg['default'];
export type BacnetClient = InstanceType<Ctor>;
let ctor: Ctor | undefined;
export function bacnetClientCtor(): Ctor {
  const mod = createRequire(import.meta.url)('@bacnet-js/client') as { default: { default?: Ctor } & Ctor };
  return (ctor ??= mod.default.default ?? mod.default);
}
