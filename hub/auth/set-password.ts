// `npm run set-password -- <username> [--config DIR]`: asks for a new password (twice, not echoed;
// or one line on stdin when it is not a terminal), hashes it with scrypt and writes the hash into
// users.yaml in place, comments and order kept. The first-run step before a hub leaves loopback.
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { isMap, isSeq, parseDocument } from 'yaml';
import { demoPasswordOf } from './demo-passwords.js';
import { hashPassword } from './password.js';

export const MIN_PASSWORD_LENGTH = 10;

/** Why a new password is refused, or null. Pure. */
export function passwordProblem(username: string, password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > 1000) return 'must be at most 1000 characters';
  if (password === demoPasswordOf(username) || /-demo$/.test(password)) return 'must not be a demo password';
  if (password.toLowerCase().includes(username.toLowerCase())) return 'must not contain the username';
  return null;
}

/** users.yaml text with `username`'s password replaced by `hash`; throws naming what is wrong. Pure. */
export function withPassword(yamlText: string, username: string, hash: string): string {
  const doc = parseDocument(yamlText);
  if (doc.errors.length) throw new Error(`users.yaml does not parse: ${doc.errors[0].message.split('\n')[0]}`);
  const users = doc.get('users');
  if (!isSeq(users)) throw new Error('users.yaml has no users: list');
  const entry = users.items.find((u) => isMap(u) && u.get('username') === username);
  if (!isMap(entry)) {
    const known = users.items.flatMap((u) => (isMap(u) ? [String(u.get('username'))] : []));
    throw new Error(`no user ${username} in users.yaml (users: ${known.join(', ')})`);
  }
  entry.set('password', hash);
  return doc.toString();
}

async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    return '';
  }
  process.stdout.write(prompt);
  process.stdin.setRawMode(true);
  process.stdin.resume();
  let text = '';
  return new Promise((resolve, reject) => {
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          process.stdin.off('data', onData);
          process.stdin.setRawMode(false);
          process.stdin.pause();
          process.stdout.write('\n');
          return resolve(text);
        }
        if (ch === '\u0003') {
          process.stdin.setRawMode(false);
          return reject(new Error('cancelled'));
        }
        if (ch === '\u007f') text = text.slice(0, -1);
        else text += ch;
      }
    };
    process.stdin.on('data', onData);
  });
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  let configDir = process.env.WATCHFLOOR_CONFIG ?? 'config';
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--config') configDir = args[++i] ?? '';
    else positional.push(args[i]);
  }
  const username = positional[0];
  if (!username || !configDir || positional.length > 1) {
    process.stderr.write('usage: npm run set-password -- <username> [--config DIR]   (password from the terminal, or one line on stdin)\n');
    return 2;
  }
  const file = path.join(configDir, 'users.yaml');
  const text = fs.readFileSync(file, 'utf8');
  withPassword(text, username, 'scrypt$1$1$1$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA=='); // the user exists: ask only then
  const password = await readPassword(`New password for ${username}: `);
  const problem = passwordProblem(username, password);
  if (problem) {
    process.stderr.write(`password refused: it ${problem}\n`);
    return 1;
  }
  if (process.stdin.isTTY && (await readPassword('Repeat it: ')) !== password) {
    process.stderr.write('the two passwords differ; nothing changed\n');
    return 1;
  }
  const next = withPassword(text, username, await hashPassword(password));
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, next, { mode: fs.statSync(file).mode & 0o777 });
  fs.renameSync(tmp, file);
  process.stdout.write(`password of ${username} set in ${file}; a running hub picks it up at its next start (or config reload)\n`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main().then((code) => process.exit(code), (err) => {
    process.stderr.write(`set-password: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
