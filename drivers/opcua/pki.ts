// The client's PKI lives under the project's data folder (never $HOME):
//   <dataDir>/opcua/pki/own/        our certificate and key (created on first use)
//   <dataDir>/opcua/pki/trusted/certs/   server certificates we trust
//   <dataDir>/opcua/pki/rejected/   server certificates seen but not trusted
import fs from 'node:fs';
import path from 'node:path';
import { OPCUACertificateManager } from './lib.js';

export function clientPkiDir(dataDir: string): string {
  return path.join(dataDir, 'opcua', 'pki');
}

/**
 * One manager per client instance: node-opcua disposes the manager it was
 * given when the client disconnects, so it cannot be shared across reconnects.
 */
export function createClientCertificateManager(pkiDir: string, trust: 'auto' | 'manual'): OPCUACertificateManager {
  fs.mkdirSync(pkiDir, { recursive: true });
  return new OPCUACertificateManager({
    rootFolder: pkiDir,
    // Only `trustServerCertificate: auto` accepts an unknown server certificate.
    automaticallyAcceptUnknownCertificate: trust === 'auto',
  });
}

/** True for node-opcua's "server certificate is not trusted" failures. */
export function isUntrustedCertificateError(err: unknown): boolean {
  const msg = err instanceof Error ? err.message : String(err);
  return /BadCertificateUntrusted|Certificate verification failed|BadSecurityChecksFailed/i.test(msg);
}

/** True when the server refused our identity (user/password or anonymous). */
export function isAuthError(err: unknown): boolean {
  const msg = err instanceof Error ? err.message : String(err);
  return /BadUserAccessDenied|BadIdentityToken|BadUserSignatureInvalid/i.test(msg);
}

/**
 * The actionable message for an untrusted server certificate: which file to
 * move from rejected/ to trusted/certs/. The newest rejected file is the one
 * this connection attempt just parked there.
 */
export function untrustedCertificateMessage(pkiDir: string, endpointUrl: string): string {
  const rejected = path.join(pkiDir, 'rejected');
  const trusted = path.join(pkiDir, 'trusted', 'certs');
  let files: { file: string; mtime: number }[] = [];
  try {
    files = fs
      .readdirSync(rejected)
      .filter((f) => /\.(pem|der)$/.test(f))
      .map((f) => ({ file: path.join(rejected, f), mtime: fs.statSync(path.join(rejected, f)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
  } catch {
    // no rejected folder yet: fall through to the generic advice
  }
  if (files.length === 0) {
    return `server certificate of ${endpointUrl} is not trusted; put it in ${trusted}/ (or set trustServerCertificate: auto)`;
  }
  return `server certificate of ${endpointUrl} is not trusted: to trust it, move ${files[0].file} to ${trusted}/`;
}
