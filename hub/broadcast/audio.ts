// Audio for the PA: the chime and text-to-speech are rendered at run time (ffmpeg, espeak-ng)
// into <dataDir>/broadcast/audio, cached by content hash — no binaries in the repository.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { TtsLang } from './schema.js';

export function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((ok, fail) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => {
      if (err.length < 4000) err += d.toString();
    });
    p.on('error', (e) => fail(new Error(`${cmd} could not start: ${e.message} (is it installed?)`)));
    p.on('close', (code) => (code === 0 ? ok() : fail(new Error(`${cmd} exited with ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`))));
  });
}

export class AudioLibrary {
  constructor(private readonly dir: string, private readonly voices: Record<TtsLang, string>) {
    fs.mkdirSync(dir, { recursive: true });
  }

  private file(key: string): string {
    return path.join(this.dir, `${crypto.createHash('sha256').update(key).digest('hex').slice(0, 16)}.wav`);
  }

  /** Two-tone chime (880 Hz then 660 Hz), 8 kHz mono WAV. */
  async chime(): Promise<string> {
    const out = this.file('chime-v1');
    if (fs.existsSync(out)) return out;
    const tmp = `${out}.${process.pid}.tmp.wav`;
    await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i',
      "aevalsrc='0.6*sin(2*PI*if(lt(t,0.45),880,660)*t)*exp(-3*mod(t,0.45))':s=8000:d=0.9", '-ac', '1', '-ar', '8000', tmp]);
    fs.renameSync(tmp, out);
    return out;
  }

  /** Speech via espeak-ng (`-v cmn` Mandarin, `-v en` English). */
  async tts(text: string, lang: TtsLang): Promise<string> {
    const voice = this.voices[lang];
    const out = this.file(`tts-v1|${voice}|${text}`);
    if (fs.existsSync(out)) return out;
    const tmp = `${out}.${process.pid}.tmp.wav`;
    await run('espeak-ng', ['-v', voice, '-s', '150', '-w', tmp, '--', text]);
    fs.renameSync(tmp, out);
    return out;
  }

  /** One WAV of several parts in order (chime + speech), 8 kHz mono, so each zone gets one RTP stream. */
  async sequence(parts: string[]): Promise<string> {
    if (parts.length === 1) return parts[0];
    const out = this.file(`seq-v1|${parts.join('|')}`);
    if (fs.existsSync(out)) return out;
    const tmp = `${out}.${process.pid}.tmp.wav`;
    const inputs = parts.flatMap((p) => ['-i', p]);
    const filter = `${parts.map((_, i) => `[${i}:a]aresample=8000,aformat=channel_layouts=mono[a${i}]`).join(';')};${parts.map((_, i) => `[a${i}]`).join('')}concat=n=${parts.length}:v=0:a=1[out]`;
    await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...inputs, '-filter_complex', filter, '-map', '[out]', '-ar', '8000', '-ac', '1', tmp]);
    fs.renameSync(tmp, out);
    return out;
  }
}
