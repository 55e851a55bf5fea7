import { describe, expect, it } from 'vitest';
import type { CaptureFile } from './camera-types.js';
import { alarmReason, captureForAlarm, parseCaptureName } from './captures.js';

describe('parseCaptureName', () => {
  it.each([
    ['cam-lobby-20250301T101502-123Z-manual.jpg', Date.UTC(2025, 2, 1, 10, 15, 2, 123), 'manual'],
    ['cam-b1-20241231T235959-999Z-alarm-door-forced_h.mp4', Date.UTC(2024, 11, 31, 23, 59, 59, 999), 'alarm-door-forced_h'],
  ])('%s', (file, at, reason) => {
    expect(parseCaptureName(file)).toEqual({ at, reason });
  });
  it('gives nothing for a name without the stamp', () => {
    expect(parseCaptureName('cam-lobby-latest.jpg')).toEqual({});
  });
});

describe('alarmReason', () => {
  it('is the hub sanitising of alarm-<id>', () => {
    expect(alarmReason('door.forced.hh')).toBe('alarm-door_forced_hh');
    expect(alarmReason('leak-b1')).toBe('alarm-leak-b1');
  });
});

describe('captureForAlarm', () => {
  const f = (file: string): CaptureFile => ({ kind: 'snapshots', file, url: `/x/${file}`, ...parseCaptureName(file) });
  const files = [
    f('cam-20250301T100000-000Z-alarm-door_h.jpg'),
    f('cam-20250301T110000-000Z-alarm-door_h.jpg'),
    f('cam-20250301T110001-000Z-manual.jpg'),
    f('cam-20250301T120000-000Z-alarm-other.jpg'),
  ];
  it('picks the first capture of this alarm at or after its activation', () => {
    expect(captureForAlarm(files, 'door.h', Date.UTC(2025, 2, 1, 10, 30))?.file).toBe('cam-20250301T110000-000Z-alarm-door_h.jpg');
    expect(captureForAlarm(files, 'door.h', Date.UTC(2025, 2, 1, 10, 0, 3))?.file).toBe('cam-20250301T100000-000Z-alarm-door_h.jpg');
  });
  it('falls back to the newest capture of the alarm, and finds nothing for an alarm without captures', () => {
    expect(captureForAlarm(files, 'door.h', Date.UTC(2025, 2, 1, 13))?.file).toBe('cam-20250301T110000-000Z-alarm-door_h.jpg');
    expect(captureForAlarm(files, 'door.h', null)?.file).toBe('cam-20250301T110000-000Z-alarm-door_h.jpg');
    expect(captureForAlarm(files, 'leak', null)).toBeUndefined();
  });
});
