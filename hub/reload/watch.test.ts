import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchConfig } from './watch.js';

const log = { info: () => {}, warn: () => {} };
const dirs: string[] = [];
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await sleep(20);
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('watchConfig', () => {
  it('reloads once after a burst of YAML writes settles, also in config/devices/, and ignores other files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-watch-'));
    dirs.push(dir);
    fs.mkdirSync(path.join(dir, 'devices'));
    let reloads = 0;
    const stop = watchConfig(dir, async () => { reloads++; }, log, 150);
    try {
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'not config');
      await sleep(400);
      expect(reloads).toBe(0);
      for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(dir, 'devices', 'a.yaml'), `n: ${i}\n`);
      fs.writeFileSync(path.join(dir, 'alarms.yaml'), 'rules: []\n');
      await until(() => reloads > 0);
      await sleep(400);
      expect(reloads).toBe(1);
    } finally {
      stop();
    }
    fs.writeFileSync(path.join(dir, 'alarms.yaml'), 'rules: [] # after stop\n');
    await sleep(400);
    expect(reloads).toBe(1);
  });
});
