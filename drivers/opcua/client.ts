// Building one node-opcua client + session from connection options (shared by
// the driver and the browse tool).
import { OPCUAClient, MessageSecurityMode, SecurityPolicy, UserTokenType, type ClientSession } from 'node-opcua';
import { createClientCertificateManager, isUntrustedCertificateError, untrustedCertificateMessage } from './pki.js';
import type { OpcuaConnectionOptions } from './schema.js';

const MODES = { None: MessageSecurityMode.None, Sign: MessageSecurityMode.Sign, SignAndEncrypt: MessageSecurityMode.SignAndEncrypt } as const;
const POLICIES = { None: SecurityPolicy.None, Basic256Sha256: SecurityPolicy.Basic256Sha256 } as const;

/** The server certificate is not trusted; the message says which file to move. */
export class UntrustedError extends Error {}

export function makeClient(o: OpcuaConnectionOptions, pkiDir: string): OPCUAClient {
  return OPCUAClient.create({
    applicationName: 'Watchfloor',
    endpointMustExist: false,
    securityMode: MODES[o.securityMode],
    securityPolicy: POLICIES[o.securityPolicy],
    clientCertificateManager: createClientCertificateManager(pkiDir, o.trustServerCertificate),
    // The driver owns reconnection (a fresh client per attempt): node-opcua must not retry on its own.
    connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
    requestedSessionTimeout: 60_000,
    keepSessionAlive: true,
    transportTimeout: o.requestTimeoutMs,
    defaultTransactionTimeout: o.requestTimeoutMs,
  } as Parameters<typeof OPCUAClient.create>[0]);
}

export async function connectClient(client: OPCUAClient, o: OpcuaConnectionOptions, pkiDir: string): Promise<void> {
  try {
    await client.connect(o.endpointUrl);
  } catch (err) {
    if (isUntrustedCertificateError(err)) throw new UntrustedError(untrustedCertificateMessage(pkiDir, o.endpointUrl));
    throw err;
  }
}

export function openSession(client: OPCUAClient, o: OpcuaConnectionOptions): Promise<ClientSession> {
  return client.createSession(
    o.username ? { type: UserTokenType.UserName, userName: o.username, password: o.password ?? '' } : { type: UserTokenType.Anonymous },
  );
}
