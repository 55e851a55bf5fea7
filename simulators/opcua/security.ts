// The simulator's security, tighter than node-opcua's defaults so that the driver
// is tested against what a real plant server does:
// - client certificates are checked against a trust list (PKI `trusted/certs`);
// - only the identity tokens that can succeed are advertised;
// - when users are configured, only authenticated sessions may write.
import fs from 'node:fs';
import path from 'node:path';
import type { OPCUACertificateManager, OPCUAServer, UAVariable } from 'node-opcua';
import { PermissionType, UserTokenType, WellKnownRoles, resolveNodeId } from './lib.js';

/** The identity tokens worth advertising: Anonymous when allowed, UserName only when someone can log in. */
export function usableTokenTypes(o: { allowAnonymous: boolean; userCount: number }): UserTokenType[] {
  return [...(o.allowAnonymous ? [UserTokenType.Anonymous] : []), ...(o.userCount > 0 ? [UserTokenType.UserName] : [])];
}

/**
 * node-opcua 2.182 offers Anonymous, UserName and X509 on every endpoint and has no
 * constructor option to change that; ActivateSession checks a client's token against the
 * endpoint's list, so filtering the list both hides and refuses the others.
 */
export function restrictUserTokens(server: OPCUAServer, keep: readonly UserTokenType[]): void {
  for (const ep of server.endpoints) {
    for (const d of ep.endpointDescriptions()) {
      d.userIdentityTokens = (d.userIdentityTokens ?? []).filter((t) => keep.includes(t.tokenType));
    }
  }
}

const READ = PermissionType.Browse | PermissionType.Read | PermissionType.ReadRolePermissions;
const WRITE = READ | PermissionType.Write;

/** Anonymous sessions may read a writable variable; authenticated users may also write it. */
export function writesForAuthenticatedOnly(node: UAVariable): void {
  node.setRolePermissions([
    { roleId: resolveNodeId(WellKnownRoles.Anonymous), permissions: READ },
    { roleId: resolveNodeId(WellKnownRoles.AuthenticatedUser), permissions: WRITE },
  ]);
}

/** Roles of a configured user (node-opcua adds AuthenticatedUser itself). */
export function rolesOf(known: boolean): ReturnType<typeof resolveNodeId>[] {
  return known ? [resolveNodeId(WellKnownRoles.Operator)] : [];
}

/**
 * Trusts a client certificate file (PEM or DER): what copying it into `<pki>/trusted/certs/`
 * does, but through the manager so a running server sees it at once (and it leaves `rejected/`).
 */
export async function trustCertificateFile(cm: OPCUACertificateManager, file: string): Promise<void> {
  const raw = fs.readFileSync(file);
  const pem = /-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/.exec(raw.toString('latin1'));
  const der = pem ? Buffer.from(pem[1].replace(/\s+/g, ''), 'base64') : raw;
  await cm.trustCertificate(der);
}

export function pkiFolders(pkiDir: string): { trusted: string; rejected: string } {
  return { trusted: path.join(pkiDir, 'trusted', 'certs'), rejected: path.join(pkiDir, 'rejected') };
}
