// Building one node-opcua client + session from connection options (shared by
// the driver and the browse tool).
import type { ClientSession } from 'node-opcua-client';
import { MessageSecurityMode, OPCUAClient, SecurityPolicy, UserTokenType } from './lib.js';
import { createClientCertificateManager, isUntrustedCertificateError, untrustedCertificateMessage } from './pki.js';
import type { OpcuaConnectionOptions } from './schema.js';
import { channelTiming } from './channel-timing.js';

const MODES = { None: MessageSecurityMode.None, Sign: MessageSecurityMode.Sign, SignAndEncrypt: MessageSecurityMode.SignAndEncrypt } as const;
const POLICIES = { None: SecurityPolicy.None, Basic256Sha256: SecurityPolicy.Basic256Sha256 } as const;

/** The server certificate is not trusted; the message says which file to move. */
export class UntrustedError extends Error {}

export function makeClient(o: OpcuaConnectionOptions, pkiDir: string): OPCUAClient {
  const t = channelTiming(o);
  return OPCUAClient.create({
    applicationName: 'Watchfloor',
    endpointMustExist: false,
    securityMode: MODES[o.securityMode],
    securityPolicy: POLICIES[o.securityPolicy],
    clientCertificateManager: createClientCertificateManager(pkiDir, o.trustServerCertificate),
    // The driver owns reconnection (a fresh client per attempt): node-opcua must not retry on its own.
    connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
    requestedSessionTimeout: t.sessionTimeoutMs,
    keepSessionAlive: true,
    keepAliveInterval: t.sessionKeepAliveMs,
    // The socket's idle timeout, not a request timeout: see channel-timing.ts.
    transportTimeout: t.transportTimeoutMs,
    defaultTransactionTimeout: t.requestTimeoutMs,
  } as Parameters<typeof OPCUAClient.create>[0]);
}

/**
 * Connects (TCP, Hello/Acknowledge, OpenSecureChannel) within requestTimeoutMs.
 * node-opcua would wait half the (long) socket idle timeout for a host that
 * drops packets, and the whole of it for one that accepts TCP but never
 * answers. On timeout the caller disconnects the client.
 */
export async function connectClient(client: OPCUAClient, o: OpcuaConnectionOptions, pkiDir: string): Promise<void> {
  // Our own certificate is created (RSA key generation, seconds on a busy
  // machine) before the clock starts: that is local work, not the server's answer.
  await (client as unknown as { initializeCM(): Promise<void> }).initializeCM();
  let timer: NodeJS.Timeout | undefined;
  const connecting = client.connect(o.endpointUrl);
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to connect within ${o.requestTimeoutMs} ms`)), o.requestTimeoutMs);
  });
  connecting.catch(() => undefined); // settles after a timeout; the race already reported it
  try {
    await Promise.race([connecting, timedOut]);
  } catch (err) {
    if (isUntrustedCertificateError(err)) throw new UntrustedError(untrustedCertificateMessage(pkiDir, o.endpointUrl));
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

export function openSession(client: OPCUAClient, o: OpcuaConnectionOptions): Promise<ClientSession> {
  return client.createSession(
    o.username ? { type: UserTokenType.UserName, userName: o.username, password: o.password ?? '' } : { type: UserTokenType.Anonymous },
  );
}
