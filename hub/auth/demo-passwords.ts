// The demo logins (admin/admin-demo, …) are for `npm start` on loopback. A hub that listens on
// anything else refuses to start while any user still has one.
//
// Detection verifies each user's hash against that user's demo password `<username>-demo`, and
// also matches the hashes shipped in config/users.yaml exactly (a copied line under another
// name). Verifying rather than marking: a marker in users.yaml would be kept by whoever copies the
// file, and would not notice `npm run hash-password -- admin-demo`. One scrypt per user, at start.
import type { UserEntry } from '../config/types.js';
import { verifyPassword } from './password.js';

/** The hashes config/users.yaml ships with (scripts/gen-demo-config.ts keeps them). */
export const SHIPPED_DEMO_HASHES: ReadonlySet<string> = new Set([
  'scrypt$16384$8$1$V/QN9vWrjJeft4EasNCccg==$pYw/s6nv6Jk3ROz5ZB8fpb4jk0DhdRuwUW4IbLWwqVI=',
  'scrypt$16384$8$1$n9O3YTTGdxaC0uYIH3H7vg==$iFEF9wcjfHRRwQ/bdHs8mXDzWDiQPdgqygGV53tRrSw=',
  'scrypt$16384$8$1$JJQswIMU8kuruwk6AfmjzA==$0SRpz6H3NZmxyGGKBP2YbH3Mme6pfLLINs5Q8me5MJI=',
  'scrypt$16384$8$1$Q9ehf1cpJ3V8aXaGDgNs2Q==$gab8f0dzbrwDk9QKb1hu9UI5izlBo52OrGcIJeky/Oo=',
  'scrypt$16384$8$1$ofWUjqi6iGxVkhvFyG61sg==$js1i248w4GHbLbhszseLYNSpIwjXtHpFVeLsJnVzh+g=',
  'scrypt$16384$8$1$mQW2FCJmQptj3NHBEbiVBQ==$x+NonlnWzSj0QmNRR2N7+D+vG1upQ4p7Tbp/oVjXH/k=',
]);

export const demoPasswordOf = (username: string) => `${username}-demo`;

/** True for 127.0.0.0/8, ::1, ::ffff:127.x and localhost. '0.0.0.0', '::' and '' (all interfaces) are not. Pure. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(h);
}

/** Usernames whose password is a demo one. */
export async function usersWithDemoPasswords(users: readonly Pick<UserEntry, 'username' | 'passwordHash'>[]): Promise<string[]> {
  const found = await Promise.all(users.map(async (u) => {
    if (SHIPPED_DEMO_HASHES.has(u.passwordHash)) return true;
    try {
      return await verifyPassword(demoPasswordOf(u.username), u.passwordHash);
    } catch {
      return false; // an unusable hash is the config check's business, not a demo password
    }
  }));
  return users.filter((_, i) => found[i]).map((u) => u.username);
}

export class DemoPasswordError extends Error {
  constructor(readonly host: string, readonly usernames: string[]) {
    super(
      `refusing to listen on ${host}: ${usernames.join(', ')} still ${usernames.length === 1 ? 'has its' : 'have their'} demo password. ` +
        `Set real ones with \`npm run set-password -- <username>\` (see README, "Production"), or listen on 127.0.0.1 (hub.yaml host).`,
    );
    this.name = 'DemoPasswordError';
  }
}

/** Throws DemoPasswordError when `host` is not loopback and a user has a demo password. */
export async function refuseDemoPasswordsOffLoopback(host: string, users: readonly Pick<UserEntry, 'username' | 'passwordHash'>[]): Promise<void> {
  if (isLoopbackHost(host)) return;
  const demo = await usersWithDemoPasswords(users);
  if (demo.length > 0) throw new DemoPasswordError(host, demo);
}
