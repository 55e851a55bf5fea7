// Writes with the node's real DataType, refused before sending when the value
// does not fit, then confirmed by reading the value back.
import type { ClientSession } from 'node-opcua-client';
import { AttributeIds, DataType } from './lib.js';
import { DriverWriteError, type WriteResult } from '../../contracts/driver.js';
import type { PointValue } from '../../contracts/point.js';
import type { PointSlot } from './subscribe.js';
import { builtInName, checkWriteValue, sameValue, toPointValue, type BuiltInName } from './values.js';

/** DataType per resolved NodeId, cached per session (types do not change while connected). */
const typeCache = new WeakMap<ClientSession, Map<string, BuiltInName>>();

export async function nodeDataType(session: ClientSession, nodeId: string, timeoutMs: number): Promise<BuiltInName> {
  let cache = typeCache.get(session);
  if (!cache) typeCache.set(session, (cache = new Map()));
  const known = cache.get(nodeId);
  if (known) return known;
  const [dt, val] = await withTimeout(
    session.read([
      { nodeId, attributeId: AttributeIds.DataType },
      { nodeId, attributeId: AttributeIds.Value },
    ]),
    timeoutMs,
  );
  if (!dt.statusCode.isGood()) throw new DriverWriteError('device_error', `cannot read DataType of ${nodeId}: ${dt.statusCode.name}`);
  const typeId = dt.value.value as { namespace: number; value: unknown };
  // A built-in type is ns=0 with an id ≤ 25; subtypes (Duration, enums…) are
  // written as the built-in type the current value is encoded with.
  let name = typeId.namespace === 0 && typeof typeId.value === 'number' ? builtInName(typeId.value) : undefined;
  if (!name && val.statusCode.isGood()) name = builtInName(val.value.dataType);
  if (!name) throw new DriverWriteError('invalid_value', `${nodeId} has DataType ${String(typeId.value)}, which this driver cannot write`);
  cache.set(nodeId, name);
  return name;
}

export async function writeAndConfirm(session: ClientSession, slot: PointSlot, value: PointValue, timeoutMs: number): Promise<WriteResult> {
  const nodeId = slot.nodeId!;
  const pointId = slot.point.info.id;
  const dataType = await nodeDataType(session, nodeId, timeoutMs).catch(rethrowAsTimeout);
  const check = checkWriteValue(dataType, value, slot.point.info.limits, slot.point.info.kind === 'multistate' ? slot.point.info.states : undefined);
  if (!check.ok) throw new DriverWriteError('invalid_value', `${pointId}: ${check.reason}`);
  const status = await withTimeout(
    session.write({ nodeId, attributeId: AttributeIds.Value, value: { value: { dataType: DataType[dataType], value: check.value } } }),
    timeoutMs,
  ).catch(rethrowAsTimeout);
  if (!status.isGood()) {
    const code = /BadOutOfRange|BadTypeMismatch/.test(status.name) ? 'invalid_value' : /BadNotWritable|BadUserAccessDenied|BadWriteNotSupported/.test(status.name) ? 'not_writable' : 'device_error';
    throw new DriverWriteError(code, `${pointId}: server refused the write (${status.name})`);
  }
  const back = await withTimeout(session.read({ nodeId, attributeId: AttributeIds.Value }, 0), timeoutMs).catch(rethrowAsTimeout);
  const readBack = toPointValue(back.value?.value, slot.point.info.kind);
  const confirmed = back.statusCode.isGood() && sameValue(dataType, check.value, back.value?.value);
  return confirmed
    ? { confirmed, readBack }
    : { confirmed, readBack, detail: `read back ${JSON.stringify(readBack)} (${back.statusCode.name}) after writing ${JSON.stringify(check.value)}` };
}

function rethrowAsTimeout(err: unknown): never {
  if (err instanceof DriverWriteError) throw err;
  const msg = err instanceof Error ? err.message : String(err);
  throw new DriverWriteError(/no answer within|timeout/i.test(msg) ? 'timeout' : 'device_error', msg);
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
  });
}
