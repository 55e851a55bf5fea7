import { describe, expect, it } from 'vitest';
import type { PointInfo } from '../../contracts/point.js';
import { buildCalendar } from '../control/calendar.js';
import { cameraConfig, checkRecording, recordingFileSchema, scheduledAt } from './config.js';

const cal = buildCalendar({ holidays: [{ from: '2026-10-01', to: '2026-10-07', name: '国庆' }], workdays: [{ date: '2026-10-10', name: '调休' }] });
const TZ = 'Asia/Shanghai';
/** A Shanghai local time as epoch ms. */
const at = (iso: string) => Date.parse(`${iso}+08:00`);

describe('scheduledAt', () => {
  const nights = [{ days: ['workday' as const], from: '18:00', to: '08:30' }, { days: ['weekend' as const, 'holiday' as const], from: '00:00', to: '24:00' }];
  it.each([
    ['2026-12-03T12:00:00', false], // Thursday noon
    ['2026-12-03T19:00:00', true], // Thursday evening
    ['2026-12-04T02:10:00', true], // Friday 02:10, the window from Thursday 18:00
    ['2026-12-04T08:30:00', false],
    ['2026-12-05T12:00:00', true], // Saturday
    ['2026-10-02T12:00:00', true], // National Day holiday (a Friday)
    ['2026-10-10T12:00:00', false], // Saturday but a 调休 make-up working day
    ['2026-10-10T20:00:00', true],
  ])('%s → %s', (local, on) => expect(scheduledAt(nights, at(local), TZ, cal)).toBe(on));
  it('weekday selectors and no-days windows', () => {
    expect(scheduledAt([{ days: ['mon'], from: '09:00', to: '10:00' }], at('2026-11-30T09:30:00'), TZ, cal)).toBe(true);
    expect(scheduledAt([{ days: ['mon'], from: '09:00', to: '10:00' }], at('2026-12-01T09:30:00'), TZ, cal)).toBe(false);
    expect(scheduledAt([{ from: '09:00', to: '10:00' }], at('2026-12-01T09:30:00'), TZ, cal)).toBe(true);
  });
});

describe('recording.yaml', () => {
  const points = new Map<string, PointInfo>([
    ['hq/a/b1/x/cam/motion', { id: 'hq/a/b1/x/cam/motion', kind: 'binary' } as PointInfo],
    ['hq/a/b1/x/env/t', { id: 'hq/a/b1/x/env/t', kind: 'analog' } as PointInfo],
  ]);
  const connections = [{ id: 'cam-a', protocol: 'onvif', options: {} }] as never;
  it('defaults when absent', () => {
    const f = recordingFileSchema.parse({});
    expect(f.store).toEqual({ dir: 'recordings', retentionDays: 30, quotaGb: 50, segmentSeconds: 4 });
    expect(cameraConfig(f, 'any').mode).toBe('continuous');
  });
  it.each([
    [{ cameras: { 'cam-x': {} } }, [['cameras', 'cam-x']]],
    [{ cameras: { 'cam-a': { mode: 'event', triggers: ['nope', 'hq/a/b1/x/env/t', 'hq/a/b1/x/cam/motion'] } } }, [['cameras', 'cam-a', 'triggers', 0], ['cameras', 'cam-a', 'triggers', 1]]],
    [{ cameras: { 'cam-a': { mode: 'schedule' } } }, [['cameras', 'cam-a', 'schedule']]],
    [{ cameras: { 'cam-a': { mode: 'schedule', schedule: [{ from: '08:00', to: '08:00' }] } } }, [['cameras', 'cam-a', 'schedule', 0]]],
    [{ cameras: { 'cam-a': { mode: 'continuous', masks: [{ x: 0.1, y: 0.1, w: 0.2, h: 0.2 }] } } }, []],
    [{ cameras: { 'cam-a': { maskLiveForRoles: ['guard'] } } }, [['cameras', 'cam-a', 'maskLiveForRoles']]],
    [{ cameras: { 'cam-a': { masks: [{ x: 0.1, y: 0.1, w: 0.2, h: 0.2 }], maskLiveForRoles: ['guard'] } } }, []],
  ])('cross-checks %j', (raw, paths) => {
    expect(checkRecording(recordingFileSchema.parse(raw), points, connections).map((i) => i.path)).toEqual(paths);
  });
  it.each([
    [{ store: { quotaGb: -1 } }],
    [{ cameras: { 'cam-a': { mode: 'sometimes' } } }],
    [{ cameras: { 'cam-a': { masks: [{ x: 2, y: 0, w: 1, h: 1 }] } } }],
    [{ cameras: { 'cam-a': { schedule: [{ from: '25:00', to: '08:00' }] } } }],
    [{ unknown: 1 }],
  ])('refuses %j', (raw) => expect(recordingFileSchema.safeParse(raw).success).toBe(false));
});
