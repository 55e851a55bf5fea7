// Reads checkpoint QR codes from the phone's camera: the browser's BarcodeDetector where it exists
// (Android Chrome, Safari), else jsQR on frames drawn to a canvas. Reports the time from the first
// video frame to the decoded code (the bench and the browser test read it). Browser only.
import * as jsqrModule from 'jsqr';
import { isCheckpointCode } from './patrols-model.js';

type Decode = (data: Uint8ClampedArray, width: number, height: number, o?: { inversionAttempts?: 'dontInvert' }) => { data: string } | null;
// jsqr is a CommonJS bundle: Vite and Node hand its default export over at different depths.
const jsQR: Decode = (() => {
  const m = jsqrModule as unknown as { default?: Decode | { default?: Decode } };
  const d = m.default;
  return (typeof d === 'function' ? d : d?.default ?? (jsqrModule as unknown as Decode)) as Decode;
})();

export interface Scanner {
  stop(): void;
}

interface DetectorLike { detect(source: CanvasImageSource): Promise<Array<{ rawValue: string }>> }

async function nativeDetector(): Promise<DetectorLike | null> {
  const BD = (globalThis as unknown as { BarcodeDetector?: { new (o: { formats: string[] }): DetectorLike; getSupportedFormats?(): Promise<string[]> } }).BarcodeDetector;
  if (!BD) return null;
  try {
    const formats = (await BD.getSupportedFormats?.()) ?? ['qr_code'];
    return formats.includes('qr_code') ? new BD({ formats: ['qr_code'] }) : null;
  } catch {
    return null;
  }
}

/** Largest side of the frame given to jsQR: enough for a code filling a fifth of the view, cheap on a phone. */
const DECODE_SIDE = 640;

export async function startScanner(video: HTMLVideoElement, onCode: (text: string, ms: number, via: 'native' | 'jsqr') => void): Promise<Scanner> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment', width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false });
  video.srcObject = stream;
  video.muted = true;
  video.playsInline = true;
  await video.play();
  const detector = await nativeDetector();
  const canvas = document.createElement('canvas');
  const g = canvas.getContext('2d', { willReadFrequently: true })!;
  let stopped = false;
  let firstFrame: number | undefined;
  const stop = () => {
    stopped = true;
    for (const t of stream.getTracks()) t.stop();
    video.srcObject = null;
  };
  const frame = async () => {
    if (stopped) return;
    if (video.readyState >= 2 && video.videoWidth > 0) {
      firstFrame ??= performance.now();
      let text: string | null = null;
      let via: 'native' | 'jsqr' = 'jsqr';
      if (detector) {
        const found = await detector.detect(video).catch(() => []);
        text = found.find((f) => isCheckpointCode(f.rawValue))?.rawValue ?? null;
        via = 'native';
      } else {
        const scale = Math.min(1, DECODE_SIDE / Math.max(video.videoWidth, video.videoHeight));
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        g.drawImage(video, 0, 0, canvas.width, canvas.height);
        const img = g.getImageData(0, 0, canvas.width, canvas.height);
        const code = jsQR(img.data, img.width, img.height, { inversionAttempts: 'dontInvert' });
        if (code && isCheckpointCode(code.data)) text = code.data;
      }
      if (text && !stopped) {
        const ms = Math.round(performance.now() - firstFrame);
        stop();
        onCode(text, ms, via);
        return;
      }
    }
    setTimeout(() => void frame(), 40);
  };
  void frame();
  return { stop };
}
