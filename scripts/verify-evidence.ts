// `npm run evidence:verify -- DIR [DIR…]`: checks an evidence export against its manifest.json
// (SHA-256 and size of every file; nothing missing, nothing added). Exit 0 when all match, 1 when
// anything differs, 2 on usage errors. Needs no hub and no network.
import { verifyEvidence } from '../hub/recording/manifest.js';

const dirs = process.argv.slice(2).filter((a) => a !== '--');
if (dirs.length === 0) {
  console.error('usage: npm run evidence:verify -- <export dir> [more dirs]');
  process.exit(2);
}
let bad = 0;
for (const dir of dirs) {
  const { manifest, problems } = await verifyEvidence(dir);
  if (problems.length === 0) {
    console.log(`OK ${dir}: ${manifest!.files.length} files match manifest ${manifest!.id} (exported by ${manifest!.exportedBy} at ${manifest!.exportedAt}: ${manifest!.reason})`);
    continue;
  }
  bad++;
  console.log(`FAILED ${dir}:`);
  for (const p of problems) console.log(`  ${p.problem.padEnd(8)} ${p.path}${p.detail ? `  ${p.detail}` : ''}`);
}
process.exit(bad ? 1 : 0);
