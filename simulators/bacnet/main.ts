// `npx tsx simulators/bacnet/main.ts [--port 47809] [--bulk 0]`: the simulated DDC panel alone.
import { BACNET_DEMO_PORT, startBacnetSimulator } from './index.js';

function arg(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const sim = await startBacnetSimulator({
    port: Number(arg('--port') ?? BACNET_DEMO_PORT),
    bulk: Number(arg('--bulk') ?? 0),
    tickMs: Number(arg('--tick-ms') ?? 1000),
    bulkChurn: Number(arg('--churn') ?? 0.1),
  });
  console.log(`BACnet/IP device ${sim.instance} on ${sim.host}:${sim.port} (${sim.device.objects.length} objects)`);
  const stop = () => void sim.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  setInterval(() => {}, 1 << 30);
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
