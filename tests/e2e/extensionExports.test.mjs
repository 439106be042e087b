// End to end: another extension beside the installed VSIX asks Plue for its exports. Plue exports nothing, so no
// other extension can drive its sidecar (the integration suites load Plue through their own entry, tests/extension/host).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';
import { openWorkbench, test } from './support/workbench.mjs';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-e2e-'));
const workspace = path.join(scratch, 'sample-project');
const probe = path.join(import.meta.dirname, 'fixtures', 'exportsProbe');
let workbench;

after(async () => {
  await workbench?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

test('another extension that activates the installed Plue gets no exports', { timeout: 180_000 }, async () => {
  fs.mkdirSync(workspace);
  workbench = await openWorkbench({ scratch, folder: workspace, env: { PLUE_HOME: path.join(scratch, 'plue-home') }, extensionFolders: [probe] });
  const written = path.join(workspace, 'plue-exports.json');
  for (const deadline = Date.now() + 60_000; !fs.existsSync(written); await new Promise((r) => setTimeout(r, 250))) {
    assert.ok(Date.now() < deadline, 'the probe extension never wrote what it saw');
  }
  assert.deepEqual(JSON.parse(fs.readFileSync(written, 'utf8')), { found: true, type: 'undefined', members: [] });
});
