// Sparkplug B (Eclipse Tahu payload, `sparkplug-payload`) as Watchfloor maps it. Shared by the edge
// agent (edge/) and the hub's host application (hub/edge/), so both sides agree on one mapping:
//
//   group id   = the estate (config `group`, default the site id)
//   edge node  = a building (one edge agent per building)
//   device     = a connection of that building (a Modbus gateway, an OPC UA server…)
//   metric     = a point; name = the full point id, alias = its index in the DBIRTH
//
// A metric carries the value, its timestamp (the read time), `is_historical` when replayed from the
// store-and-forward spool, and properties `quality`/`detail` when the quality is not good (Sparkplug
// has no quality field; Ignition uses a property too). DBIRTH metrics carry the point metadata
// (kind, unit, writable, interval). Commands: DCMD metrics `Command/Id` + the point's metric; the edge
// answers with a DDATA metric `Command/Result` (JSON) after its driver wrote and read back.
import * as sparkplugNs from 'sparkplug-payload';
import type { UMetric, UPayload } from 'sparkplug-payload/lib/sparkplugbpayload.js';
import type { ConnectionState, ConnectionStatus } from '../../contracts/driver.js';
import type { PointInfo, PointKind, PointValue, Quality, Sample } from '../../contracts/point.js';

// A CommonJS package: its `get` is a named export under ESM and sits on `default` under CJS loaders.
const sparkplug = ((sparkplugNs as unknown as { default?: typeof sparkplugNs }).default ?? sparkplugNs) as typeof sparkplugNs;
const codec = sparkplug.get('spBv1.0')!;

export const NAMESPACE = 'spBv1.0';
export const REBIRTH = 'Node Control/Rebirth';
export const BDSEQ = 'bdSeq';
export const COMMAND_ID = 'Command/Id';
export const COMMAND_RESULT = 'Command/Result';
export const STATUS_METRIC = 'Connection/Status';

export type MessageType = 'NBIRTH' | 'NDEATH' | 'DBIRTH' | 'DDEATH' | 'NDATA' | 'DDATA' | 'NCMD' | 'DCMD';
const TYPES = new Set<string>(['NBIRTH', 'NDEATH', 'DBIRTH', 'DDEATH', 'NDATA', 'DDATA', 'NCMD', 'DCMD']);

export function sparkplugTopic(group: string, type: string, node: string, device?: string): string {
  return device === undefined ? `${NAMESPACE}/${group}/${type}/${node}` : `${NAMESPACE}/${group}/${type}/${node}/${device}`;
}

export interface ParsedTopic {
  group: string;
  type: MessageType;
  node: string;
  device?: string;
}

/** The parts of a Sparkplug topic (a `$share/<name>/` prefix is not part of a received topic), or null. */
export function parseTopic(topic: string): ParsedTopic | null {
  const parts = topic.split('/');
  if (parts[0] !== NAMESPACE || parts.length < 4 || parts.length > 5 || !TYPES.has(parts[2])) return null;
  const t: ParsedTopic = { group: parts[1], type: parts[2] as MessageType, node: parts[3] };
  if (parts.length === 5) t.device = parts[4];
  return t;
}

export const encode = (p: UPayload): Buffer => Buffer.from(codec.encodePayload(p));
export const decode = (b: Uint8Array): UPayload => codec.decodePayload(b);

/** The Sparkplug datatype a point kind travels as. */
export function datatypeOf(kind: PointKind): UMetric['type'] {
  return kind === 'analog' ? 'Double' : kind === 'binary' ? 'Boolean' : kind === 'multistate' ? 'Int32' : 'String';
}

/** The birth metric of a point: name, alias, metadata, current value. */
export function birthMetric(info: PointInfo, alias: number, current: Sample | undefined): UMetric {
  const props: NonNullable<UMetric['properties']> = {
    kind: { type: 'String', value: info.kind },
    writable: { type: 'Boolean', value: info.writable },
    intervalMs: { type: 'UInt32', value: info.intervalMs },
  };
  if (info.unit !== undefined) props.unit = { type: 'String', value: info.unit };
  const m = sampleMetric(current ?? { pointId: info.id, value: null, quality: 'uncertain', detail: 'not read yet', readTs: Date.now() }, datatypeOf(info.kind), false);
  m.name = info.id;
  m.alias = alias;
  m.properties = { ...props, ...m.properties };
  return m;
}

/** A data metric (by alias when given) for one sample. */
export function sampleMetric(s: Sample, type: UMetric['type'], historical: boolean, alias?: number): UMetric {
  const m: UMetric = { type, value: s.value, timestamp: s.readTs };
  if (alias !== undefined) m.alias = alias;
  else m.name = s.pointId;
  if (s.value === null) m.isNull = true;
  if (historical) m.isHistorical = true;
  if (s.quality !== 'good' || s.detail !== undefined || s.sourceTs !== undefined) {
    m.properties = {};
    if (s.quality !== 'good') m.properties.quality = { type: 'String', value: s.quality };
    if (s.detail !== undefined) m.properties.detail = { type: 'String', value: s.detail };
    if (s.sourceTs !== undefined) m.properties.sourceTs = { type: 'UInt64', value: s.sourceTs };
  }
  return m;
}

const QUALITIES = new Set<Quality>(['good', 'uncertain', 'bad', 'comm_fail', 'stale']);

function plain(v: unknown): PointValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  // Long (64-bit ints) from protobufjs.
  if (typeof v === 'object' && v !== null && 'toNumber' in v) return (v as { toNumber(): number }).toNumber();
  return null;
}

const num = (v: unknown, fallback: number): number => {
  const p = plain(v);
  return typeof p === 'number' ? p : fallback;
};

/** A received metric as a sample of `pointId`. Historical metrics keep their flag for the caller. */
export function metricSample(m: UMetric, pointId: string, now: number): { sample: Sample; historical: boolean } {
  const q = m.properties?.quality?.value;
  const quality: Quality = typeof q === 'string' && QUALITIES.has(q as Quality) ? (q as Quality) : 'good';
  const sample: Sample = { pointId, value: m.isNull ? null : plain(m.value), quality, readTs: num(m.timestamp, now) };
  const detail = m.properties?.detail?.value;
  if (typeof detail === 'string') sample.detail = detail;
  const src = m.properties?.sourceTs?.value;
  if (src !== undefined && src !== null) sample.sourceTs = num(src, sample.readTs);
  return { sample, historical: m.isHistorical === true };
}

/** The connection status metric (DBIRTH/DDATA): the driver's ConnectionStatus as JSON text. */
export function statusMetric(s: ConnectionStatus): UMetric {
  return { name: STATUS_METRIC, type: 'String', value: JSON.stringify(s), timestamp: s.since };
}

const STATES = new Set<ConnectionState>(['connecting', 'online', 'offline', 'auth_failed', 'stopped']);

export function parseStatus(m: UMetric): ConnectionStatus | null {
  if (typeof m.value !== 'string') return null;
  try {
    const s = JSON.parse(m.value) as ConnectionStatus;
    return typeof s.connection === 'string' && STATES.has(s.state) && typeof s.since === 'number' ? s : null;
  } catch {
    return null;
  }
}

/** What an edge reports after a DCMD: the WriteResult, or the write error's code and message. */
export interface CommandResult {
  id: string;
  pointId: string;
  confirmed?: boolean;
  readBack?: PointValue;
  detail?: string;
  error?: { code: string; message: string };
}

export function parseCommandResult(m: UMetric): CommandResult | null {
  if (typeof m.value !== 'string') return null;
  try {
    const r = JSON.parse(m.value) as CommandResult;
    return typeof r.id === 'string' && typeof r.pointId === 'string' ? r : null;
  } catch {
    return null;
  }
}

/** The next message sequence number (0..255, wrapping). */
export const nextSeq = (seq: number) => (seq + 1) % 256;

/** Sparkplug 3.0 primary host state topic (retained; the host's will says offline). */
export const stateTopic = (hostId: string) => `${NAMESPACE}/STATE/${hostId}`;

export const statePayload = (online: boolean, ts = Date.now()) => Buffer.from(JSON.stringify({ online, timestamp: ts }));

export function hostOnline(payload: Uint8Array): boolean {
  try {
    return (JSON.parse(Buffer.from(payload).toString('utf8')) as { online?: unknown }).online === true;
  } catch {
    return false;
  }
}
