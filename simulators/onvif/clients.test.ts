// The fuller simulated camera against two independent ONVIF clients: the project's own (`onvif`,
// through drivers/onvif/client.ts) and `node-onvif`; plus the SOAP 1.2 fault of an unsupported action.
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, createCam, type RawCam } from '../../drivers/onvif/client.js';
import { startOnvifSimulator, type OnvifSimulator } from './index.js';

interface NodeOnvifResult { converted?: { Body?: Record<string, any> } }
type Svc = Record<string, (params?: object) => Promise<NodeOnvifResult>>;
const nodeOnvif = createRequire(import.meta.url)('node-onvif') as { OnvifDevice: new (o: object) => { init(): Promise<unknown>; services: { device: Svc; media: Svc; ptz: Svc } } };

const USER = { username: 'admin', password: 'sim-pw' };

/** A raw SOAP request with a WS-Security digest of our own (neither client is involved). */
async function rawSoap(port: number, body: string): Promise<{ status: number; text: string }> {
  const nonce = randomBytes(16);
  const created = new Date().toISOString();
  const digest = createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created), Buffer.from(USER.password)])).digest('base64');
  const xml =
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header><Security xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><UsernameToken>' +
    `<Username>${USER.username}</Username><Password Type="PasswordDigest">${digest}</Password><Nonce>${nonce.toString('base64')}</Nonce><Created>${created}</Created>` +
    `</UsernameToken></Security></s:Header><s:Body>${body}</s:Body></s:Envelope>`;
  const res = await fetch(`http://127.0.0.1:${port}/onvif/device_service`, { method: 'POST', headers: { 'content-type': 'application/soap+xml' }, body: xml });
  return { status: res.status, text: await res.text() };
}

describe('simulated camera with two independent ONVIF clients', () => {
  let sim: OnvifSimulator;
  let port: number;
  let cam: RawCam;

  beforeAll(async () => {
    sim = await startOnvifSimulator({ cameras: [{ id: 'x3', name: 'Crossing 3 PTZ', video: false }], ...USER, discovery: false });
    port = sim.cameras[0].onvifPort;
    cam = await createCam({ hostname: '127.0.0.1', port, ...USER, timeout: 3000 });
    await connect(cam);
  });
  afterAll(async () => sim?.stop());

  it('unsupported action → HTTP 500 with a SOAP 1.2 env:Receiver / ter:ActionNotSupported fault', async () => {
    const r = await rawSoap(port, '<tds:GetHostname xmlns:tds="http://www.onvif.org/ver10/device/wsdl"/>');
    expect(r.status).toBe(500);
    expect(r.text).toMatch(/<s:Code><s:Value>s:Receiver<\/s:Value><s:Subcode><s:Value>ter:ActionNotSupported<\/s:Value>/);
    const ok = await rawSoap(port, '<tds:GetScopes xmlns:tds="http://www.onvif.org/ver10/device/wsdl"/>');
    expect(ok.status).toBe(200);
  });

  it('the onvif client: scopes, network interfaces, encoder configurations', async () => {
    const scopes = await call<Array<{ scopeItem: string }>>(cam, 'getScopes');
    expect(scopes.map((s) => s.scopeItem)).toContain('onvif://www.onvif.org/name/Crossing%203%20PTZ');
    const nics = await call<any>(cam, 'getNetworkInterfaces');
    expect(JSON.stringify(nics)).toMatch(/"hwAddress":"02:57(:[0-9a-f]{2}){4}"/);
    const encs = await call<any>(cam, 'getVideoEncoderConfigurations');
    expect(JSON.stringify(encs)).toMatch(/"encoding":"H264"/);
  });

  it('the onvif client: RelativeMove, home, PresetExist on a duplicate name, RemovePreset', async () => {
    await call(cam, 'absoluteMove', { x: 0.1, y: 0.1, zoom: 0 });
    await call(cam, 'relativeMove', { x: 0.2, y: -0.3, zoom: 0.5 });
    const p = sim.camera('x3').ptz.position();
    expect([p.pan, p.tilt, p.zoom].map((v) => Math.round(v * 100) / 100)).toEqual([0.3, -0.2, 0.5]);
    await expect(call(cam, 'relativeMove', { x: 5, y: 0, zoom: 0 })).rejects.toThrow(/range/);
    await call(cam, 'gotoHomePosition', {});
    expect(sim.camera('x3').ptz.position()).toEqual({ pan: 0, tilt: 0, zoom: 0 });

    await call(cam, 'setPreset', { presetName: 'North gate' });
    await expect(call(cam, 'setPreset', { presetName: 'North gate' })).rejects.toThrow(/exists/);
    const token = sim.camera('x3').presets().find((q) => q.name === 'North gate')!.token;
    await call(cam, 'removePreset', { presetToken: token });
    expect(sim.camera('x3').presets().map((q) => q.name)).not.toContain('North gate');
    await expect(call(cam, 'removePreset', { presetToken: token })).rejects.toThrow(/no preset/);
  });

  it('node-onvif: the same calls work (GetNetworkInterfaces is what Home Assistant asks first)', async () => {
    const dev = new nodeOnvif.OnvifDevice({ xaddr: `http://127.0.0.1:${port}/onvif/device_service`, user: USER.username, pass: USER.password });
    await dev.init();
    const nics = await dev.services.device.getNetworkInterfaces();
    expect(JSON.stringify(nics.converted?.Body)).toMatch(/02:57:/);
    const scopes = await dev.services.device.getScopes();
    expect(JSON.stringify(scopes.converted?.Body)).toContain('onvif://www.onvif.org/name/Crossing%203%20PTZ');
    const encs = await dev.services.media.getVideoEncoderConfigurations();
    expect(JSON.stringify(encs.converted?.Body)).toContain('H264');

    const ptz = dev.services.ptz;
    await ptz.relativeMove({ ProfileToken: 'profile1', Translation: { x: 0.25, y: 0, z: 0 } });
    expect(sim.camera('x3').ptz.position().pan).toBeCloseTo(0.25, 5);
    await ptz.gotoHomePosition({ ProfileToken: 'profile1' });
    expect(sim.camera('x3').ptz.position().pan).toBe(0);
    const made = await ptz.setPreset({ ProfileToken: 'profile1', PresetName: 'Plaza' });
    const token = JSON.stringify(made.converted?.Body).match(/"PresetToken":"([^"]+)"/)?.[1];
    expect(token).toBeTruthy();
    await expect(ptz.setPreset({ ProfileToken: 'profile1', PresetName: 'Plaza' })).rejects.toThrow(/400|exists/);
    await ptz.removePreset({ ProfileToken: 'profile1', PresetToken: token });
    expect(sim.camera('x3').presets().map((q) => q.name)).not.toContain('Plaza');
    await expect(dev.services.device.getHostname()).rejects.toThrow(/500/);
  });
});
