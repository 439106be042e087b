// End to end: a workspace not trusted brings nothing (docs/CUSTOMIZATIONS.md). code-server runs here with Workspace
// Trust on, as a user has it, so the fixture folder (an AGENTS.md and a Claude Code command) opens in Restricted Mode.
// The Customizations view is led by the "Trust this workspace…" row, its shield in the warning colour, counting what
// the workspace would bring; each file row says it is ignored because the workspace is not trusted. A click on the
// row opens VS Code's Workspace Trust editor; trusting the folder there makes the files used, without a reload.
// Needs artifacts/plue-vscode.vsix.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { customizationRow, customizationsView, inEveryTheme, openWorkbench, saveScreenshot, showCustomizationsView, test } from './support/workbench.mjs';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-untrusted-e2e-'));
const workspace = path.join(scratch, 'untrusted-project');
const home = path.join(scratch, 'home');

function put(root, relative, text) {
  fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
  fs.writeFileSync(path.join(root, relative), text);
}

let workbench;
let page;

before(async () => {
  put(workspace, 'AGENTS.md', '# Untrusted project\nUse tabs.\n');
  put(workspace, '.claude/commands/greet.md', '---\ndescription: Greet someone\n---\nsay hello to $ARGUMENTS\n');
  fs.mkdirSync(home, { recursive: true });
  workbench = await openWorkbench({ scratch, folder: workspace, workspaceTrust: true, env: { PLUE_HOME: path.join(scratch, 'plue-home'), HOME: home } });
  page = workbench.page;
}, { timeout: 240_000 });

after(async () => {
  await workbench?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

const view = () => customizationsView(page);
const row = (label, text) => customizationRow(page, label, text);

// By its text: its accessible name is its tooltip (why trust matters).
const trustRow = () => view().getByRole('treeitem').filter({ hasText: /^\s*Trust this workspace…/ });

const showView = () => showCustomizationsView(page);

test('an untrusted workspace\'s Customizations view is led by Trust this workspace… (the untrusted shield, in the warning colour) and says each file is ignored because the workspace is not trusted, in every theme', { timeout: 300_000 }, async () => {
  await showView();
  await trustRow().filter({ hasText: '2 ignored because the workspace is not trusted' }).waitFor();
  const first = view().getByRole('treeitem').first();
  assert.match(await first.innerText(), /^Trust this workspace…\s*2 ignored because the workspace is not trusted$/, 'the trust row leads the list');
  const icon = trustRow().locator('.custom-view-tree-node-item-icon');
  assert.match(await icon.getAttribute('class'), /codicon-workspace-untrusted/, 'the trust row shows the untrusted shield');
  // The warning colour: the same as a Problems warning's icon in this theme.
  const colours = await page.evaluate((shield) => {
    const warning = document.createElement('div');
    warning.style.color = 'var(--vscode-problemsWarningIcon-foreground)';
    document.querySelector('.monaco-workbench').append(warning); // where the theme's variables are
    const expected = getComputedStyle(warning).color;
    warning.remove();
    return { shield: getComputedStyle(shield).color, expected };
  }, await icon.elementHandle());
  assert.equal(colours.shield, colours.expected, 'the shield wears the warning colour');
  const ignored = /ignored: the workspace is not trusted: trust it/;
  await row('AGENTS.md', ignored).waitFor();
  await row('/greet', /\.claude\/commands\/greet\.md · workspace · ignored: the workspace is not trusted: trust it/).waitFor();
  assert.doesNotMatch(await row('AGENTS.md', ignored).innerText(), /--trust/, 'the window names the command line\'s flag');
  assert.equal(await view().getByRole('treeitem').filter({ hasText: /· used$/ }).count(), 0, 'nothing the workspace brings is used');
  await inEveryTheme(page, 'customizations-untrusted', async () => {
    await showView();
    await trustRow().waitFor();
    await page.mouse.move(1300, 850);
  });
});

test('a click on Trust this workspace… opens VS Code\'s Workspace Trust; trusting the folder there makes its files used without a reload', { timeout: 300_000 }, async () => {
  await showView();
  await trustRow().click();
  const editor = page.locator('.workspace-trust-editor');
  await editor.waitFor({ timeout: 60_000 });
  await editor.getByText(/Restricted Mode/).first().waitFor();
  await saveScreenshot(page, 'customizations-trust-editor-dark.png');
  // No reload from here on: the same page must show the files used.
  await page.evaluate(() => { window.plueSamePage = true; });
  await editor.getByRole('button', { name: 'Trust', exact: true }).click();
  await editor.getByText('You trust this folder').waitFor();
  await showView();
  await row('AGENTS.md', /workspace · used/).waitFor({ timeout: 60_000 });
  await row('/greet', '.claude/commands/greet.md · workspace · used').waitFor({ timeout: 60_000 });
  assert.equal(await trustRow().count(), 0, 'the trust row is gone once the workspace is trusted');
  assert.equal(await page.evaluate(() => window.plueSamePage), true, 'the window was not reloaded');
  await page.mouse.move(1300, 850);
  await saveScreenshot(page, 'customizations-trusted-dark.png');
});
