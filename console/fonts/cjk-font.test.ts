import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OUT_CSS, covers, generate, isCjk, parseFontFaces, parseUnicodeRange, pickFaces } from './cjk-font.js';

describe('the bundled CJK font subset', () => {
  it.each([
    ['U+4e00', [[0x4e00, 0x4e00]]],
    ['U+4e00-4e0f,U+4e11', [[0x4e00, 0x4e0f], [0x4e11, 0x4e11]]],
    ['U+1f1e9-1f1f5', [[0x1f1e9, 0x1f1f5]]],
  ])('parses unicode-range %s', (text, want) => {
    expect(parseUnicodeRange(text)).toEqual(want);
  });

  it('keeps only the slices that hold a used glyph', () => {
    const faces = parseFontFaces(`/* a */ @font-face { src: url(./files/a.woff2) format('woff2'); unicode-range: U+4e00-4e10; }
      /* b */ @font-face { src: url(./files/b.woff2) format('woff2'); unicode-range: U+5000-5010; }`);
    expect(faces.map((f) => f.woff2)).toEqual(['a.woff2', 'b.woff2']);
    expect(pickFaces(faces, new Set([0x5005])).map((f) => f.woff2)).toEqual(['b.woff2']);
    expect(pickFaces(faces, new Set([0x41])).length).toBe(0);
  });

  it('classifies CJK code points', () => {
    expect(isCjk('报'.codePointAt(0)!)).toBe(true);
    expect(isCjk('，'.codePointAt(0)!)).toBe(true);
    expect(isCjk('A'.codePointAt(0)!)).toBe(false);
  });

  it('is up to date: every CJK glyph the UI and the site config use is in a shipped slice (npx tsx console/fonts/cjk-font.ts)', () => {
    const { css, used } = generate();
    const shipped = parseFontFaces(fs.readFileSync(OUT_CSS, 'utf8').replaceAll('../../node_modules/@fontsource/noto-sans-sc/files/', './files/'));
    const missing = [...used].filter((cp) => !shipped.some((f) => covers(f, cp))).map((cp) => String.fromCodePoint(cp));
    expect(missing).toEqual([]);
    expect(fs.readFileSync(OUT_CSS, 'utf8')).toBe(css);
    expect(used.size).toBeGreaterThan(100); // the zh-CN tables were read
  });
});
