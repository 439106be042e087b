// End to end: the packaged VSIX installed into a clean code-server, used
// through the UI like a person would. Needs artifacts/plue-vscode.vsix (npm run package).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser } from '../support/browser.mjs';
import { repoRoot, startCodeServer, workbenchUrl } from '../support/codeServer.mjs';

const vsix = path.join(repoRoot, 'artifacts/plue-vscode.vsix');
const screenshots = path.join(repoRoot, 'artifacts/screenshots');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-e2e-'));
const plueHome = path.join(scratch, 'plue-home');
const workspace = path.join(scratch, 'sample-project');

let server;
let browser;
let page;

before(async () => {
  assert.ok(fs.existsSync(vsix), `${vsix} is missing: run \`npm run package\` first`);
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, 'README.md'), '# Sample project\n');
  server = await startCodeServer({ dir: path.join(scratch, 'code-server'), vsix, env: { PLUE_HOME: plueHome } });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(30_000);
  await page.goto(workbenchUrl(server, { folder: workspace }));
  await page.locator('.monaco-workbench .activitybar').waitFor();
}, { timeout: 120_000 });

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

test('the Plue view shows the User Chats and Agent Tasks folders', { timeout: 60_000 }, async () => {
  await page.locator('.activitybar').getByRole('tab', { name: 'Plue', exact: true }).click();
  const tree = page.locator('.pane', { hasText: 'Channels' });
  await tree.getByRole('treeitem', { name: 'User Chats' }).waitFor();
  await tree.getByRole('treeitem', { name: 'Agent Tasks' }).waitFor();
});

test('"Plue: Show Sidecar Status" shows the running sidecar in a notification', { timeout: 90_000 }, async () => {
  // The status bar item turns to "$(hubot) Plue" once the sidecar answers initialize.
  await page.locator('.statusbar-item', { has: page.locator('.codicon-hubot') }).waitFor({ timeout: 60_000 });
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input.input').fill('>Plue: Show Sidecar Status');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Plue: Show Sidecar Status' }).first().waitFor();
  await page.keyboard.press('Enter');

  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Plue sidecar' });
  await toast.waitFor();
  const text = await toast.locator('.notification-list-item-message').innerText();
  const match = /^Plue sidecar (\S+) — pid (\d+), up ([\d.]+) s, home (.+)$/.exec(text.trim());
  assert.ok(match, `unexpected notification: ${text}`);
  assert.equal(match[1], JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version);
  assert.equal(match[4], plueHome);
  assert.doesNotThrow(() => process.kill(Number(match[2]), 0), `the sidecar pid ${match[2]} is not a live process`);

  // Screenshot once the toast has finished sliding in, without the activity bar hover.
  await page.mouse.move(700, 450);
  await page.locator('.notification-fade-in-done', { hasText: 'Plue sidecar' }).waitFor();
  fs.mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: path.join(screenshots, 'status.png') });
});
