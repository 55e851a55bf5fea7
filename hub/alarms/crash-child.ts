// Child process for the kill -9 test (journal.test.ts): raises the leak alarm, acknowledges it,
// says so on stdout, then keeps writing process transitions until it is killed.
import type { PointState } from '../../contracts/point.js';
import { AlarmEngine } from './engine.js';
import { AlarmJournal } from './journal.js';
import { testDef } from './test-fixtures.js';

const dir = process.argv[2];
const leak = testDef();
const chatter = testDef({ id: 'chatter', ruleId: 'chatter', pointId: 'hq/a/b1/archive-b101/door-1/open', priority: 'low' });
const states = new Map<string, PointState>();
const engine = new AlarmEngine({
  compiled: { defs: [leak, chatter], timeWindows: {}, operatorPositions: 1 },
  journal: new AlarmJournal(dir),
  point: (id) => states.get(id),
  timezone: 'UTC',
});
const set = (id: string, value: boolean) => {
  const s: PointState = { id, value, quality: 'good', readTs: Date.now(), changedTs: Date.now() };
  states.set(id, s);
  engine.onChanged([s]);
};
set(leak.pointId, true);
engine.ack('leak', 'guard-1', 'on my way');
process.stdout.write('ACKED\n');
let open = false;
setInterval(() => set(chatter.pointId, (open = !open)), 1);
