// `npm run check-config [-- <config dir>]`: validate the site config and floor plans with every
// check the hub runs at start, and nothing else (no I/O to devices). See hub/config/check.ts.
import { checkConfigFolder } from '../hub/config/check.js';

const dir = process.argv[2] ?? process.env.WATCHFLOOR_CONFIG ?? 'config';
const { exitCode, text } = checkConfigFolder(dir);
(exitCode === 0 ? process.stdout : process.stderr).write(`${text}\n`);
process.exitCode = exitCode;
