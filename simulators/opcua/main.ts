// Runs the OPC UA HVAC simulator on its own: `npx tsx simulators/opcua/main.ts [--port 4840] [--time-scale 60] [--extra-points N] [--scenario name] [--trust-client cert.pem …]`.
// Prints one JSON line `{"endpointUrl":…,"port":…}` on stdout once listening (the benchmark reads it).
import { parseArgs } from 'node:util';
import { startOpcuaSimulator } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4840' },
    'time-scale': { type: 'string', default: '1' },
    'extra-points': { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
    scenario: { type: 'string' },
    // A client certificate to put on the trust list (Sign/SignAndEncrypt); repeatable.
    'trust-client': { type: 'string', multiple: true },
  },
});
const log = { info: (o: object, m?: string) => console.error(m ?? '', JSON.stringify(o)), warn: (o: object, m?: string) => console.error(m ?? '', JSON.stringify(o)) };
const sim = await startOpcuaSimulator({
  port: Number(values.port),
  timeScale: Number(values['time-scale']),
  extraPoints: Number(values['extra-points']),
  dataDir: values['data-dir'],
  log,
});
for (const file of values['trust-client'] ?? []) await sim.trustClientCertificate(file);
log.info({ trusted: sim.clientTrust.trusted, rejected: sim.clientTrust.rejected }, 'client certificate trust list');
process.stdout.write(JSON.stringify({ endpointUrl: sim.endpointUrl, port: sim.port, certificateFile: sim.certificateFile }) + '\n');
if (values.scenario) sim.runScenario(values.scenario).then(() => log.info({ scenario: values.scenario }, 'scenario done'));
const shutdown = async () => { await sim.stop(); process.exit(0); };
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
