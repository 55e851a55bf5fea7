// Child process for the kill -9 test and benchmark: a real hub with the dispatch module on a given
// data folder. Prints `URL <url>` when it listens; the parent drives it over HTTP and kills it.
import { hashPassword } from '../auth/password.js';
import { silentLogger } from '../log.js';
import { createHub } from '../server.js';
import { testSiteConfig } from '../test-support.js';
import { createDispatchModule } from './index.js';
import { dispatchFileSchema } from './schema.js';

export const CRASH_PASSWORD = 'crash-test-pw';

const dataDir = process.argv[2];
const hash = await hashPassword(CRASH_PASSWORD, { N: 1024, r: 8, p: 1 });
const config = testSiteConfig({ floors: 1, pointsPerFloor: 2, dataDir, users: [{ username: 'e1', role: 'maintainer', passwordHash: hash }, { username: 'sup', role: 'supervisor', passwordHash: hash }] });
const file = dispatchFileSchema.parse({
  people: [{ user: 'e1' }, { user: 'sup' }],
  trades: [{ id: 'electrical', areas: ['a'] }],
  roster: { entries: [{ trade: 'electrical', workday: ['e1'], weekend: ['e1'], holiday: ['e1'], supervisor: 'sup', manager: 'sup' }] },
  notify: { policies: [{ channels: ['console'] }] },
});
const hub = await createHub(config, { drivers: [], modules: [createDispatchModule({ file, tickMs: 0 })], log: silentLogger(), listen: { port: 0 }, consoleDir: '/nonexistent' });
process.stdout.write(`URL ${hub.url}\n`);
