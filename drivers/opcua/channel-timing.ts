// Timers of one client channel, derived from the connection options.
//
// node-opcua's `transportTimeout` is NOT a request timeout: it is the idle
// timeout of the TCP socket (no byte read or written for that long → the
// socket is destroyed and the client emits `connection_lost`). A healthy
// channel is legitimately silent for up to one keep-alive period (subscription:
// publishingIntervalMs × 10, 10 s by default; session: SESSION_KEEPALIVE_MS),
// so the idle timeout must be several of those periods — never requestTimeoutMs
// (it once was, and the demo connection dropped as soon as the plant settled
// inside its deadbands). A dead server is detected by requests timing out
// instead: the session keep-alive read every SESSION_KEEPALIVE_MS of silence
// fails after requestTimeoutMs and the driver reconnects.
import { MAX_KEEP_ALIVE_COUNT, type OpcuaConnectionOptions } from './schema.js';

/** Session timeout the client asks for (at least; see sessionTimeoutFor). */
export const SESSION_TIMEOUT_MS = 60_000;

/**
 * The session must outlive two subscription keep-alive periods (publishing interval × keep-alive
 * count): node-opcua refuses a subscription whose keep-alive period exceeds the session timeout
 * ("NODE-OPCUA-W09"), so with a fixed 60 s any publishing interval above 6 s could not connect.
 */
export function sessionTimeoutFor(publishingIntervalMs: number | undefined): number {
  return Math.max(SESSION_TIMEOUT_MS, 2 * MAX_KEEP_ALIVE_COUNT * (publishingIntervalMs ?? 0));
}
/**
 * Session keep-alive check period: node-opcua reads the server state whenever
 * the server has been silent for half of it, so the client writes to the socket
 * at least this often even on a connection with nothing else to say.
 */
export const SESSION_KEEPALIVE_MS = 20_000;
/** Keep-alive periods of silence tolerated before the socket is given up. */
export const SILENT_PERIODS_TOLERATED = 3;

export interface ChannelTiming {
  /** Socket idle timeout (node-opcua `transportTimeout`). */
  transportTimeoutMs: number;
  /** Timeout of one request (node-opcua `defaultTransactionTimeout`) and of connecting. */
  requestTimeoutMs: number;
  /** node-opcua `keepAliveInterval` of the session. */
  sessionKeepAliveMs: number;
  /** node-opcua `requestedSessionTimeout`. */
  sessionTimeoutMs: number;
}

export function channelTiming(o: Pick<OpcuaConnectionOptions, 'requestTimeoutMs'> & Partial<Pick<OpcuaConnectionOptions, 'publishingIntervalMs'>>): ChannelTiming {
  return {
    // The session keep-alive bounds every silence (a subscription keep-alive only
    // shortens it), and a keep-alive request may itself take a request timeout.
    transportTimeoutMs: SILENT_PERIODS_TOLERATED * (SESSION_KEEPALIVE_MS + o.requestTimeoutMs),
    requestTimeoutMs: o.requestTimeoutMs,
    sessionKeepAliveMs: SESSION_KEEPALIVE_MS,
    sessionTimeoutMs: sessionTimeoutFor(o.publishingIntervalMs),
  };
}
