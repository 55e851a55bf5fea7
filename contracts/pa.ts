// What the PA simulator recorded of one playback (one RTP stream in one zone), as the console's
// test-runs page shows it. The simulator writes these as JSON lines; the hub relays them from the
// simulators' control channel (GET /pa/record) unchanged apart from picking these fields.

export interface PaRecordEntry {
  zone: string;
  /** pcmu / pcma / g722 from the RTP payload type, else 'unknown'. */
  codec: string;
  payloadType: number;
  /** First and last packet (ms since epoch). */
  firstAt: number;
  lastAt: number;
  packets: number;
  durationMs: number;
  /** p99 of |arrival gap − 20 ms| at the receiver (ms); the paging target is ≤ 5. */
  jitterP99Ms: number;
  /** Arrival gaps over 40 ms (audible drop-outs). */
  gaps: number;
  lost: number;
  /** Packets with the marker bit, and whether the first one had it. */
  markers: number;
  firstMarked: boolean;
  /** Packets whose size or timestamp step was not 20 ms. */
  badSizes: number;
  badTimestampSteps: number;
  /** False while the stream is still arriving. */
  ended: boolean;
}

export interface PaRecordView {
  items: PaRecordEntry[];
}

/** Picks the shown fields from a record line (older lines may lack the newer ones: 0). */
export function paRecordEntryOf(raw: Record<string, unknown>): PaRecordEntry | null {
  const num = (k: string) => (typeof raw[k] === 'number' && Number.isFinite(raw[k]) ? (raw[k] as number) : 0);
  if (typeof raw.zone !== 'string') return null;
  const pt = num('payloadType');
  return {
    zone: raw.zone,
    codec: typeof raw.codec === 'string' ? raw.codec : ({ 0: 'pcmu', 8: 'pcma', 9: 'g722' } as Record<number, string>)[pt] ?? 'unknown',
    payloadType: pt,
    firstAt: num('firstAt'),
    lastAt: num('lastAt'),
    packets: num('packets'),
    durationMs: num('durationMs'),
    jitterP99Ms: num('jitterP99Ms'),
    gaps: num('gaps'),
    lost: num('lost'),
    markers: num('markers'),
    firstMarked: raw.firstMarked === true,
    badSizes: num('badSizes'),
    badTimestampSteps: num('badTimestampSteps'),
    ended: raw.ended === true,
  };
}
