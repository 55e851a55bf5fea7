// The fuzz suites run with a fixed seed by default (CI is deterministic) and print it; FUZZ_SEED
// overrides it to explore, and a failure names the seed to replay.
const DEFAULT_SEED = 20261103;

export function fuzzSeed(suite: string): number {
  const raw = process.env.FUZZ_SEED;
  const seed = raw !== undefined && /^-?\d+$/.test(raw) ? Number(raw) : DEFAULT_SEED;
  console.log(`fuzz ${suite}: seed ${seed}${raw === undefined ? ' (fixed; set FUZZ_SEED to change)' : ' (FUZZ_SEED)'}`);
  return seed;
}
