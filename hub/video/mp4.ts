// Splits ffmpeg's fragmented-MP4 byte stream into the init segment (ftyp+moov) and media
// fragments (moof+mdat), and tells whether a fragment starts with a keyframe, so late joiners
// can get the init segment at once and start at the next keyframe. Pure, table-tested.

export type Mp4Piece =
  | { type: 'init'; data: Buffer }
  | { type: 'fragment'; data: Buffer; keyframe: boolean };

const MAX_BOX = 64 * 1024 * 1024;

export class Mp4Splitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private initParts: Buffer[] = [];
  private moof?: Buffer;

  /** Feeds bytes; returns the complete pieces they finished. */
  push(chunk: Buffer): Mp4Piece[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const out: Mp4Piece[] = [];
    let buf = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    let off = 0;
    while (buf.length - off >= 8) {
      let size = buf.readUInt32BE(off);
      const type = buf.toString('latin1', off + 4, off + 8);
      let header = 8;
      if (size === 1) {
        if (buf.length - off < 16) break;
        size = Number(buf.readBigUInt64BE(off + 8));
        header = 16;
      }
      if (size < header || size > MAX_BOX) throw new Error(`bad MP4 box '${type}' of size ${size} at byte ${off}`);
      if (buf.length - off < size) break;
      const box = buf.subarray(off, off + size);
      off += size;
      this.onBox(type, box, out);
    }
    const rest = buf.subarray(off);
    this.pending = rest.length ? [Buffer.from(rest)] : [];
    this.pendingBytes = rest.length;
    return out;
  }

  private onBox(type: string, box: Buffer, out: Mp4Piece[]): void {
    if (type === 'ftyp') {
      this.initParts = [box];
    } else if (type === 'moov') {
      this.initParts.push(box);
      out.push({ type: 'init', data: Buffer.concat(this.initParts) });
      this.initParts = [];
    } else if (type === 'moof') {
      this.moof = box;
    } else if (type === 'mdat' && this.moof) {
      out.push({ type: 'fragment', data: Buffer.concat([this.moof, box]), keyframe: moofStartsWithKeyframe(this.moof) });
      this.moof = undefined;
    }
    // styp, sidx, mfra, free...: not needed by MediaSource, dropped.
  }
}

/** Child boxes of a container box payload. */
function* children(buf: Buffer, start: number, end: number): Generator<{ type: string; start: number; end: number }> {
  let off = start;
  while (off + 8 <= end) {
    const size = buf.readUInt32BE(off);
    if (size < 8 || off + size > end) return;
    yield { type: buf.toString('latin1', off + 4, off + 8), start: off + 8, end: off + size };
    off += size;
  }
}

const NON_SYNC = 0x0001_0000;
const DEPENDS_ON_OTHERS = 0x0100_0000; // sample_depends_on == 1

function isSync(flags: number): boolean {
  return (flags & NON_SYNC) === 0 && (flags & 0x0300_0000) !== DEPENDS_ON_OTHERS;
}

/** Reads tfhd/trun sample flags of the first track fragment: is its first sample a sync sample? */
export function moofStartsWithKeyframe(moof: Buffer): boolean {
  for (const traf of children(moof, 8, moof.length)) {
    if (traf.type !== 'traf') continue;
    let defaultFlags: number | undefined;
    for (const b of children(moof, traf.start, traf.end)) {
      const flags = moof.readUInt32BE(b.start) & 0xffffff;
      if (b.type === 'tfhd') {
        let p = b.start + 8; // version/flags + track_ID
        if (flags & 0x01) p += 8;
        if (flags & 0x02) p += 4;
        if (flags & 0x08) p += 4;
        if (flags & 0x10) p += 4;
        if (flags & 0x20) defaultFlags = moof.readUInt32BE(p);
      } else if (b.type === 'trun') {
        let p = b.start + 8; // version/flags + sample_count
        if (flags & 0x01) p += 4;
        if (flags & 0x04) return isSync(moof.readUInt32BE(p)); // first_sample_flags
        if (flags & 0x400) {
          if (flags & 0x100) p += 4;
          if (flags & 0x200) p += 4;
          return isSync(moof.readUInt32BE(p));
        }
        return defaultFlags === undefined ? true : isSync(defaultFlags);
      }
    }
  }
  return false;
}
