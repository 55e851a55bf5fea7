// `npm run bench -- coverage`: how fast the demo's camera coverage is recomputed after a camera is
// moved (issue 16: ≤ 200 ms). Three figures: the model alone (one camera's cone and cells redone),
// the model plus the whole report (figures, cones, blind spots), and end to end through a real hub
// (PATCH /api/sitemap/cameras/:id, then GET /api/sitemap/coverage), on the demo map (config/sitemap.geojson)
// copied to a temporary config folder. Also the full build a config reload does.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SiteCamera } from '../contracts/sitemap.js';
import { hashPassword, DEFAULT_SCRYPT } from '../hub/auth/password.js';
import { silentLogger } from '../hub/log.js';
import { createHub } from '../hub/server.js';
import { CoverageModel } from '../hub/sitemap/coverage.js';
import { demoSiteMap } from '../hub/sitemap/demo.js';
import { formatSiteMap } from '../hub/sitemap/format.js';
import { createSitemapModule } from '../hub/sitemap/module.js';
import { parseSiteMap } from '../hub/sitemap/validate.js';
import { testSiteConfig } from '../hub/test-support.js';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** A deterministic walk: each step moves one camera a few metres and turns it. */
function moved(c: SiteCamera, i: number): SiteCamera {
  return { ...c, at: [c.at[0] + ((i % 5) - 2) * 0.7, c.at[1] + ((i % 3) - 1) * 0.7], heading: (c.heading + 7 * ((i % 7) - 3) + 360) % 360 };
}

export async function benchCoverage(): Promise<Record<string, number | string>> {
  const { map } = parseSiteMap(demoSiteMap());
  if (!map) throw new Error('demo site map does not parse');
  const t0 = performance.now();
  const model = new CoverageModel(map);
  const buildMs = performance.now() - t0;
  const first = model.report();
  const N = 200;
  const setMs: number[] = [];
  const fullMs: number[] = [];
  for (let i = 0; i < N; i++) {
    const cam = map.cameras[i % map.cameras.length];
    const a = performance.now();
    model.setCamera(moved(cam, i));
    const b = performance.now();
    model.report();
    const c = performance.now();
    setMs.push(b - a);
    fullMs.push(c - a);
  }

  // End to end through the hub.
  const dir = mkdtempSync(path.join(tmpdir(), 'wf-bench-cov-'));
  // The bench hub has a one-room test site: the gates' contacts (demo devices) and the cameras'
  // stream connections are left unlinked (coverage is geometry only).
  const fc = demoSiteMap();
  for (const f of fc.features) {
    delete f.properties.device;
    delete f.properties.connection;
  }
  writeFileSync(path.join(dir, 'sitemap.geojson'), formatSiteMap(fc));
  const config = testSiteConfig({ floors: 1, pointsPerFloor: 1, users: [{ username: 'sup', role: 'supervisor', passwordHash: await hashPassword('pw', DEFAULT_SCRYPT) }] });
  config.dir = dir;
  const hub = await createHub(config, { drivers: [], modules: [createSitemapModule()], log: silentLogger(), listen: { port: 0 } });
  const httpMs: number[] = [];
  try {
    const login = await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'sup', password: 'pw' }) });
    const token = ((await login.json()) as { token: string }).token;
    const auth = { authorization: `Bearer ${token}` };
    for (let i = 0; i < 60; i++) {
      const cam = map.cameras[i % map.cameras.length];
      const next = moved(cam, i);
      const a = performance.now();
      const res = await fetch(`${hub.url}/api/sitemap/cameras/${cam.id}`, { method: 'PATCH', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ at: next.at, heading: next.heading }) });
      if (res.status !== 200) throw new Error(`PATCH ${cam.id}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      const cov = await fetch(`${hub.url}/api/sitemap/coverage`, { headers: auth });
      await cov.json();
      httpMs.push(performance.now() - a);
    }
  } finally {
    await hub.stop();
  }
  return {
    'demo cameras': map.cameras.length,
    'demo ground counted (m², 1 m grid)': first.overall.area,
    'demo covered fraction': first.overall.fraction,
    'full build (reload) ms': buildMs,
    'move one camera: model p50 ms': pct(setMs, 50),
    'move one camera: model p95 ms': pct(setMs, 95),
    'move + whole report p50 ms': pct(fullMs, 50),
    'move + whole report p95 ms': pct(fullMs, 95),
    'PATCH + GET coverage (HTTP) p50 ms': pct(httpMs, 50),
    'PATCH + GET coverage (HTTP) p95 ms': pct(httpMs, 95),
  };
}
