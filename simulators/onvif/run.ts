// `npx tsx simulators/onvif/run.ts`: the demo cameras on their demo ports (config/devices/cameras.yaml),
// the outdoor ones served on demand.
import { DEMO_CREDENTIALS, DEMO_OUTDOOR_CAMERAS, startOnvifSimulator } from './index.js';

const sim = await startOnvifSimulator({ ports: 'demo', ...DEMO_CREDENTIALS, onDemand: DEMO_OUTDOOR_CAMERAS });
for (const c of sim.cameras) console.log(`camera ${c.id}: ONVIF http://127.0.0.1:${c.onvifPort}/onvif/device_service, RTSP ${c.rtspUrl}`);
const fixed = sim.onDemand?.cameras.filter((c) => !c.onvifPort) ?? [];
if (fixed.length) console.log(`on demand, RTSP only: ${fixed.map((c) => c.rtspUrl).join(' ')}`);
if (sim.discovery) console.log(`WS-Discovery: ${sim.discovery.multicast ? "multicast 239.255.255.250:3702 and " : ""}unicast 127.0.0.1:${sim.discovery.unicastPort}`);
// Scenario: motion in the lobby every 30 s for 5 s.
const timer = setInterval(() => {
  sim.triggerMotion('cam-lobby', true);
  setTimeout(() => sim.triggerMotion('cam-lobby', false), 5000);
}, 30_000);
const stop = async () => {
  clearInterval(timer);
  await sim.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
