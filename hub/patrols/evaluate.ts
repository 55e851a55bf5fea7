// How one run of a tour stands at a given server time: each checkpoint's window, whether it was
// scanned on time, early, late or missed, out of order, or after too long a gap. Pure: the
// service, the wall, the alarms and the compliance report all read this one judgement.
import type { CheckpointStatus, RunCheckpoint } from '../../contracts/patrols.js';

const MIN = 60_000;

export interface TourPlan {
  checkpoints: ReadonlyArray<{ checkpoint: string; atMin: number; windowMin: number }>;
  maxGapMin: number;
}

/** An accepted scan of the run, in server time. */
export interface RunScan {
  checkpoint: string;
  serverTs: number;
  user: string;
  failed?: string[];
  rating?: number;
}

export interface RunJudgement {
  checkpoints: RunCheckpoint[];
  /** The last window closes here; late scans are still taken until end + maxGap (graceEnd). */
  end: number;
  graceEnd: number;
  counts: Record<CheckpointStatus, number>;
}

export function runBounds(plan: TourPlan, start: number): { end: number; graceEnd: number } {
  let end = start;
  for (const c of plan.checkpoints) end = Math.max(end, start + (c.atMin + c.windowMin) * MIN);
  return { end, graceEnd: end + plan.maxGapMin * MIN };
}

export function statusOf(ts: number, opens: number, closes: number): CheckpointStatus {
  return ts < opens ? 'early' : ts <= closes ? 'on_time' : 'late';
}

/**
 * Scans are taken in server-time order; each goes to the first stop of its checkpoint that has no
 * scan yet (a tour may pass a checkpoint twice). Scans of checkpoints not on the tour are ignored.
 */
export function judgeRun(plan: TourPlan, start: number, scans: readonly RunScan[], now: number): RunJudgement {
  const cps: RunCheckpoint[] = plan.checkpoints.map((c, index) => {
    const due = start + c.atMin * MIN;
    return { checkpoint: c.checkpoint, index, due, opens: due - c.windowMin * MIN, closes: due + c.windowMin * MIN, status: 'pending' };
  });
  const sorted = [...scans].sort((a, b) => a.serverTs - b.serverTs);
  let highest = -1;
  let prevTs: number | undefined;
  for (const s of sorted) {
    const cp = cps.find((c) => c.checkpoint === s.checkpoint && c.scannedAt === undefined);
    if (!cp) continue;
    cp.scannedAt = s.serverTs;
    cp.by = s.user;
    cp.status = statusOf(s.serverTs, cp.opens, cp.closes);
    if (cp.index < highest) cp.outOfOrder = true;
    highest = Math.max(highest, cp.index);
    if (prevTs !== undefined && s.serverTs - prevTs > plan.maxGapMin * MIN) cp.gapExceeded = true;
    prevTs = s.serverTs;
    if (s.failed && s.failed.length > 0) cp.failed = [...s.failed];
    if (s.rating !== undefined) cp.rating = s.rating;
  }
  for (const cp of cps) if (cp.scannedAt === undefined && now > cp.closes) cp.status = 'missed';
  const counts: Record<CheckpointStatus, number> = { pending: 0, on_time: 0, early: 0, late: 0, missed: 0 };
  for (const cp of cps) counts[cp.status]++;
  return { checkpoints: cps, ...runBounds(plan, start), counts };
}

/** Checkpoints a guard should be at or past: window closed without a scan, or open now and not scanned. */
export function overdue(cps: readonly RunCheckpoint[], now: number): string[] {
  return cps.filter((c) => c.scannedAt === undefined && now >= c.opens && (c.status === 'missed' || now > c.due)).map((c) => c.checkpoint);
}

/** What each patrol alarm of the tour should be now, from the run's judgement. */
export function alarmConditions(cps: readonly RunCheckpoint[]): { missed: Set<string>; late: Set<string>; order: boolean } {
  const missed = new Set<string>(), late = new Set<string>();
  let order = false;
  for (const c of cps) {
    if (c.status === 'missed') missed.add(c.checkpoint);
    if (c.status === 'late' || c.gapExceeded) late.add(c.checkpoint);
    if (c.outOfOrder) order = true;
  }
  return { missed, late, order };
}
