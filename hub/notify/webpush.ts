// Web Push (RFC 8030/8291/8292) with VAPID. The key pair is generated into <dataDir>/notify/vapid.json
// on first run (0600). web-push builds the encrypted (aes128gcm) request; we send it with fetch so a
// push service on loopback (tests) works like the real https ones.
import fs from 'node:fs';
import path from 'node:path';
import webpush from 'web-push';
import type { PushSubscriptionBody } from '../../contracts/workorders.js';
import type { Channel, Outgoing } from './types.js';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

export function loadOrCreateVapid(dir: string): VapidKeys {
  const file = path.join(dir, 'vapid.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as VapidKeys;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keys = webpush.generateVAPIDKeys();
  fs.writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return keys;
}

/** A push service said the subscription is gone (404/410): the caller forgets it. */
export class SubscriptionGone extends Error {}

export class WebPushChannel implements Channel {
  readonly name = 'push' as const;

  constructor(
    private readonly vapid: VapidKeys,
    private readonly subject: string,
    private readonly subscriptions: (user: string) => PushSubscriptionBody[],
    private readonly forget: (endpoint: string) => void,
  ) {}

  async send(user: string, out: Outgoing): Promise<void> {
    const subs = this.subscriptions(user);
    if (subs.length === 0) throw new Error('no push subscription for this user');
    const payload = JSON.stringify({ title: out.subject, body: out.text.split('\n').slice(1, -1).join('\n'), url: out.url, ids: out.messageIds });
    const errors: string[] = [];
    let delivered = 0;
    for (const sub of subs) {
      const req = webpush.generateRequestDetails(sub, payload, {
        vapidDetails: { subject: this.subject, publicKey: this.vapid.publicKey, privateKey: this.vapid.privateKey },
        TTL: 24 * 3600, urgency: out.priority === 'critical' || out.priority === 'high' ? 'high' : 'normal',
        contentEncoding: 'aes128gcm',
      });
      try {
        const res = await fetch(req.endpoint, { method: req.method, headers: req.headers as Record<string, string>, body: new Uint8Array(req.body as Buffer), signal: AbortSignal.timeout(10_000) });
        if (res.status === 404 || res.status === 410) {
          this.forget(sub.endpoint);
          errors.push(`subscription gone (${res.status})`);
        } else if (!res.ok) errors.push(`HTTP ${res.status}`);
        else delivered++;
      } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err));
      }
    }
    if (delivered === 0) throw new Error(errors.join('; '));
  }
}
