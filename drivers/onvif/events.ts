// Decoding of ONVIF notification messages (as the onvif package's parser hands them over)
// into event-point values. Pure: table-tested in events.test.ts.

export interface DecodedEvent {
  topic: string;
  /** Source items, e.g. { InputToken: 'DI1' }. */
  source: Record<string, string>;
  /** Data items, e.g. { State: true }. */
  data: Record<string, string | boolean | number>;
  utcMs?: number;
  operation?: string;
}

type Items = Record<string, unknown> | Array<Record<string, unknown>> | undefined;

function simpleItems(node: unknown): Record<string, string | boolean | number> {
  const out: Record<string, string | boolean | number> = {};
  const items = (node as { simpleItem?: Items } | undefined)?.simpleItem;
  for (const item of Array.isArray(items) ? items : items ? [items] : []) {
    const attrs = (item as { $?: { Name?: unknown; Value?: unknown } }).$;
    if (attrs && typeof attrs.Name === 'string') out[attrs.Name] = attrs.Value as string | boolean | number;
  }
  return out;
}

/** One `notificationMessage` object → a decoded event, or undefined when it has no topic. */
export function decodeNotification(msg: unknown): DecodedEvent | undefined {
  const m = msg as { topic?: unknown; message?: { message?: { $?: Record<string, unknown>; source?: unknown; data?: unknown } } };
  const topicNode = m?.topic;
  const topic = typeof topicNode === 'string' ? topicNode : (topicNode as { _?: unknown } | undefined)?._;
  if (typeof topic !== 'string') return undefined;
  const inner = m.message?.message;
  const attrs = inner?.$ ?? {};
  const utc = attrs.UtcTime;
  const utcMs = utc instanceof Date ? utc.getTime() : typeof utc === 'string' ? Date.parse(utc) : undefined;
  const source = Object.fromEntries(Object.entries(simpleItems(inner?.source)).map(([k, v]) => [k, String(v)]));
  return { topic: topic.trim(), source, data: simpleItems(inner?.data), utcMs: Number.isFinite(utcMs) ? utcMs : undefined, operation: attrs.PropertyOperation as string | undefined };
}

/** Topics match without caring about the namespace prefix the camera chose (tns1:, tnsaxis:, …). */
export function sameTopic(a: string, b: string): boolean {
  const strip = (t: string) => t.replace(/^[\w-]+:/, '').replace(/\/$/, '');
  return strip(a) === strip(b);
}

export function truthy(v: string | boolean | number): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  const s = v.trim().toLowerCase();
  if (['true', '1', 'active', 'on'].includes(s)) return true;
  if (['false', '0', 'inactive', 'off'].includes(s)) return false;
  return undefined;
}

export interface EventBinding { topic: string; item?: string; sourceValue?: string }

/** The boolean an event carries for a binding, or undefined when it does not concern it. */
export function eventValue(ev: DecodedEvent, b: EventBinding): boolean | undefined {
  if (!sameTopic(ev.topic, b.topic)) return undefined;
  if (b.sourceValue !== undefined && !Object.values(ev.source).includes(b.sourceValue)) return undefined;
  const key = b.item ?? Object.keys(ev.data)[0];
  if (key === undefined || !(key in ev.data)) return undefined;
  return truthy(ev.data[key]);
}
