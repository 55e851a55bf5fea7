import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulawToLinear } from '../../simulators/pa/rtp.js';
import { encodeMulaw, linearToMulaw, pcm8kMono } from './wav.js';

describe('G.711 μ-law encoder', () => {
  it.each([[0, 0xff], [-1, 0x7f], [32767, 0x80], [-32768, 0x00], [1000, 0xce]])('%i → 0x%s', (lin, mu) => expect(linearToMulaw(lin)).toBe(mu));
  it('round-trips through the PA simulator decoder within μ-law quantisation', () => {
    for (const x of [-30000, -1234, -5, 0, 7, 999, 20000]) {
      const back = mulawToLinear(linearToMulaw(x));
      expect(Math.abs(back - x)).toBeLessThanOrEqual(Math.max(8, Math.abs(x) / 16));
    }
  });
});

describe('pcm8kMono', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-wav-'));
  const make = (name: string, args: string[]) => {
    const f = path.join(dir, name);
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=0.1', ...args, f]);
    return fs.readFileSync(f);
  };
  it('reads 8 kHz mono s16 WAV and agrees with ffmpeg’s μ-law', () => {
    const wav = make('a.wav', ['-ar', '8000', '-ac', '1']);
    const pcm = pcm8kMono(wav)!;
    expect(pcm.length).toBe(800);
    const ours = encodeMulaw(pcm);
    const theirs = execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', path.join(dir, 'a.wav'), '-f', 'mulaw', 'pipe:1']);
    // ffmpeg's encoder rounds differently at step edges: at most one quantisation step apart.
    const worst = Math.max(...[...ours].map((b, i) => Math.abs(b - theirs[i])));
    expect(theirs.length).toBe(ours.length);
    expect(worst).toBeLessThanOrEqual(1);
  });
  it('declines other formats (ffmpeg handles them)', () => {
    expect(pcm8kMono(make('b.wav', ['-ar', '22050', '-ac', '1']))).toBeNull();
    expect(pcm8kMono(Buffer.from('not a wav file at all, definitely longer than 44 bytes....'))).toBeNull();
  });
});
