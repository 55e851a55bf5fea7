// `npm run testrun -- testruns/leak-b1.yaml [more.yaml|dir] [--hub URL] [--out DIR] [--no-screens] [--cameras]`
// `npm run testrun -- --checkout [--hub URL] [--area a/l03] [--alarms]`  point-to-point checkout + sign-off PDF
// `npm run testrun -- --soak 1h --scale 60 [--hub URL]`            soak run (scripts/testrun-soak.ts)
//
// Without --hub it starts the demo itself on free ports (scripts/testrun-stack.ts), so it never
// touches a running `npm start`; with --hub it drives that hub (which must enable test runs).
// Prints progress live; writes <out>/junit.xml, <out>/report.html and the screenshots.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { renderHtml, renderJunit, type SuiteResult } from '../hub/testruns/report.js';
import { runSuite } from '../hub/testruns/runner.js';
import { parseSuite } from '../hub/testruns/suite.js';
import { screenshotter } from './console-screens.js';
import { runCheckout } from './testrun-checkout.js';
import { runSoak } from './testrun-soak.js';
import { startTestStack, type TestStack } from './testrun-stack.js';

export interface CliArgs {
  files: string[];
  hub?: string;
  out: string;
  screens: boolean;
  cameras: boolean;
  checkout: boolean;
  area?: string;
  /** Checkout also trips and clears the alarms of simulated points. */
  alarms: boolean;
  alarmMaxDelayS?: number;
  soak?: string;
  scale: number;
  user: string;
  /** One suite after another instead of all at once (they touch different points, so parallel is the default). */
  serial: boolean;
}

/** Parses the command line; throws a one-line usage error. Pure. */
export function parseArgs(argv: readonly string[]): CliArgs {
  const a: CliArgs = { files: [], out: 'test-artifacts/testrun', screens: true, cameras: false, checkout: false, alarms: false, scale: 60, user: 'admin', serial: false };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    const next = () => {
      const n = argv[++i];
      if (n === undefined || n.startsWith('--')) throw new Error(`${v} needs a value`);
      return n;
    };
    if (v === '--hub') a.hub = next().replace(/\/$/, '');
    else if (v === '--out') a.out = next();
    else if (v === '--no-screens') a.screens = false;
    else if (v === '--cameras') a.cameras = true;
    else if (v === '--checkout') a.checkout = true;
    else if (v === '--area') a.area = next();
    else if (v === '--alarms') a.alarms = true;
    else if (v === '--alarm-max-delay') a.alarmMaxDelayS = Number(next());
    else if (v === '--soak') a.soak = next();
    else if (v === '--scale') a.scale = Number(next());
    else if (v === '--user') a.user = next();
    else if (v === '--serial') a.serial = true;
    else if (v.startsWith('--')) throw new Error(`unknown option ${v}`);
    else a.files.push(v);
  }
  if (!(a.scale > 0 && a.scale <= 1000)) throw new Error('--scale must be a number in (0, 1000]');
  if (!a.checkout && !a.soak && a.files.length === 0) throw new Error('give suite files (testruns/*.yaml), --checkout or --soak DURATION');
  return a;
}

/** Suite files: a folder means every *.yaml in it, sorted. */
export function expandFiles(files: readonly string[]): string[] {
  return files.flatMap((f) => (fs.statSync(f).isDirectory() ? fs.readdirSync(f).filter((n) => n.endsWith('.yaml')).sort().map((n) => path.join(f, n)) : [f]));
}

/** Passwords: WATCHFLOOR_TESTRUN_PASSWORDS='{"admin":"…"}', else the demo's `<user>-demo` (loopback demo only). */
export function passwordSource(env: NodeJS.ProcessEnv): (user: string) => string {
  const given = env.WATCHFLOOR_TESTRUN_PASSWORDS ? (JSON.parse(env.WATCHFLOOR_TESTRUN_PASSWORDS) as Record<string, string>) : {};
  return (user) => given[user] ?? `${user}-demo`;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  fs.mkdirSync(args.out, { recursive: true });
  const password = passwordSource(process.env);
  let stack: TestStack | undefined;
  if (!args.hub) {
    console.log('starting the demo on free ports (simulators, control channel, hub)…');
    stack = await startTestStack({ cameras: args.cameras, ...(args.soak ? { timeScale: args.scale } : {}) });
    console.log(`hub at ${stack.url}`);
  }
  const hub = args.hub ?? stack!.url;
  let browser: Browser | undefined;
  try {
    if (args.soak) return await runSoak({ hub, duration: args.soak, scale: args.scale, out: args.out, password, user: args.user, stack });
    if (args.screens || args.checkout) browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    if (args.checkout) return await runCheckout({ hub, out: args.out, password, user: args.user, area: args.area, alarms: args.alarms, alarmMaxDelayS: args.alarmMaxDelayS, browser: browser! });
    const suites = expandFiles(args.files).map((f) => ({ file: f, suite: parseSuite(fs.readFileSync(f, 'utf8'), f) }));
    const shots = browser ? await screenshotter(browser, hub, args.out, password) : undefined;
    const t0 = Date.now();
    // One browser page: screenshots take turns.
    let turn = Promise.resolve('');
    const screenshot = shots ? (r: string, n: string, u: string) => (turn = turn.catch(() => '').then(() => shots.shot(r, n, u))) : undefined;
    const sessions = new Map<string, Promise<string>>();
    const run = ({ file, suite }: (typeof suites)[number]) => runSuite(suite, file, { hub, password, sessions, progress: (l) => console.log(args.serial ? l : `[${suite.name}] ${l.trim()}`), ...(screenshot ? { screenshot } : {}) });
    const results: SuiteResult[] = [];
    if (args.serial) for (const s of suites) results.push(await run(s));
    else {
      results.push(...(await Promise.all(suites.filter((x) => !x.suite.exclusive).map(run))));
      for (const x of suites.filter((y) => y.suite.exclusive)) results.push(await run(x));
    }
    await shots?.close();
    fs.writeFileSync(path.join(args.out, 'junit.xml'), renderJunit(results));
    fs.writeFileSync(path.join(args.out, 'report.html'), renderHtml(results, { hub, generatedAt: Date.now() }));
    const failed = results.filter((r) => r.error || r.cases.some((c) => !c.ok));
    console.log(`\n${results.length - failed.length}/${results.length} suites passed in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${path.join(args.out, 'junit.xml')}, ${path.join(args.out, 'report.html')}`);
    return failed.length ? 1 : 0;
  } finally {
    await browser?.close();
    await stack?.stop();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error((err as Error).message);
      process.exit(2);
    },
  );
}
