// `npx tsx simulators/dispatch/run.ts --hub http://127.0.0.1:8080 --faults 5 --as viewer [--maintainer electrician]`
// Reports faults as a signed-in user (demo password `<name>-demo`) and plays the maintainers of the
// demo roster, who accept and complete them over the REST API, until Ctrl-C.
import { reportFaults, SimulatedMaintainer } from './maintainer.js';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
};
const hubUrl = arg('hub', 'http://127.0.0.1:8080');
const reporter = arg('as', 'viewer');
const maintainers = arg('maintainer', 'electrician,plumber,hvac').split(',');
const login = async (u: string) => {
  const r = await fetch(`${hubUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u, password: `${u}-demo` }) });
  if (!r.ok) throw new Error(`${u}: sign-in refused (HTTP ${r.status})`);
  return ((await r.json()) as { token: string }).token;
};
const sims = maintainers.map((u) => new SimulatedMaintainer({ hubUrl, username: u, password: `${u}-demo`, stepMs: 1000, pollMs: 2000, log: console.log }));
for (const s of sims) await s.start();
const ids = await reportFaults({ hubUrl, token: await login(reporter), count: Number(arg('faults', '5')), areas: ['a/b1', 'a/l01', 'a/l02'], trades: ['electrical', 'plumbing', 'hvac'] });
console.log(`reported ${ids.length} faults: ${ids.map((i) => `#${i}`).join(' ')}; maintainers working (Ctrl-C to stop)`);
process.on('SIGINT', () => {
  for (const s of sims) s.stop();
  process.exit(0);
});
