// Mosquitto configuration for a Watchfloor estate, as pure text builders: the listener (TLS when
// certificates are given), password file and the ACL that confines each edge agent to its own
// building's Sparkplug topics. deploy/mosquitto/ holds the rendered sample; tests render their own.
import { sparkplugTopic } from '../drivers/mqtt/sparkplug.js';

export interface BrokerConfigOptions {
  port: number;
  host?: string;
  passwordFile?: string;
  aclFile?: string;
  tls?: { ca: string; cert: string; key: string };
  /** Unix user mosquitto runs as when started by root (default: it drops to `mosquitto`). */
  user?: string;
}

/** mosquitto.conf (2.x) text. Anonymous access only when no password file is given (tests of the plain driver). */
export function brokerConfig(o: BrokerConfigOptions): string {
  const lines = [
    'per_listener_settings false',
    'persistence false',
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    ...(o.user ? [`user ${o.user}`] : []),
    // Sparkplug death certificates must reach the hub within seconds: no delay on wills.
    `listener ${o.port} ${o.host ?? '127.0.0.1'}`,
    `allow_anonymous ${o.passwordFile ? 'false' : 'true'}`,
    // Large DBIRTH payloads (5,000 metrics) exceed the default limits of some clients, not of mosquitto; keep a sane cap.
    'max_packet_size 16777216',
    // Store-and-forward lives on the edge's disk; the broker queues little per client.
    'max_queued_messages 100000',
  ];
  if (o.tls) lines.push(`cafile ${o.tls.ca}`, `certfile ${o.tls.cert}`, `keyfile ${o.tls.key}`, 'tls_version tlsv1.2');
  if (o.passwordFile) lines.push(`password_file ${o.passwordFile}`);
  if (o.aclFile) lines.push(`acl_file ${o.aclFile}`);
  return `${lines.join('\n')}\n`;
}

/** The MQTT user name of a building's edge agent (one credential per edge). */
export const edgeUser = (group: string, building: string) => `edge-${group}-${building}`;

/**
 * ACL text: each edge may publish only its own node's Sparkplug topics (NBIRTH/NDATA/NDEATH/DBIRTH/DDATA/DDEATH
 * and its STATE-free namespace) and read only its own NCMD/DCMD; hubs read everything and send commands.
 * Mosquitto denies whatever no rule allows.
 */
export function brokerAcl(group: string, buildings: readonly string[], hubUsers: readonly string[]): string {
  const out: string[] = [];
  for (const b of buildings) {
    out.push(`user ${edgeUser(group, b)}`);
    for (const t of ['NBIRTH', 'NDATA', 'NDEATH']) out.push(`topic write ${sparkplugTopic(group, t, b)}`);
    for (const t of ['DBIRTH', 'DDATA', 'DDEATH']) out.push(`topic write ${sparkplugTopic(group, t, b, '+')}`);
    out.push(`topic read ${sparkplugTopic(group, 'NCMD', b)}`, `topic read ${sparkplugTopic(group, 'DCMD', b, '+')}`);
    // Primary host state (Sparkplug 3.0): edges may watch whether the hub is up.
    out.push('topic read spBv1.0/STATE/+', '');
  }
  for (const h of hubUsers) {
    out.push(`user ${h}`, `topic read spBv1.0/${group}/#`, `topic write spBv1.0/${group}/NCMD/#`, `topic write spBv1.0/${group}/DCMD/#`, 'topic readwrite spBv1.0/STATE/+', 'topic read sensors/#', '');
  }
  return out.join('\n');
}
