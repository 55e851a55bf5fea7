// Schema of config/broadcast.yaml: PA zones and their RTP endpoints, stored messages, who may
// broadcast where, and TTS limits. checkBroadcast() cross-checks without I/O.
import { isIP } from 'node:net';
import { z } from 'zod';
import { isMulticast } from './rtp.js';

const text = z.strictObject({ en: z.string().min(1), 'zh-CN': z.string().min(1) });
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes');

export const TTS_LANGS = ['zh-CN', 'en'] as const;
export type TtsLang = (typeof TTS_LANGS)[number];

export const broadcastFileSchema = z.strictObject({
  zones: z.array(z.strictObject({
    id,
    name: text,
    kind: z.enum(['floor', 'area', 'outdoor']),
    /** Floor key `site/building/floor` when the zone is a floor (alarm actions may name it). */
    floor: z.string().optional(),
    endpoint: z.strictObject({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(1).max(65535),
      /** Multicast group only (zone groups): hops the packets may take (1 = this subnet). */
      ttl: z.number().int().min(1).max(255).optional(),
      /** Multicast group only: the local interface address the packets leave by (default: the OS's choice). */
      interface: z.string().refine((a) => isIP(a) !== 0, 'must be an IP address of this machine').optional(),
    }),
    /** What the zone's amplifier/IP speaker decodes: pcmu (G.711 μ-law, RTP PT 0) or g722 (wideband, PT 9). */
    codec: z.enum(['pcmu', 'g722'], { message: 'codec must be pcmu or g722' }).default('pcmu'),
  })).min(1),
  messages: z.array(z.strictObject({
    id,
    name: text,
    /** chime: the built-in two-tone chime; tts: spoken from `text` at start-up (cached). */
    kind: z.enum(['chime', 'tts']),
    text: z.strictObject({ 'zh-CN': z.string().min(1).optional(), en: z.string().min(1).optional() }).optional(),
    emergency: z.boolean().default(false),
  })).default([]),
  /** Zones each role may address; a role not listed may address all zones (it still needs broadcast:send). */
  zonesByRole: z.record(z.string(), z.array(z.string())).default({}),
  /** Roles that may start an emergency broadcast. */
  emergencyRoles: z.array(z.string()).default(['supervisor', 'admin']),
  tts: z.strictObject({
    maxChars: z.number().int().min(10).max(2000).default(300),
    voices: z.strictObject({ 'zh-CN': z.string().default('cmn'), en: z.string().default('en') }).default({ 'zh-CN': 'cmn', en: 'en' }),
  }).default({ maxChars: 300, voices: { 'zh-CN': 'cmn', en: 'en' } }),
});
export type BroadcastFile = z.infer<typeof broadcastFileSchema>;
export type BroadcastZone = BroadcastFile['zones'][number];

export function checkBroadcast(file: BroadcastFile): Array<{ path: (string | number)[]; message: string }> {
  const out: Array<{ path: (string | number)[]; message: string }> = [];
  const zones = new Set<string>();
  const endpoints = new Map<string, string>();
  file.zones.forEach((z, i) => {
    if (zones.has(z.id)) out.push({ path: ['zones', i, 'id'], message: `duplicate zone "${z.id}"` });
    zones.add(z.id);
    const ep = `${z.endpoint.host}:${z.endpoint.port}`;
    if (endpoints.has(ep)) out.push({ path: ['zones', i, 'endpoint'], message: `endpoint ${ep} is already zone "${endpoints.get(ep)}"` });
    endpoints.set(ep, z.id);
    for (const key of ['ttl', 'interface'] as const) {
      if (z.endpoint[key] !== undefined && !isMulticast(z.endpoint.host)) out.push({ path: ['zones', i, 'endpoint', key], message: `${key} applies to a multicast group (224.0.0.0/4) only, not ${z.endpoint.host}` });
    }
  });
  const msgs = new Set<string>();
  file.messages.forEach((m, i) => {
    if (msgs.has(m.id)) out.push({ path: ['messages', i, 'id'], message: `duplicate message "${m.id}"` });
    msgs.add(m.id);
    if (m.kind === 'tts' && !m.text?.['zh-CN'] && !m.text?.en) out.push({ path: ['messages', i, 'text'], message: 'a tts message needs text in zh-CN and/or en' });
    for (const lang of ['zh-CN', 'en'] as const) {
      const t = m.text?.[lang];
      if (t && t.length > file.tts.maxChars) out.push({ path: ['messages', i, 'text', lang], message: `longer than tts.maxChars (${file.tts.maxChars})` });
    }
  });
  for (const [role, list] of Object.entries(file.zonesByRole)) {
    list.forEach((z, i) => {
      if (!zones.has(z)) out.push({ path: ['zonesByRole', role, i], message: `unknown zone "${z}"` });
    });
  }
  return out;
}
