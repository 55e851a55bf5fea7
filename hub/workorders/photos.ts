// Photos of a repair: type decided by magic bytes (never by the client's Content-Type or name),
// size-limited, stored under <dataDir>/workorders/photos/<order>/<n>.<ext> with mode 0600.
import fs from 'node:fs';
import path from 'node:path';

export type PhotoType = 'jpg' | 'png' | 'webp';

export function sniffImage(b: Uint8Array): PhotoType | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpg';
  if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((x, i) => b[i] === x)) return 'png';
  if (b.length >= 12 && String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP') return 'webp';
  return null;
}

export const PHOTO_MIME: Record<PhotoType, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

export function photoDir(dataDir: string, orderId: number): string {
  return path.join(dataDir, 'workorders', 'photos', String(orderId));
}

/** Writes the photo; returns its name (`<n>.<ext>`). */
export function savePhoto(dataDir: string, orderId: number, index: number, type: PhotoType, bytes: Uint8Array): string {
  const dir = photoDir(dataDir, orderId);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const name = `${index}.${type}`;
  const fd = fs.openSync(path.join(dir, name), 'w', 0o600);
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return name;
}

const NAME = /^\d{1,4}\.(jpg|png|webp)$/;

/** The file of a stored photo, or null for a name that is not one of ours (no path tricks). */
export function photoFile(dataDir: string, orderId: number, name: string): { file: string; mime: string } | null {
  const m = NAME.exec(name);
  if (!m) return null;
  return { file: path.join(photoDir(dataDir, orderId), name), mime: PHOTO_MIME[m[1] as PhotoType] };
}
