// WS-Discovery (2005/04, as ONVIF Core §7.3 uses it) for the simulated cameras: answers a Probe
// sent to the multicast group 239.255.255.250:3702, and the same on a unicast loopback port (tests:
// multicast may be unavailable on a CI box). One ProbeMatches message per camera, sent to the
// prober's address and port, as separate devices would. Regex-based on purpose (no shared XML code).
import { randomUUID } from 'node:crypto';
import dgram from 'node:dgram';
import { escapeXml as x } from './soap.js';

export const WSD_GROUP = '239.255.255.250';
export const WSD_PORT = 3702;
const NS_WSD = 'http://schemas.xmlsoap.org/ws/2005/04/discovery';
const NS_WSA = 'http://schemas.xmlsoap.org/ws/2004/08/addressing';

export interface DiscoverableCamera {
  /** Stable per camera: urn:uuid:… */
  endpoint: string;
  xaddr: string;
  scopes: string[];
}

/** The MessageID and the requested types of a Probe, or undefined when it is not a Probe (pure). */
export function parseProbe(xml: string): { messageId: string; types: string[] } | undefined {
  if (!/<(?:[\w-]+:)?Probe\b/.test(xml) || !/<(?:[\w-]+:)?Body\b/.test(xml)) return undefined;
  const messageId = xml.match(/<(?:[\w-]+:)?MessageID\b[^>]*>([^<]*)</)?.[1]?.trim() ?? '';
  const types = (xml.match(/<(?:[\w-]+:)?Types\b[^>]*>([^<]*)</)?.[1] ?? '').trim().split(/\s+/).filter(Boolean);
  return { messageId, types };
}

/** A camera answers a probe for no type, a NetworkVideoTransmitter or a Device (prefix ignored). */
export function matchesTypes(types: string[]): boolean {
  return !types.length || types.some((t) => /(^|:)(NetworkVideoTransmitter|Device)$/.test(t));
}

export function probeMatches(cam: DiscoverableCamera, relatesTo: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="${NS_WSA}" xmlns:d="${NS_WSD}" ` +
    'xmlns:dn="http://www.onvif.org/ver10/network/wsdl" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">' +
    '<s:Header><a:Action s:mustUnderstand="1">http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</a:Action>' +
    `<a:MessageID>urn:uuid:${randomUUID()}</a:MessageID><a:RelatesTo>${x(relatesTo)}</a:RelatesTo>` +
    '<a:To s:mustUnderstand="1">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To></s:Header>' +
    '<s:Body><d:ProbeMatches><d:ProbeMatch>' +
    `<a:EndpointReference><a:Address>${x(cam.endpoint)}</a:Address></a:EndpointReference>` +
    '<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types>' +
    `<d:Scopes>${cam.scopes.map(x).join(' ')}</d:Scopes><d:XAddrs>${x(cam.xaddr)}</d:XAddrs>` +
    '<d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>'
  );
}

export interface DiscoveryResponder {
  /** The unicast port probes may be sent to (127.0.0.1). */
  unicastPort: number;
  /** Whether the multicast group was joined (false where the box has no multicast route). */
  multicast: boolean;
  probes: number;
  stop(): Promise<void>;
}

/**
 * Starts answering probes for `cameras()` (asked per probe: cameras stopped by a scenario go quiet).
 * `unicastPort` 0 = any free port; `multicast: false` skips the group (tests that need no 3702).
 */
export async function startDiscovery(cameras: () => DiscoverableCamera[], o: { unicastPort?: number; multicast?: boolean } = {}): Promise<DiscoveryResponder> {
  const unicast = dgram.createSocket('udp4');
  const state = { probes: 0 };
  const answer = (msg: Buffer, to: dgram.RemoteInfo) => {
    const probe = parseProbe(msg.toString('utf8'));
    if (!probe || !matchesTypes(probe.types)) return;
    state.probes++;
    for (const cam of cameras()) {
      const out = Buffer.from(probeMatches(cam, probe.messageId), 'utf8');
      // Replies leave from the loopback socket: the simulator never sends from a public address.
      unicast.send(out, to.port, to.address, () => {});
    }
  };
  unicast.on('message', answer);
  unicast.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    unicast.once('error', reject);
    unicast.bind(o.unicastPort ?? 0, '127.0.0.1', () => resolve());
  });
  let group: dgram.Socket | undefined;
  if (o.multicast !== false) {
    const g = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    g.on('message', answer);
    g.on('error', () => {});
    // Bound to the group address, not 0.0.0.0: the socket takes group traffic only.
    const joined = await new Promise<boolean>((resolve) => {
      g.once('error', () => resolve(false));
      g.bind(WSD_PORT, WSD_GROUP, () => {
        try {
          g.addMembership(WSD_GROUP);
          resolve(true);
        } catch {
          resolve(false);
        }
      });
    });
    if (joined) group = g;
    else g.close();
  }
  return {
    unicastPort: (unicast.address() as { port: number }).port,
    multicast: !!group,
    get probes() {
      return state.probes;
    },
    async stop() {
      await Promise.all([unicast, group].filter((s): s is dgram.Socket => !!s).map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}
