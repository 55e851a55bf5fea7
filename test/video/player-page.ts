// Test and benchmark support: the console's player module as browser JavaScript and a tiny page
// that plays one camera with it (served by the test's own HTTP server beside the gateway). It lives
// under test/ because the hub never compiles console sources at run time; it serves the build.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const PLAYER_TS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../console/src/video/player.ts');

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required'];

/** The player module with its types stripped (it has no imports, so it loads alone). */
export function playerModuleJs(): string {
  return ts.transpileModule(readFileSync(PLAYER_TS, 'utf8'), { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } }).outputText;
}

/** `/?camera=<id>` plays ws://<same host>/video/<id>; window.states collects the player's states. */
export const PLAYER_PAGE = `<!doctype html><html><body style="margin:0;background:#000">
<video id="v" muted playsinline style="width:640px;height:480px"></video>
<script type="module">
  import { LowLatencyPlayer } from '/player.js';
  const q = new URLSearchParams(location.search);
  window.states = [];
  const p = new LowLatencyPlayer(document.getElementById('v'), 'ws://' + location.host + '/video/' + q.get('camera'), { onState: (s) => window.states.push(s) });
  p.start();
  window.player = p;
</script></body></html>`;
