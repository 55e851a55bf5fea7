// Photos are shrunk on the phone before upload (a camera photo is 3–10 MB; the hub takes JSON
// bodies up to 256 kB): drawn onto a canvas at most `maxSide` px, re-encoded as JPEG, lowering the
// quality until it fits `maxBytes`. Browser only.

export async function resizePhoto(file: Blob, maxSide = 1280, maxBytes = 170_000): Promise<string> {
  const bitmap = await createImageBitmap(file);
  let side = maxSide;
  for (let attempt = 0; attempt < 8; attempt++) {
    const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
    const w = Math.max(1, Math.round(bitmap.width * scale));
    const h = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0, w, h);
    for (const q of [0.8, 0.65, 0.5]) {
      const url = canvas.toDataURL('image/jpeg', q);
      const bytes = Math.floor(((url.length - url.indexOf(',') - 1) * 3) / 4);
      if (bytes <= maxBytes) {
        bitmap.close();
        return url.slice(url.indexOf(',') + 1);
      }
    }
    side = Math.round(side * 0.75);
  }
  bitmap.close();
  throw new Error('photo too large even after resizing');
}
