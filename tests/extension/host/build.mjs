// Builds out/test/host, the extension folder the integration runners load Plue from: the test entry (extension.ts,
// bundled with the extension's sources to extension.js), the manifest copied with `main` at it, and links to what Plue
// reads from its own folder. The entry's file must be inside that folder: VS Code tells which extension runs a piece
// of code (and so where its log files go) by where the file is. Run by `npm run compile-tests`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const folder = path.join(repoRoot, 'out/test/host');

await esbuild.build({
  entryPoints: [path.join(repoRoot, 'tests/extension/host/extension.ts')],
  outfile: path.join(folder, 'extension.js'),
  bundle: true,
  sourcemap: true,
  external: ['vscode'],
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
});

/** Links `at` to `target`, replacing whatever is there. */
function link(target, at) {
  fs.rmSync(at, { recursive: true, force: true });
  fs.symlinkSync(target, at);
}

fs.mkdirSync(path.join(folder, 'out'), { recursive: true });
for (const entry of fs.readdirSync(repoRoot)) {
  // Not `out` whole: the folder is in it. Not node_modules: the entry is bundled.
  if (!['package.json', '.git', 'out', 'node_modules'].includes(entry)) link(path.join(repoRoot, entry), path.join(folder, entry));
}
link(path.join(repoRoot, 'out/webview'), path.join(folder, 'out/webview'));
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ ...manifest, main: './extension.js' }, null, 2));
