// `npm run bench [-- name ...]`: runs the benchmarks one after another (never in parallel:
// they measure CPU on a 2-core machine) and prints each one's figures with the machine's conditions.
import os from 'node:os';

type Bench = () => Promise<Record<string, number | string>>;

const BENCHES: Record<string, () => Promise<Bench>> = {
  ingest: async () => (await import('./ingest.js')).benchIngest,
  modbus: async () => (await import('./modbus.js')).benchModbus,
  history: async () => (await import('./history.js')).benchHistory,
  'history-crash': async () => (await import('./history-crash.js')).benchHistoryCrash,
  'history-outage': async () => (await import('./history-outage.js')).benchHistoryOutage,
  'modbus-recovery': async () => (await import('./modbus-recovery.js')).benchModbusRecovery,
  opcua: async () => (await import('./opcua.js')).benchOpcua,
  alarms: async () => (await import('./alarms.js')).benchAlarms,
  video: async () => (await import('./video.js')).benchVideo,
  'video-standby': async () => (await import('./standby.js')).benchStandby,
  'video-masks': async () => (await import('./video-masks.js')).benchVideoMasks,
  control: async () => (await import('./control.js')).benchControl,
  wall: async () => (await import('./wall.js')).benchWall as unknown as Bench,
  console: async () => (await import('./console.js')).benchConsole,
  'login-flood': async () => (await import('./login-flood.js')).benchLoginFlood,
  bacnet: async () => (await import('./bacnet.js')).benchBacnet,
  'modbus-rtu': async () => (await import('./modbus-rtu.js')).benchModbusRtu,
  pa: async () => (await import('./pa.js')).benchPa,
  reload: async () => (await import('./reload.js')).benchReload,
  backtest: async () => (await import('./backtest.js')).benchBacktest,
  dispatch: async () => (await import('./dispatch.js')).benchDispatch,
  recording: async () => (await import('./recording.js')).benchRecording,
  patrols: async () => (await import('./patrols.js')).benchPatrols,
  'camera-open': async () => (await import('./camera.js')).benchCameraOpen,
  'camera-wall': async () => (await import('./camera.js')).benchCameraWall,
  coverage: async () => (await import('./coverage.js')).benchCoverage,
  decision: async () => (await import('./reports.js')).benchDecision,
  'report-pdf': async () => (await import('./reports.js')).benchReportPdf,
  pipeline: async () => (await import('./pipeline.js')).benchPipeline,
  'modbus-scale': async () => (await import('./modbus-scale.js')).benchModbusScale,
  memory: async () => (await import('./memory.js')).benchMemory,
  coldstart: async () => (await import('./coldstart.js')).benchColdstart,
  scale: async () => (await import('./scale.js')).benchScale,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(BENCHES);
const unknown = names.filter((n) => !BENCHES[n]);
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')} (known: ${Object.keys(BENCHES).join(', ')})`);
  process.exit(2);
}

const cpus = os.cpus();
console.log(`machine: ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
let failed = 0;
for (const name of names) {
  console.log(`\n=== ${name} ===`);
  try {
    const run = await BENCHES[name]();
    const figures = await run();
    for (const [k, v] of Object.entries(figures)) {
      const shown = typeof v === 'number' ? +v.toFixed(2) : typeof v === 'object' && v !== null ? JSON.stringify(v) : v;
      console.log(`  ${k.padEnd(40)} ${shown}`);
    }
  } catch (e) {
    failed++;
    console.error(`  ${name} failed:`, e);
  }
}
process.exit(failed ? 1 : 0);
