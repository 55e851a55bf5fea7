// `npm run patrols:print [-- --config config --data <dataDir> --out <dir> --no-pdf]`: the printable
// A4 sheets of checkpoint QR codes, labelled in zh-CN and en, as SVG (one file per page) and one
// PDF (Chromium's page.pdf). The codes carry the current signed token of each checkpoint from
// <dataDir>/patrols/secrets.json (created for new checkpoints): print again after a rotation.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import QRCode from 'qrcode';
import YAML from 'yaml';
import { patrolsFileSchema, type Checkpoint } from '../hub/patrols/schema.js';
import { CheckpointSecrets } from '../hub/patrols/secrets.js';
import { signToken } from '../hub/patrols/token.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const A4 = { w: 210, h: 297 };
const COLS = 3;
const ROWS = 4;
const CELL = { w: 62, h: 66 };
const MARGIN = { x: (A4.w - COLS * CELL.w) / 2, y: 18 };

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export interface Label { checkpoint: Checkpoint; version: number; token: string }

/** One A4 page of up to 12 labelled codes, in millimetres. Pure apart from QR encoding. */
export async function pageSvg(labels: readonly Label[], page: number, pages: number, title: string): Promise<string> {
  const cells = await Promise.all(labels.map(async (l, i) => {
    const x = MARGIN.x + (i % COLS) * CELL.w;
    const y = MARGIN.y + Math.floor(i / COLS) * CELL.h;
    const qr = await QRCode.toString(l.token, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    const inner = qr.replace(/^<svg /, `<svg x="${x + 11}" y="${y + 2}" width="40" height="40" `);
    return [
      `<rect x="${x + 1}" y="${y}" width="${CELL.w - 2}" height="${CELL.h - 2}" rx="2" fill="none" stroke="#999" stroke-width="0.2" stroke-dasharray="1 1"/>`,
      inner,
      `<text x="${x + CELL.w / 2}" y="${y + 48}" font-size="4.6" font-weight="700" text-anchor="middle">${esc(l.checkpoint.name['zh-CN'])}</text>`,
      `<text x="${x + CELL.w / 2}" y="${y + 53.5}" font-size="3.6" text-anchor="middle">${esc(l.checkpoint.name.en)}</text>`,
      `<text x="${x + CELL.w / 2}" y="${y + 58.5}" font-size="2.6" text-anchor="middle" fill="#444">${esc(l.checkpoint.id)} · v${l.version} · ${esc(l.checkpoint.area)}</text>`,
      `<text x="${x + CELL.w / 2}" y="${y + 62.5}" font-size="2.4" text-anchor="middle" fill="#666">巡更点 请勿遮挡 · Patrol checkpoint, do not cover</text>`,
    ].join('\n');
  }));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${A4.w}mm" height="${A4.h}mm" viewBox="0 0 ${A4.w} ${A4.h}" font-family="'Noto Sans SC', 'Noto Sans CJK SC', sans-serif">
<rect width="${A4.w}" height="${A4.h}" fill="#fff"/>
<text x="${MARGIN.x + 1}" y="11" font-size="4.2" font-weight="700">${esc(title)}</text>
<text x="${A4.w - MARGIN.x - 1}" y="11" font-size="3" text-anchor="end">${page} / ${pages}</text>
${cells.join('\n')}
</svg>\n`;
}

async function main() {
  const configDir = path.resolve(arg('config', 'config')!);
  const hubYaml = YAML.parse(fs.readFileSync(path.join(configDir, 'hub.yaml'), 'utf8')) as { dataDir?: string };
  // Like the hub: a relative dataDir is resolved against the parent of the config folder.
  const dataDir = path.resolve(path.dirname(configDir), arg('data', hubYaml.dataDir ?? 'data')!);
  const out = path.resolve(arg('out', path.join(dataDir, 'patrols', 'print'))!);
  const file = patrolsFileSchema.parse(YAML.parse(fs.readFileSync(path.join(configDir, 'patrols.yaml'), 'utf8')) ?? {});
  const secrets = new CheckpointSecrets(path.join(dataDir, 'patrols'));
  secrets.ensure(file.checkpoints.map((c) => c.id));
  const labels: Label[] = file.checkpoints.map((c) => {
    const k = secrets.key(c.id)!;
    return { checkpoint: c, version: k.version, token: signToken(k.secret, c.id, k.version) };
  });
  fs.mkdirSync(out, { recursive: true, mode: 0o700 });
  const per = COLS * ROWS;
  const pages = Math.max(1, Math.ceil(labels.length / per));
  const title = `巡更点二维码 Patrol checkpoint codes — ${new Date().toISOString().slice(0, 10)}`;
  const svgs: string[] = [];
  for (let p = 0; p < pages; p++) {
    const svg = await pageSvg(labels.slice(p * per, (p + 1) * per), p + 1, pages, title);
    const name = path.join(out, `checkpoints-${p + 1}.svg`);
    fs.writeFileSync(name, svg, { mode: 0o600 });
    svgs.push(svg);
  }
  console.log(`patrols:print: ${labels.length} checkpoint(s) on ${pages} A4 page(s) → ${out}/checkpoints-*.svg`);
  if (process.argv.includes('--no-pdf')) return;
  // The PDF embeds Noto Sans SC from @fontsource (the machine may have no CJK font installed).
  const css = path.join(ROOT, 'node_modules/@fontsource/noto-sans-sc/index.css');
  const html = `<!doctype html><html><head><meta charset="utf-8">${fs.existsSync(css) ? `<link rel="stylesheet" href="file://${css}">` : ''}
<style>@page { size: A4; margin: 0 } body { margin: 0 } .page { width: 210mm; height: 297mm; page-break-after: always; overflow: hidden } .page svg { display: block }</style></head>
<body>${svgs.map((s) => `<div class="page">${s}</div>`).join('')}</body></html>`;
  const htmlFile = path.join(out, 'checkpoints.html');
  fs.writeFileSync(htmlFile, html, { mode: 0o600 });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    await page.goto(`file://${htmlFile}`);
    await page.evaluate('document.fonts.ready.then(() => true)');
    await page.pdf({ path: path.join(out, 'checkpoints.pdf'), format: 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
  }
  console.log(`patrols:print: PDF → ${path.join(out, 'checkpoints.pdf')}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`patrols:print: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}
