// `npm start`'s code-server (scripts/serve.mjs) against the suites': a newcomer's window is not the suites' quiet one.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startCodeServer } from '../support/codeServer.mjs';

test("npm start's code-server does not take the suites' settings: the walkthrough opens on first run, and settings the user changed are kept", async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-start-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const settingsFile = path.join(dir, 'data', 'User', 'settings.json');

  const first = await startCodeServer({ dir, suite: false });
  await first.stop();
  const written = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
  assert.equal(written['plue.walkthrough.openOnFirstRun'], undefined, 'the walkthrough is switched off');
  assert.equal(written['workbench.startupEditor'], undefined, 'the welcome page is switched off');
  assert.equal(written['telemetry.telemetryLevel'], 'off');

  fs.writeFileSync(settingsFile, JSON.stringify({ ...written, 'editor.fontSize': 17 }));
  const again = await startCodeServer({ dir, suite: false });
  await again.stop();
  assert.equal(JSON.parse(fs.readFileSync(settingsFile, 'utf8'))['editor.fontSize'], 17, "the user's setting was written over");

  // The suites still start from their quiet window.
  const suite = await startCodeServer({});
  t.after(() => suite.stop());
  assert.equal(JSON.parse(fs.readFileSync(path.join(suite.dirs.data, 'User', 'settings.json'), 'utf8'))['plue.walkthrough.openOnFirstRun'], false);
});
