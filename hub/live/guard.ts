// Socket.IO handlers run inside engine.io's packet callbacks: a synchronous throw there, or a
// rejected promise nobody awaits, would be an uncaught exception and end the hub process.
// Every client→server handler and the handshake middleware go through `guarded`, which turns
// a failure into one warn line (message only, no stack: the input is hostile, not a hub bug
// worth a trace per packet) and a refusal to the client.
import type { HubLogger } from '../module.js';

type Ack = (res: { ok: false; error: string }) => void;

/** The message of anything thrown, on one line, bounded (hostile input may be huge). */
export function errorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.split('\n')[0].slice(0, 300);
}

/**
 * Wraps an event handler: a throw or rejection is logged once at warn and, when the client sent
 * an acknowledgement callback (the last argument), answered `{ ok: false, error }`.
 */
export function guarded<A extends unknown[]>(log: Pick<HubLogger, 'warn'>, event: string, fn: (...args: A) => unknown): (...args: A) => void {
  return (...args: A) => {
    const fail = (err: unknown) => {
      log.warn({ event, error: errorText(err) }, 'socket event handler failed');
      const ack = args.at(-1);
      if (typeof ack === 'function') {
        try {
          (ack as Ack)({ ok: false, error: `${event} failed; see the hub log` });
        } catch {
          // The socket is gone; nothing to tell.
        }
      }
    };
    try {
      const r = fn(...args);
      if (r && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).then(undefined, fail);
    } catch (err) {
      fail(err);
    }
  };
}
