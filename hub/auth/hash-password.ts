// `npm run hash-password -- 'secret'`: prints the scrypt hash to paste into config/users.yaml.
import { hashPassword } from './password.js';

const password = process.argv[2];
if (!password) {
  process.stderr.write("usage: npm run hash-password -- '<password>'\n");
  process.exit(2);
}
process.stdout.write(`${await hashPassword(password)}\n`);
