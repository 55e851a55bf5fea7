// The phone PWA: registers the shell's service worker (sw.js caches the app shell only, never the
// API) and the notification-permission flow. Task G's Web Push subscription hooks in here:
//   const reg = await serviceWorkerReady(); if (reg && await askNotificationPermission() === 'granted')
//     await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey });
export type NotifyPermission = 'granted' | 'denied' | 'default' | 'unsupported';

let registration: Promise<ServiceWorkerRegistration | null> | null = null;

/** Registers /sw.js once (only over https or on localhost, where browsers allow it). */
export function registerServiceWorker(): Promise<ServiceWorkerRegistration | null> {
  if (registration) return registration;
  const sw = globalThis.navigator?.serviceWorker;
  registration = !sw || !globalThis.isSecureContext
    ? Promise.resolve(null)
    : sw.register('/sw.js', { scope: '/' }).catch(() => null);
  return registration;
}

/** The registration once active (null where service workers are unavailable). */
export async function serviceWorkerReady(): Promise<ServiceWorkerRegistration | null> {
  const reg = await registerServiceWorker();
  if (!reg) return null;
  return globalThis.navigator.serviceWorker.ready;
}

export function notificationPermission(): NotifyPermission {
  if (typeof Notification === 'undefined') return 'unsupported';
  return Notification.permission as NotifyPermission;
}

/** Asks only from a user gesture (browsers ignore or penalise unprompted asks). */
export async function askNotificationPermission(): Promise<NotifyPermission> {
  if (typeof Notification === 'undefined') return 'unsupported';
  if (Notification.permission !== 'default') return Notification.permission as NotifyPermission;
  return (await Notification.requestPermission()) as NotifyPermission;
}

type PermissionListener = (p: NotifyPermission) => void;
const listeners = new Set<PermissionListener>();

/** Called with the permission whenever the console's flow changes it (for Task G's subscription). */
export function onNotificationPermission(listener: PermissionListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function requestNotifications(): Promise<NotifyPermission> {
  const p = await askNotificationPermission();
  for (const l of listeners) l(p);
  return p;
}
