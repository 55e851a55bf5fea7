// `npx tsx simulators/patrols/run.ts --hub http://127.0.0.1:8080 [--guard guard] [--as supervisor] [--late 0.1] [--skip 0.05]`
// Fetches the current checkpoint codes as a supervisor (the "printed sheet") and plays the guard
// (demo password `<name>-demo`), who walks their assigned tours until Ctrl-C.
import { SimulatedGuard } from './guard.js';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
};
const hubUrl = arg('hub', 'http://127.0.0.1:8080');
const sup = arg('as', 'supervisor');
const login = await fetch(`${hubUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: sup, password: `${sup}-demo` }) });
if (!login.ok) throw new Error(`${sup}: sign-in refused (HTTP ${login.status})`);
const token = ((await login.json()) as { token: string }).token;
const list = (await (await fetch(`${hubUrl}/api/patrols/codes`, { headers: { authorization: `Bearer ${token}` } })).json()) as Array<{ checkpoint: string; token: string }>;
const codes = Object.fromEntries(list.map((c) => [c.checkpoint, c.token]));
const guards = arg('guard', 'guard').split(',').map((u) => new SimulatedGuard({
  hubUrl, username: u, password: `${u}-demo`, codes, lateShare: Number(arg('late', '0.1')), skipShare: Number(arg('skip', '0.05')), pollMs: 5000, log: console.log,
}));
for (const g of guards) await g.start();
console.log(`${guards.length} simulated guard(s) walking their tours (Ctrl-C to stop)`);
process.on('SIGINT', () => {
  for (const g of guards) g.stop();
  process.exit(0);
});
