// The simulator's security over real OPC UA: client certificate trust list, advertised
// identity tokens, UserName logins and writes reserved to authenticated users.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttributeIds, DataType, MessageSecurityMode, OPCUACertificateManager, OPCUAClient, SecurityPolicy, UserTokenType, type ClientSession, type UserIdentityInfo } from 'node-opcua';
import { HVAC_NAMESPACE_URI, startOpcuaSimulator, type OpcuaSimulator } from './server.js';
import { usableTokenTypes } from './security.js';

let SP = '';
let tmp: string;
let withUsers: OpcuaSimulator;
let noUsers: OpcuaSimulator;
const open: OPCUAClient[] = [];

function client(name: string, mode: MessageSecurityMode = MessageSecurityMode.None): OPCUAClient {
  const c = OPCUAClient.create({
    endpointMustExist: false,
    securityMode: mode,
    securityPolicy: mode === MessageSecurityMode.None ? SecurityPolicy.None : SecurityPolicy.Basic256Sha256,
    connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
    // The client side trusts the simulator: what is under test is the simulator's own trust.
    clientCertificateManager: new OPCUACertificateManager({ rootFolder: path.join(tmp, `client-${name}`), automaticallyAcceptUnknownCertificate: true }),
  });
  open.push(c);
  return c;
}

async function session(sim: OpcuaSimulator, identity: UserIdentityInfo, mode?: MessageSecurityMode): Promise<ClientSession> {
  const c = client(`s${open.length}`, mode);
  await c.connect(sim.endpointUrl);
  return c.createSession(identity);
}

const writeSetpoint = (s: ClientSession, value: number) =>
  s.write({ nodeId: SP, attributeId: AttributeIds.Value, value: { value: { dataType: DataType.Double, value } } });

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opcua-sim-sec-'));
  [withUsers, noUsers] = await Promise.all([
    startOpcuaSimulator({ pkiDir: path.join(tmp, 'pki-users'), users: [{ username: 'op', password: 'right' }], allowAnonymous: true, tickMs: 60_000 }),
    startOpcuaSimulator({ pkiDir: path.join(tmp, 'pki-none'), tickMs: 60_000 }),
  ]);
  // Both simulators build the same address space: one namespace index fits both.
  const c = client('ns');
  await c.connect(noUsers.endpointUrl);
  const s = await c.createSession();
  SP = `ns=${(await s.readNamespaceArray()).indexOf(HVAC_NAMESPACE_URI)};s=VAV-302.ZoneTempSetpoint`;
  await s.close();
}, 120_000);

afterAll(async () => {
  for (const c of open) await c.disconnect().catch(() => undefined);
  await withUsers?.stop();
  await noUsers?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('OPC UA simulator security', () => {
  it('refuses an unknown client certificate on Sign and SignAndEncrypt, parks it in rejected/, accepts it once trusted', async () => {
    for (const mode of [MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt]) {
      const refused = client(`cert-${mode}`, mode);
      await expect(refused.connect(noUsers.endpointUrl)).rejects.toThrow();
    }
    const rejected = fs.readdirSync(noUsers.clientTrust.rejected).filter((f) => /\.(der|pem)$/.test(f));
    expect(rejected.length).toBeGreaterThanOrEqual(1);
    // The refused clients' own certificate, trusted by the helper (same as copying it into trusted/certs/).
    for (const mode of [MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt]) {
      await noUsers.trustClientCertificate(path.join(tmp, `client-cert-${mode}`, 'own', 'certs', 'client_certificate.pem'));
    }
    expect(fs.readdirSync(noUsers.clientTrust.trusted).length).toBeGreaterThanOrEqual(2);
    for (const mode of [MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt]) {
      const again = client(`cert-${mode}`, mode);
      await again.connect(noUsers.endpointUrl);
      const s = await again.createSession();
      expect((await s.read({ nodeId: SP, attributeId: AttributeIds.Value })).statusCode.name).toBe('Good');
      await s.close();
    }
  }, 60_000);

  it('advertises UserName only when there are users, and Anonymous only when allowed', async () => {
    const types = async (sim: OpcuaSimulator) => {
      const c = client(`ep${open.length}`);
      await c.connect(sim.endpointUrl);
      const eps = await c.getEndpoints();
      return new Set(eps.flatMap((e) => (e.userIdentityTokens ?? []).map((t) => UserTokenType[t.tokenType])));
    };
    expect([...(await types(noUsers))]).toEqual(['Anonymous']);
    expect([...(await types(withUsers))].sort()).toEqual(['Anonymous', 'UserName']);
    await expect(session(noUsers, { type: UserTokenType.UserName, userName: 'op', password: 'right' })).rejects.toThrow(/BadIdentityToken|BadUserAccessDenied|Cannot find USERNAME user token policy/);
  }, 30_000);

  it('logs a user in with the right password and refuses a wrong one', async () => {
    const s = await session(withUsers, { type: UserTokenType.UserName, userName: 'op', password: 'right' });
    expect((await s.read({ nodeId: SP, attributeId: AttributeIds.Value })).statusCode.name).toBe('Good');
    await expect(session(withUsers, { type: UserTokenType.UserName, userName: 'op', password: 'wrong' })).rejects.toThrow(/BadUserAccessDenied|BadIdentityToken/);
    await expect(session(withUsers, { type: UserTokenType.UserName, userName: 'nobody', password: 'right' })).rejects.toThrow(/BadUserAccessDenied|BadIdentityToken/);
  }, 30_000);

  it('lets anonymous sessions read but not write when users are configured; a logged-in user writes', async () => {
    const anon = await session(withUsers, { type: UserTokenType.Anonymous });
    expect((await anon.read({ nodeId: SP, attributeId: AttributeIds.Value })).statusCode.name).toBe('Good');
    expect((await writeSetpoint(anon, 23.5)).name).toBe('BadUserAccessDenied');
    expect(withUsers.get('VAV-302.ZoneTempSetpoint')).not.toBe(23.5);
    const user = await session(withUsers, { type: UserTokenType.UserName, userName: 'op', password: 'right' });
    expect((await writeSetpoint(user, 23.5)).name).toBe('Good');
    expect(withUsers.get('VAV-302.ZoneTempSetpoint')).toBe(23.5);
    // Without users (the demo), anonymous writes still work.
    const demo = await session(noUsers, { type: UserTokenType.Anonymous });
    expect((await writeSetpoint(demo, 22.5)).name).toBe('Good');
  }, 30_000);
});

describe('usableTokenTypes', () => {
  it.each([
    [{ allowAnonymous: true, userCount: 0 }, ['Anonymous']],
    [{ allowAnonymous: true, userCount: 2 }, ['Anonymous', 'UserName']],
    [{ allowAnonymous: false, userCount: 1 }, ['UserName']],
    [{ allowAnonymous: false, userCount: 0 }, []],
  ])('%o → %o', (o, expected) => {
    expect(usableTokenTypes(o).map((t) => UserTokenType[t])).toEqual(expected);
  });
});
