// Modbus reconnect defaults. The delay itself comes from the one policy every driver uses
// (drivers/backoff.ts); `backoffDelay` is its old name here, same arguments and results.
import type { ReconnectPolicy } from '../backoff.js';

export { reconnectDelay as backoffDelay } from '../backoff.js';

export type BackoffOptions = Pick<ReconnectPolicy, 'initialMs' | 'maxMs'>;

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000 };
