// End to end: the packaged VSIX installed into a clean code-server, used
// through the UI like a person would. Needs artifacts/plue-vscode.vsix (npm run package).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { repoRoot } from '../support/codeServer.mjs';
import { openWorkbench, runCommand, saveScreenshot, showPlue, test } from './support/workbench.mjs';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-e2e-'));
const plueHome = path.join(scratch, 'plue-home');
const workspace = path.join(scratch, 'sample-project');

let workbench;
let page;

before(async () => {
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, 'README.md'), '# Sample project\n');
  workbench = await openWorkbench({ scratch, folder: workspace, env: { PLUE_HOME: plueHome }, waitForSidecar: false });
  page = workbench.page;
}, { timeout: 120_000 });

after(async () => {
  await workbench?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

test('the Plue view on a new home shows the Channels welcome, not empty folders', { timeout: 60_000 }, async () => {
  await showPlue(page);
  const tree = page.locator('.pane', { has: page.locator('.pane-header .title', { hasText: /^Channels$/ }) });
  await tree.locator('.welcome-view-content', { hasText: 'No chats or tasks yet' }).waitFor();
  assert.equal(await tree.getByRole('treeitem', { name: 'User Chats' }).count(), 0, 'a new home shows an empty User Chats folder');
});

test('"Plue: Show Sidecar Status" shows the running sidecar in a notification', { timeout: 90_000 }, async () => {
  // The status bar item turns to "$(hubot) Plue" once the sidecar answers initialize.
  await page.locator('.statusbar-item', { has: page.locator('.codicon-hubot') }).waitFor({ timeout: 60_000 });
  await runCommand(page, 'Plue: Show Sidecar Status');

  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Plue sidecar' });
  await toast.waitFor();
  const text = await toast.locator('.notification-list-item-message').innerText();
  const match = /^Plue sidecar (\S+) — pid (\d+), up ([\d.]+) s, home (.+?); vault key (.+)$/.exec(text.trim());
  assert.ok(match, `unexpected notification: ${text}`);
  assert.equal(match[1], JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version);
  assert.equal(match[4], plueHome);
  // Where the vault's key is: the OS keychain, or the key file and why no keychain (tests/keychain/ checks each); with
  // neither a keychain nor a key file yet (nothing stored), where the file will be made.
  assert.match(match[5], /^(in the OS keychain \(the Secret Service\)|(in|none yet: made in) .*vault\.key \(readable by you only\)( when the first secret is stored)?(; no OS keychain: .+)?|from PLUE_VAULT_KEY)$/);
  assert.doesNotThrow(() => process.kill(Number(match[2]), 0), `the sidecar pid ${match[2]} is not a live process`);

  // Screenshot once the toast has finished sliding in, without the activity bar hover.
  await page.mouse.move(700, 450);
  await page.locator('.notification-fade-in-done', { hasText: 'Plue sidecar' }).waitFor();
  await saveScreenshot(page, 'status.png');
});
