// The npm BACnet stack's client class. The package is CommonJS with an ES `default` export; under
// Node's ESM loader the default import is the whole `module.exports`, so unwrap it once here.
import * as pkg from '@bacnet-js/client';

type Ctor = typeof pkg.default.default;
export type BacnetClient = InstanceType<Ctor>;
const mod = pkg as unknown as { default: { default?: Ctor } & Ctor };
export const BacnetClientCtor: Ctor = mod.default.default ?? mod.default;
