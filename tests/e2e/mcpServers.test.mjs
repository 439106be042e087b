// End to end: the MCP Servers view and "Plue: Manage Tool Permissions" through the UI of the packaged VSIX in
// code-server. Add MCP Server asks for each part of the server; a secret variable is typed into a masked box and
// must then be shown nowhere (not in the page, the logs with a verbose trace on, or any file of PLUE_HOME but the
// encrypted vault); the server is the node MCP fixture, tested for real. Removing asks in a modal, as does
// forgetting a tool's "allow always". Needs artifacts/plue-vscode.vsix.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { repoRoot } from '../support/codeServer.mjs';
import { filesContaining, pageText } from '../support/secrets.mjs';
import { contextMenu, notification, openWorkbench, runCommand, saveScreenshot, showPlue, test } from './support/workbench.mjs';

const fixtureServer = path.join(repoRoot, 'tests/Plue.Server.Tests/Agents/Tools/Fixtures/mcp-fixture-server.js');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-e2e-mcp-'));
const plueHome = path.join(scratch, 'plue-home');
const workspace = path.join(scratch, 'sample-project');
const secret = `mcp_E2E_${Date.now().toString(36)}_Kq4Rz8Wm2`;

let workbench;
let page;

before(async () => {
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, 'README.md'), '# Sample project\n');
  // Two tools a user allowed always in this workspace earlier (the integration suite makes such answers for real).
  fs.mkdirSync(plueHome, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(plueHome, 'permissions.json'), JSON.stringify({
    version: 1, workspaces: [{ folders: [fs.realpathSync(workspace)], tools: ['bash', 'mcp__e2e-fixture__echo'] }],
  }), { mode: 0o600 });
  workbench = await openWorkbench({ scratch, folder: fs.realpathSync(workspace), settings: { 'plue.trace.server': 'verbose' }, env: { PLUE_HOME: plueHome } });
  page = workbench.page;
}, { timeout: 120_000 });

after(async () => {
  await workbench?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

/** Waits for the quick input whose title holds `title`, then types `text` and presses Enter. */
async function answer(title, text) {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor();
  const input = page.locator('.quick-input-widget input.input');
  await input.fill(text);
  await page.keyboard.press('Enter');
}

async function screenshot(name) {
  await page.mouse.move(700, 450);
  assert.ok(!(await pageText(page)).includes(secret), `the page shows the secret when ${name} is taken`);
  await saveScreenshot(page, name);
}

function mcpView() {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'MCP Servers' }) });
}

test('Add MCP Server asks name, command, arguments and variables; the secret goes in a masked box; the test finds 5 tools', { timeout: 120_000 }, async () => {
  await showPlue(page);
  await mcpView().getByText('No MCP servers yet.').waitFor();
  await runCommand(page, 'Plue: Add MCP Server');

  const input = page.locator('.quick-input-widget input.input');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'name' }).waitFor();
  await input.fill('E2E Fixture');
  await page.locator('.quick-input-message', { hasText: 'mcp__<name>__<tool>' }).waitFor();
  await screenshot('mcp-add-1-name.png');
  await page.keyboard.press('Enter');
  await answer('command', 'node');

  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'arguments' }).waitFor();
  await input.fill(`${fixtureServer} --token=vault://mcp/leak`);
  await page.locator('.quick-input-message', { hasText: 'refused in arguments' }).waitFor();
  await input.fill(fixtureServer);
  await page.locator('.quick-input-message', { hasText: '1 argument' }).waitFor();
  await page.keyboard.press('Enter');

  await answer('environment variables', 'FIXTURE_SECRET');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'FIXTURE_SECRET' }).waitFor();
  assert.match(await input.getAttribute('placeholder') ?? '', /Is FIXTURE_SECRET a secret/);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Secret' }).first().waitFor();
  await screenshot('mcp-add-2-secret-or-plain.png');
  await page.keyboard.press('Enter');
  const box = page.locator('.quick-input-widget input[type="password"]');
  await box.waitFor();
  await box.pressSequentially(secret, { delay: 5 });
  await screenshot('mcp-add-3-masked.png');
  await page.keyboard.press('Enter');
  // The next variable's name; empty ends the list.
  await page.locator('.quick-input-widget .quick-input-title', { hasText: '(1 added)' }).waitFor();
  await page.keyboard.press('Enter');

  assert.match(await notification(page, /E2E Fixture (works|failed)/), /E2E Fixture works: 5 tools\./);
  // The row redraws after the notification: wait for its description rather than read it at once.
  const row = mcpView().getByRole('treeitem', { name: /E2E Fixture/ }).filter({ hasText: /enabled · 5 tools/ });
  await row.waitFor();
  await screenshot('mcp-add-4-view.png');
  assert.ok(!(await pageText(page, { passwords: true })).includes(secret), 'the page (an input, even a masked one) still holds the secret');
});

test('Manage Tool Permissions lists this workspace\'s tools; a grant\'s pattern can be edited, and one is forgotten after a modal confirmation', { timeout: 60_000 }, async () => {
  await runCommand(page, 'Plue: Manage Tool Permissions');
  const echo = page.locator('.quick-input-list .monaco-list-row', { hasText: 'mcp__e2e-fixture__echo' }).first();
  await echo.waitFor();
  assert.match(await echo.innerText(), /Tool echo of the MCP server e2e-fixture/);
  const bash = page.locator('.quick-input-list .monaco-list-row', { hasText: 'bash' }).first();
  assert.match(await bash.innerText(), /Runs shell commands/);
  await screenshot('permissions-1-list.png');
  await page.locator('.quick-input-widget input.input').fill('bash');
  await page.keyboard.press('Enter');

  // A grant's pattern can be edited, not only forgotten: bash narrowed to `git status`, written to its record.
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Edit the command prefix' }).click();
  await page.locator('.quick-input-widget', { hasText: 'command prefix' }).locator('input.input').fill('git status');
  await page.keyboard.press('Enter');
  await notification(page, 'bash `git status` runs without asking in this workspace');
  await runCommand(page, 'Plue: Manage Tool Permissions');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'bash `git status`' }).first().waitFor();
  await page.locator('.quick-input-widget input.input').fill('git status');
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Forget' }).click();

  const dialog = page.locator('.monaco-dialog-box', { hasText: 'Forget "allow always" for bash `git status`?' });
  await dialog.waitFor();
  await screenshot('permissions-2-confirm.png');
  await dialog.getByRole('button', { name: 'Forget' }).click();
  await notification(page, 'bash `git status` asks again before each use');
  // Grants are records now: listed again, bash is gone and the MCP tool's grant stays.
  await runCommand(page, 'Plue: Manage Tool Permissions');
  await echo.waitFor();
  assert.equal(await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Runs shell commands' }).count(), 0, 'bash is still listed');
  await page.keyboard.press('Escape');
});

test('Remove MCP Server from the row\'s context menu names the secret it deletes, and the view is empty again', { timeout: 60_000 }, async () => {
  const row = mcpView().getByRole('treeitem', { name: /E2E Fixture/ });
  await contextMenu(page, row, 'Remove MCP Server', { shows: page.locator('.monaco-dialog-box') });
  const dialog = page.locator('.monaco-dialog-box', { hasText: 'Remove the MCP server "E2E Fixture"?' });
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /FIXTURE_SECRET\) will be deleted from the Plue vault/);
  await screenshot('mcp-remove-confirm.png');
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await row.waitFor({ state: 'detached' });
  await mcpView().getByText('No MCP servers yet.').waitFor();

  assert.deepEqual(filesContaining(workbench.server.dir, secret), [], 'files of code-server (logs, trace, state) hold the secret');
  assert.deepEqual(filesContaining(plueHome, secret), [], 'files of PLUE_HOME (vault.bin included) hold the secret in clear');
});
