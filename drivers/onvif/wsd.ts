// The driver's own WS-Discovery probe (2005/04): one Probe for NetworkVideoTransmitter to the
// multicast group 239.255.255.250:3702 and/or to unicast targets (a camera or a simulator on a
// known port), answers collected for a bounded time. Shares no code with the simulator.
import { randomUUID } from 'node:crypto';
import dgram from 'node:dgram';

/** One camera's answer: its endpoint address, service addresses and scopes. */
export interface ProbeMatch {
  address: string;
  xaddrs: string[];
  scopes: string[];
}

export const WSD_MULTICAST = { address: '239.255.255.250', port: 3702 } as const;

export function probeMessage(messageId = `uuid:${randomUUID()}`): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" ' +
    'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">' +
    '<s:Header><a:Action s:mustUnderstand="1">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action>' +
    `<a:MessageID>${messageId}</a:MessageID>` +
    '<a:ReplyTo><a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>' +
    '<a:To s:mustUnderstand="1">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header>' +
    '<s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>'
  );
}

const text = (xml: string, local: string) => xml.match(new RegExp(`<(?:[\\w-]+:)?${local}\\b[^>]*>([\\s\\S]*?)</(?:[\\w-]+:)?${local}>`))?.[1]?.trim();
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** Every ProbeMatch of a ProbeMatches message (pure); [] for anything else. */
export function parseProbeMatches(xml: string): ProbeMatch[] {
  if (!/<(?:[\w-]+:)?ProbeMatches\b/.test(xml)) return [];
  const out: ProbeMatch[] = [];
  for (const m of xml.matchAll(/<(?:[\w-]+:)?ProbeMatch\b[^>]*>([\s\S]*?)<\/(?:[\w-]+:)?ProbeMatch>/g)) {
    const body = m[1];
    const xaddrs = unescape(text(body, 'XAddrs') ?? '').split(/\s+/).filter(Boolean);
    if (!xaddrs.length) continue;
    out.push({ address: unescape(text(body, 'Address') ?? ''), xaddrs, scopes: unescape(text(body, 'Scopes') ?? '').split(/\s+/).filter(Boolean) });
  }
  return out;
}

/** Sends one probe to each target, collects answers for `timeoutMs`, one entry per endpoint address. */
export async function probe(o: { timeoutMs: number; multicast?: boolean; unicast?: Array<{ address: string; port: number }> }): Promise<ProbeMatch[]> {
  const sock = dgram.createSocket('udp4');
  const found = new Map<string, ProbeMatch>();
  sock.on('message', (msg) => {
    for (const m of parseProbeMatches(msg.toString('utf8'))) if (!found.has(m.address || m.xaddrs[0])) found.set(m.address || m.xaddrs[0], m);
  });
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(0, () => resolve());
  });
  sock.on('error', () => {});
  const msg = Buffer.from(probeMessage(), 'utf8');
  const targets = [...(o.multicast !== false ? [WSD_MULTICAST] : []), ...(o.unicast ?? [])];
  const sendErrors: string[] = [];
  await Promise.all(targets.map((t) => new Promise<void>((r) => sock.send(msg, t.port, t.address, (err) => {
    if (err) sendErrors.push(`${t.address}:${t.port}: ${err.message}`);
    r();
  }))));
  if (sendErrors.length === targets.length && targets.length) {
    sock.close();
    throw new Error(`could not send the probe (${sendErrors.join('; ')})`);
  }
  await new Promise((r) => setTimeout(r, o.timeoutMs));
  sock.close();
  return [...found.values()];
}
