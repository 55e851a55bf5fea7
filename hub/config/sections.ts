// Optional config files owned by hub subsystems (alarm rules, schedules, broadcast zones...).
// The loader validates each one that exists, with its own schema and cross-checks against the
// points, so a bad rule stops start-up (and `npm run check-config`) with its file and path,
// not later when the subsystem starts. One line per file.
import { isCameraProtocol } from '../../contracts/cameras.js';
import type { ZodType } from 'zod';
import type { SiteTree } from '../../contracts/api.js';
import type { ConfigIssue, ConnectionConfig } from '../../contracts/driver.js';
import type { PointInfo } from '../../contracts/point.js';
import { alarmsFileSchema, checkAlarmRules } from '../alarms/index.js';
import { scheduleConditionProblems } from '../alarms/conditions.js';
import { checkLighting, checkSchedules, lightingFileSchema, schedulesFileSchema } from '../control/index.js';
import type { SchedulesFile } from '../control/schedule-schema.js';
import { broadcastFileSchema, checkBroadcast } from '../broadcast/index.js';
import { checkDispatch, dispatchFileSchema } from '../workorders/schema.js';
import { checkReports, reportsFileSchema } from '../reports/schema.js';
import { checkTestruns, testrunsFileSchema } from '../testruns/schema.js';
import { checkPatrols, patrolsFileSchema } from '../patrols/schema.js';
import { checkEstate, estateFileSchema } from '../edge/check.js';
import { checkRecording, recordingFileSchema } from '../recording/config.js';

export interface ConfigSection<T = any> {
  /** File name inside the config folder. */
  file: string;
  schema: ZodType<T>;
  /**
   * Cross-checks without I/O, e.g. rules naming unknown points. Paths are inside the file.
   * `sections`: the parsed data of every other section file that exists and validated, by file name.
   */
  check?(data: T, points: Map<string, PointInfo>, site: SiteTree, sections: ReadonlyMap<string, unknown>, connections: readonly ConnectionConfig[], usernames: ReadonlySet<string> | null): ConfigIssue[];
}

export const SECTIONS: ConfigSection[] = [
  {
    file: 'alarms.yaml',
    schema: alarmsFileSchema,
    check: (data, points, _site, sections, connections) => [
      ...checkAlarmRules(data, points),
      ...scheduleConditionProblems(data, zoneGroupIds(sections.get('schedules.yaml'))),
      ...cameraActionProblems(data, cameraIds(points, connections)),
    ],
  },
  { file: 'schedules.yaml', schema: schedulesFileSchema, check: (data, points) => checkSchedules(data, points) },
  { file: 'lighting.yaml', schema: lightingFileSchema, check: (data, points) => checkLighting(data, points) },
  { file: 'broadcast.yaml', schema: broadcastFileSchema, check: (data) => checkBroadcast(data) },
  { file: 'dispatch.yaml', schema: dispatchFileSchema, check: (data, _points, _site, sections, _connections, usernames) => checkDispatch(data, usernames, sections.get('alarms.yaml') ?? null) },
  { file: 'testruns.yaml', schema: testrunsFileSchema, check: (data, _points, _site, _sections, connections) => checkTestruns(data, connections) },
  { file: 'patrols.yaml', schema: patrolsFileSchema, check: (data, _points, _site, _sections, _connections, usernames) => checkPatrols(data, usernames) },
  { file: 'edge.yaml', schema: estateFileSchema, check: (data, _points, site) => checkEstate(data, site) },
  { file: 'recording.yaml', schema: recordingFileSchema, check: (data, points, _site, _sections, connections) => checkRecording(data, points, connections) },
  { file: 'reports.yaml', schema: reportsFileSchema, check: (data, points, site, _sections, _connections, usernames) => checkReports(data, points, site, usernames) },
];

/** Zone group ids of a parsed schedules.yaml; null when the file is missing or did not validate. */
function zoneGroupIds(schedules: unknown): Set<string> | null {
  return schedules ? new Set((schedules as SchedulesFile).groups.map((g) => g.id)) : null;
}

/** A camera is named by its ONVIF connection id or its device (equipment) id. */
function cameraIds(points: Map<string, PointInfo>, connections: readonly ConnectionConfig[]): Set<string> {
  const ids = new Set(connections.filter((c) => isCameraProtocol(c.protocol)).map((c) => c.id));
  for (const p of points.values()) if (isCameraProtocol(p.protocol)) ids.add(p.device);
  return ids;
}

/** Alarm actions that name a camera the site does not have (the snapshot would silently never happen). */
export function cameraActionProblems(file: { rules: Array<{ actions?: Array<{ type: string; camera?: string }> }> }, cameras: ReadonlySet<string>): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  file.rules.forEach((rule, ri) =>
    rule.actions?.forEach((a, ai) => {
      if (a.type === 'camera-snapshot' && a.camera !== undefined && a.camera !== 'nearest' && !cameras.has(a.camera)) {
        out.push({ path: ['rules', ri, 'actions', ai, 'camera'], message: `unknown camera "${a.camera}" (known: ${[...cameras].sort().join(', ') || 'none'})` });
      }
    }),
  );
  return out;
}
