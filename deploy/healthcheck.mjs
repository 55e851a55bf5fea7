// Liveness probe for watchfloor-health.service: exits 0 when the hub answers /api/health with any HTTP
// status (a 503 while InfluxDB is down still means the process is alive and serving), 1 when it does not
// answer twice in a row. No dependencies: runs with plain node.
//   node deploy/healthcheck.mjs [url]   (default WATCHFLOOR_HEALTH_URL or http://127.0.0.1:8080/api/health)
const url = process.argv[2] ?? process.env.WATCHFLOOR_HEALTH_URL ?? 'http://127.0.0.1:8080/api/health';
const timeoutMs = Number(process.env.WATCHFLOOR_HEALTH_TIMEOUT_MS ?? 10_000);
const pauseMs = Number(process.env.WATCHFLOOR_HEALTH_PAUSE_MS ?? 5_000);

async function answers() {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status;
  } catch (err) {
    process.stderr.write(`no answer from ${url}: ${err instanceof Error ? err.message : String(err)}\n`);
    return null;
  }
}

let status = await answers();
if (status === null) {
  await new Promise((r) => setTimeout(r, pauseMs));
  status = await answers();
}
if (status === null) {
  process.stderr.write(`the hub did not answer ${url} twice: restart it\n`);
  process.exit(1);
}
process.stdout.write(`hub alive (${url} → HTTP ${status})\n`);
