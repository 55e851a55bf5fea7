// Secure sessions: SignAndEncrypt + Basic256Sha256 with username/password, a
// server certificate that must be trusted by hand (or `auto`), bad credentials.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver } from '../../contracts/driver.js';
import { startOpcuaSimulator, type OpcuaSimulator } from '../../simulators/opcua/server.js';
import { opcuaFactory } from './index.js';
import { connectionSchema } from './schema.js';
import { point, recorder, trustDriverCertificate, type Recorder } from './test-support.js';

let tmp: string;
let sim: OpcuaSimulator;
const running: Driver[] = [];
const points = [point('setpoint', 'VAV-201.ZoneTempSetpoint', { writable: true })];
const ID = points[0].info.id;

function secureDriver(dataDir: string, extra: Record<string, unknown> = {}): { driver: Driver; rec: Recorder } {
  const options = connectionSchema.parse({
    endpointUrl: sim.endpointUrl,
    securityMode: 'SignAndEncrypt',
    securityPolicy: 'Basic256Sha256',
    username: 'operator',
    password: 'correct horse',
    publishingIntervalMs: 100,
    backoff: { initialMs: 200, maxMs: 500 },
    ...extra,
  });
  const driver = opcuaFactory.create([{ id: 'opcua-test', protocol: 'opcua', options }], [], points);
  running.push(driver);
  return { driver, rec: recorder(dataDir) };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opcua-secure-'));
  sim = await startOpcuaSimulator({
    pkiDir: path.join(tmp, 'sim-pki'),
    securityModes: ['SignAndEncrypt'],
    users: [{ username: 'operator', password: 'correct horse' }],
    tickMs: 200,
  });
  // The simulator keeps a client trust list: each data folder's driver certificate is trusted up front.
  for (const d of ['hub-data', 'auth-data', 'auto-data']) await trustDriverCertificate(sim, path.join(tmp, d));
}, 60_000);

afterAll(async () => {
  for (const d of running) await d.stop();
  await sim?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('OPC UA secure sessions', () => {
  it('is refused by the simulator while the driver certificate is not on its trust list', async () => {
    // The driver trusts the server (auto), so the refusal can only be the simulator's.
    const rejected = () => (fs.existsSync(sim.clientTrust.rejected) ? fs.readdirSync(sim.clientTrust.rejected).length : 0);
    expect(rejected()).toBe(0);
    const u = secureDriver(path.join(tmp, 'unknown-client'), { trustServerCertificate: 'auto' });
    await u.driver.start(u.rec);
    const off = await u.rec.waitFor(() => u.rec.statuses.find((s) => s.state === 'offline'), 'offline');
    expect(off.detail).toMatch(/BadSecurityChecksFailed|BadCertificateUntrusted|not trusted/);
    expect(u.rec.samples.some((s) => s.quality === 'good')).toBe(false);
    await u.driver.stop();
    expect(rejected()).toBe(1);
  }, 30_000);

  const dataDir = () => path.join(tmp, 'hub-data');

  it('refuses an untrusted server certificate and names the file to move; trusting it as told works', async () => {
    const a = secureDriver(dataDir());
    await a.driver.start(a.rec);
    const failed = await a.rec.waitFor(() => a.rec.statuses.find((s) => s.state === 'offline' && s.detail?.includes('not trusted')), 'untrusted error');
    const m = /move (\S+\.pem) to (\S+)\/$/.exec(failed.detail!);
    expect(m, failed.detail).not.toBeNull();
    const [, rejectedFile, trustedDir] = m!;
    expect(rejectedFile.startsWith(path.join(dataDir(), 'opcua', 'pki', 'rejected'))).toBe(true);
    expect(trustedDir).toBe(path.join(dataDir(), 'opcua', 'pki', 'trusted', 'certs'));
    expect(fs.existsSync(rejectedFile)).toBe(true);
    expect(a.rec.latest(ID)).toMatchObject({ quality: 'comm_fail' });
    expect(a.rec.samples.some((s) => s.quality === 'good')).toBe(false);
    await a.driver.stop();

    fs.renameSync(rejectedFile, path.join(trustedDir, path.basename(rejectedFile)));
    const b = secureDriver(dataDir());
    await b.driver.start(b.rec);
    await b.rec.waitFor(() => b.rec.statuses.some((s) => s.state === 'online'), 'online with trusted certificate');
    await b.rec.waitFor(() => b.rec.latest(ID)?.quality === 'good', 'good sample');
    await expect(b.driver.write(ID, 21.5)).resolves.toMatchObject({ confirmed: true, readBack: 21.5 });
    expect(sim.get('VAV-201.ZoneTempSetpoint')).toBe(21.5);
    await b.driver.stop();
  }, 60_000);

  it('reports auth_failed for a wrong password', async () => {
    // Its own data folder, trusting the server on first use: not the certificate the first test moved
    // into hub-data (a shuffled run may put this test first).
    const c = secureDriver(path.join(tmp, 'auth-data'), { password: 'wrong', trustServerCertificate: 'auto' });
    await c.driver.start(c.rec);
    const s = await c.rec.waitFor(() => c.rec.statuses.find((x) => x.state === 'auth_failed'), 'auth_failed');
    expect(s.detail).toMatch(/BadUserAccessDenied|BadIdentityToken/);
    await c.driver.stop();
  }, 30_000);

  it('trusts on first use only when trustServerCertificate is auto', async () => {
    const fresh = path.join(tmp, 'auto-data');
    const d = secureDriver(fresh, { trustServerCertificate: 'auto' });
    await d.driver.start(d.rec);
    await d.rec.waitFor(() => d.rec.latest(ID)?.quality === 'good', 'good sample with auto trust');
    await d.driver.stop();
  }, 30_000);
});
