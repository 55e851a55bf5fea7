// Child process of bench/login-flood.ts: a hub with real (N=2^14) password hashes on 127.0.0.1,
// alone in its process so its CPU can be read from /proc. Prints {"url":…} once listening.
import { hashPassword } from '../hub/auth/password.js';
import { silentLogger } from '../hub/log.js';
import { createHub } from '../hub/server.js';
import { testSiteConfig } from '../hub/test-support.js';

const users = await Promise.all(['admin', 'guard', 'operator'].map(async (username) => ({
  username, role: username === 'admin' ? 'admin' as const : username === 'guard' ? 'guard' as const : 'operator' as const,
  passwordHash: await hashPassword(`${username} real passphrase`),
})));
const config = testSiteConfig({ floors: 2, pointsPerFloor: 20, users });
const hub = await createHub(config, { drivers: [], log: silentLogger(), listen: { host: '127.0.0.1', port: 0 } });
process.stdout.write(`${JSON.stringify({ url: hub.url, dataDir: config.hub.dataDir })}\n`);
process.on('SIGTERM', () => void hub.stop().then(() => process.exit(0)));
