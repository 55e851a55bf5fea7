// A real hub with the broadcast module, real espeak-ng + ffmpeg RTP, and the PA simulator on loopback.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPaSimulator, type PaSimulator } from '../../simulators/pa/index.js';
import { hashPassword } from '../auth/password.js';
import { silentLogger } from '../log.js';
import { createHub, type Hub } from '../server.js';
import { ScriptedDriver, testSiteConfig } from '../test-support.js';
import { createBroadcastModule, type BroadcastJob, type BroadcastModule } from './index.js';
import { broadcastFileSchema } from './schema.js';

const PW = 'pw';
const ZONES = ['l01', 'l02', 'l03', 'plaza'];
let pa: PaSimulator;
let hub: Hub;
let bc: BroadcastModule;
let dataDir: string;
const tokens: Record<string, string> = {};

async function call<T = any>(method: string, path: string, body?: unknown, user?: string): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (user) headers.authorization = `Bearer ${tokens[user]}`;
  const res = await fetch(hub.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T };
}
const jobs = async () => (await call<{ items: BroadcastJob[] }>('GET', '/api/broadcast/jobs', undefined, 'boss')).body.items;
const until = async (what: string, f: () => Promise<boolean> | boolean, timeoutMs = 20_000) => {
  const end = Date.now() + timeoutMs;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

beforeAll(async () => {
  pa = await startPaSimulator({ zones: ZONES.map((id) => ({ id })) });
  dataDir = mkdtempSync(join(tmpdir(), 'wf-bc-'));
  const hash = await hashPassword(PW, { N: 1024, r: 8, p: 1 });
  const config = testSiteConfig({
    floors: 3, pointsPerFloor: 2, dataDir,
    users: [{ username: 'op', role: 'operator', passwordHash: hash }, { username: 'boss', role: 'supervisor', passwordHash: hash }, { username: 'viewer', role: 'viewer', passwordHash: hash }],
  });
  const file = broadcastFileSchema.parse({
    zones: ZONES.map((id, i) => ({ id, name: { en: id, 'zh-CN': id }, kind: id === 'plaza' ? 'outdoor' : 'floor', floor: id === 'plaza' ? undefined : `hq/a/${id}`, endpoint: { port: pa.ports[id] } })),
    messages: [{ id: 'chime', name: { en: 'Chime', 'zh-CN': '提示音' }, kind: 'chime' }],
    zonesByRole: { operator: ['l01', 'l02', 'l03'] },
    emergencyRoles: ['supervisor', 'admin'],
    tts: { maxChars: 120 },
  });
  bc = createBroadcastModule({ file });
  hub = await createHub(config, { drivers: [new ScriptedDriver()], modules: [bc], listen: { port: 0 }, log: silentLogger() });
  for (const u of ['op', 'boss', 'viewer']) tokens[u] = (await call('POST', '/api/auth/login', { username: u, password: PW })).body.token;
}, 60_000);

afterAll(async () => {
  await hub?.stop();
  await pa?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('public-address broadcast over RTP', () => {
  // Every test starts with quiet zones and an empty play record: a broadcast a sibling test started
  // (an alarm's emergency, a scheduled chime) has finished and is not counted as this test's audio.
  beforeEach(async () => {
    await until('nothing playing', async () => (await jobs()).every((j) => !['playing', 'scheduled', 'queued'].includes(j.status)), 30_000);
    await new Promise((r) => setTimeout(r, 600)); // the simulator's gap ends the last playback
    pa.clear();
  }, 40_000);

  it('a TTS message reaches exactly the chosen zones, as G.711 μ-law audio of the right length', async () => {
    const r = await call<BroadcastJob>('POST', '/api/broadcast', { zones: ['l02', 'l03'], chime: true, tts: [{ text: 'Test announcement.', lang: 'en' }] }, 'op');
    expect(r.status).toBe(202);
    await until('job done', async () => (await jobs()).find((j) => j.id === r.body.id)?.status === 'done');
    await until('playbacks ended', () => pa.playbacks().length >= 2 && pa.playbacks().every((p) => p.ended));
    const heard = pa.playbacks();
    expect(heard.map((p) => p.zone).sort()).toEqual(['l02', 'l03']);
    for (const p of heard) {
      expect(p.payloadType).toBe(0);
      expect(p.level).toBeGreaterThan(100); // real audio, not silence
      expect(p.durationMs).toBeGreaterThan(1200); // 0.9 s chime + speech
      expect(p.durationMs).toBeLessThan(6000);
    }
    expect(heard[0].durationMs).toBe(heard[1].durationMs); // both zones got the same stream
  }, 40_000);

  it('an emergency preempts a running broadcast on its zones', async () => {
    const long = await call<BroadcastJob>('POST', '/api/broadcast', { zones: ['l01'], tts: [{ text: 'This is a long routine announcement about the canteen opening hours, which will be interrupted.', lang: 'en' }] }, 'op');
    expect(long.status).toBe(202);
    const first = await pa.waitFor((p) => p.zone === 'l01');
    const em = await call<BroadcastJob>('POST', '/api/broadcast', { zones: ['hq/a/l01'], emergency: true, tts: [{ text: '紧急疏散', lang: 'zh-CN' }] }, 'boss');
    expect(em.status).toBe(202);
    expect(em.body.zones).toEqual(['l01']);
    const second = await pa.waitFor((p) => p.zone === 'l01' && p.ssrc !== first.ssrc);
    expect(first.ended).toBe(true);
    const all = await jobs();
    expect(all.find((j) => j.id === long.body.id)).toMatchObject({ status: 'preempted' });
    expect(all.find((j) => j.id === em.body.id)?.status).toMatch(/playing|done/);
    expect(second.zone).toBe('l01');
    await until('emergency done', async () => (await jobs()).find((j) => j.id === em.body.id)?.status === 'done');
  }, 40_000);

  it('a normal broadcast waits for a busy zone instead of talking over it', async () => {
    const a = await call<BroadcastJob>('POST', '/api/broadcast', { zones: ['l02'], message: 'chime' }, 'op');
    const b = await call<BroadcastJob>('POST', '/api/broadcast', { zones: ['l02'], message: 'chime' }, 'op');
    await until('both done', async () => {
      const all = await jobs();
      return [a, b].every((x) => all.find((j) => j.id === x.body.id)?.status === 'done');
    });
    const heard = pa.playbacks('l02');
    expect(heard).toHaveLength(2);
    expect(heard[1].firstAt).toBeGreaterThanOrEqual(heard[0].lastAt);
  }, 40_000);

  it('an alarm action starts an emergency broadcast on a floor', async () => {
    await bc.handleBroadcastAction({ zones: ['hq/a/l03'], message: { en: 'Fire alarm on floor three.', 'zh-CN': '三层火警' } }, { id: 'fire-l03' });
    const p = await pa.waitFor((x) => x.zone === 'l03');
    expect(p.payloadType).toBe(0);
    const j = (await jobs()).find((x) => x.user === 'system:alarm:fire-l03');
    expect(j).toMatchObject({ emergency: true, zones: ['l03'] });
  }, 40_000);

  it('a scheduled broadcast waits for its time', async () => {
    const r = await call<BroadcastJob>('POST', '/api/broadcast', { zones: ['l01'], message: 'chime', at: Date.now() + 1500 }, 'op');
    expect(r.body.status).toBe('scheduled');
    await until('scheduled job done', async () => (await jobs()).find((j) => j.id === r.body.id)?.status === 'done');
  }, 40_000);

  it.each([
    ['unknown zone', 'op', { zones: ['l09'], chime: true }, 400, 'unknown broadcast zone "l09"'],
    ['empty TTS text', 'op', { zones: ['l01'], tts: [{ text: '  ', lang: 'en' }] }, 400, 'tts[0].text is empty'],
    ['over-long TTS text', 'op', { zones: ['l01'], tts: [{ text: 'x'.repeat(121), lang: 'en' }] }, 400, 'the limit is 120'],
    ['unknown language', 'op', { zones: ['l01'], tts: [{ text: 'hi', lang: 'fr' }] }, 400, 'tts.0.lang'],
    ['nothing to say', 'op', { zones: ['l01'] }, 400, 'give a message id, tts text or chime'],
    ['zone the role may not address', 'op', { zones: ['plaza'], chime: true }, 403, 'role operator may not broadcast to plaza'],
    ['emergency by an operator', 'op', { zones: ['l01'], chime: true, emergency: true }, 403, 'may not start an emergency broadcast'],
    ['no broadcast permission', 'viewer', { zones: ['l01'], chime: true }, 403, ''],
  ])('refuses %s', async (_n, user, body, status, message) => {
    const r = await call<{ error: { message: string } }>('POST', '/api/broadcast', body, user);
    expect(r.status).toBe(status);
    expect(r.body.error.message).toContain(message);
    expect(pa.playbacks()).toEqual([]);
  });
});
