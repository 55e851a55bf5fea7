// Web Push for this phone: asks permission (from a tap), subscribes with the hub's VAPID key
// and registers the subscription with the hub. The service worker (public/sw.js) shows the
// notification and opens its deep link (#/workorders/<id>) on a tap.
import { hubJson, type HubEndpoint } from '../../api.js';
import { requestNotifications, serviceWorkerReady } from '../../pwa.js';

function keyBytes(b64url: string): Uint8Array {
  const b64 = b64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (b64url.length % 4)) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

export async function enablePush(hub: HubEndpoint): Promise<'subscribed' | 'denied' | 'unsupported'> {
  const reg = await serviceWorkerReady();
  if (!reg || !('pushManager' in reg)) return 'unsupported';
  if ((await requestNotifications()) !== 'granted') return 'denied';
  const { publicKey } = await hubJson<{ publicKey: string }>(hub, 'GET', '/api/notify/vapid');
  const sub = (await reg.pushManager.getSubscription()) ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) as BufferSource }));
  const json = sub.toJSON() as { endpoint: string; keys: { p256dh: string; auth: string } };
  await hubJson(hub, 'POST', '/api/notify/subscriptions', { endpoint: json.endpoint, keys: json.keys });
  return 'subscribed';
}
