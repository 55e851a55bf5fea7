import { describe, expect, it } from 'vitest';
import type { PaRecordEntry } from '../../../../contracts/pa.js';
import { paRowCells } from './pa-record.js';

const base: PaRecordEntry = {
  zone: 'l01', codec: 'pcmu', payloadType: 0, firstAt: 0, lastAt: 0, packets: 45, durationMs: 900, jitterP99Ms: 1.24,
  gaps: 0, lost: 0, markers: 1, firstMarked: true, badSizes: 0, badTimestampSteps: 0, ended: true,
};

describe('paRowCells', () => {
  it.each([
    [{}, { jitter: '1.2 ms', jitterBad: false, duration: '0.9 s', marker: '✓ 1', markerBad: false }],
    [{ jitterP99Ms: 5 }, { jitter: '5.0 ms', jitterBad: false }],
    [{ jitterP99Ms: 5.01 }, { jitter: '5.0 ms', jitterBad: true }],
    [{ firstMarked: false, markers: 0 }, { marker: '✗ 0', markerBad: true }],
    [{ markers: 3 }, { marker: '✓ 3', markerBad: true }],
    [{ durationMs: 12_345 }, { duration: '12.3 s' }],
  ])('%j → %j', (patch, cells) => {
    expect(paRowCells({ ...base, ...patch })).toMatchObject(cells);
  });
});
