// End to end: the agent setup a user brings, in the packaged extension inside code-server with its real sidecar. A
// fixture workspace holds several peers' layouts (a Claude Code command and agent, a Copilot prompt file and scoped
// instructions, a Cursor rule with a misspelt field, a skill in two layouts, one shadowing the other) and a home with a
// user-level command. The Customizations view lists them by kind with their source, scope and status, and is saved in
// the four kinds of theme. Copy to Plue on a found command makes a record, opens its form, and the file is then shown
// shadowed by the record. `/` in a chat's composer offers a command from a file; picked and sent, the loopback provider
// receives its body with the arguments put in; so does a task whose goal is typed as `/name args` in Run Task's goal box,
// which lists the commands as `/` is typed. (code-server runs with Workspace Trust off, so no row is ignored as
// untrusted here; tests/node/customizations.test.mjs covers that, and untrustedCustomizations.test.mjs with Workspace Trust on.)
// Needs artifacts/plue-vscode.vsix.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { startFakeOpenAI } from './support/fakeOpenAI.mjs';
import { contextMenu, customizationRow, customizationsView, fillAddProvider, notification, openWorkbench, pickModel, runCommand, runCommandToPick, saveScreenshot, setColorTheme, settingsTab, showCustomizationsView, test, visibleWebview } from './support/workbench.mjs';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-customizations-e2e-'));
const workspace = path.join(scratch, 'setup-project');
const home = path.join(scratch, 'home');
const themes = [['Dark Modern', 'dark'], ['Dark High Contrast', 'hc-dark'], ['Light High Contrast', 'hc-light'], ['Light Modern', 'light']];

function put(root, relative, text) {
  fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
  fs.writeFileSync(path.join(root, relative), text);
}

let workbench;
let page;
let provider;

before(async () => {
  put(workspace, 'AGENTS.md', '# Setup project\nUse tabs.\n');
  put(workspace, '.claude/commands/greet.md', '---\ndescription: Greet someone\nargument-hint: <who>\n---\nGREET-BODY say hello to $ARGUMENTS\n');
  put(workspace, '.github/prompts/explain.prompt.md', '---\ndescription: Explain the code\n---\nEXPLAIN-BODY explain $ARGUMENTS\n');
  put(workspace, '.github/instructions/python.instructions.md', '---\napplyTo: "**/*.py"\n---\nUse type hints.\n');
  put(workspace, '.cursor/rules/typo.mdc', '---\nglob: "*.ts"\n---\nNo any.\n');
  put(workspace, '.claude/skills/pdf-tools/SKILL.md', '---\nname: pdf-tools\ndescription: Fill and read PDF forms.\n---\nUse the scripts.\n');
  put(workspace, '.agents/skills/pdf-tools/SKILL.md', '---\nname: pdf-tools\ndescription: Another PDF skill.\n---\nIgnored.\n');
  put(workspace, '.claude/agents/reviewer.md', '\uFEFF---\r\nname: reviewer\r\ndescription: Reviews diffs\r\ntools: Read, Grep\r\n---\r\nReview the diff.\r\n');
  put(home, '.claude/commands/standup.md', '---\ndescription: Write my standup\n---\nWrite my standup.\n');
  provider = await startFakeOpenAI({ replies: [{ text: 'Hello done.' }] });
  workbench = await openWorkbench({ scratch, folder: workspace, env: { PLUE_HOME: path.join(scratch, 'plue-home'), HOME: home } });
  page = workbench.page;
}, { timeout: 150_000 });

after(async () => {
  await workbench?.close();
  await provider?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

const view = () => customizationsView(page);
const row = (label, text) => customizationRow(page, label, text);

const showView = () => showCustomizationsView(page);

test('the Customizations view lists the found files by kind with source, scope and status (used, or ignored with why), in every theme', { timeout: 300_000 }, async () => {
  await showView();
  // Each kind's group counts what it holds.
  await view().getByRole('treeitem', { name: /^Skills/ }).filter({ hasText: '1 used · 1 ignored' }).waitFor();
  await row('/greet', '.claude/commands/greet.md · workspace · used').waitFor();
  await row('/explain', '.github/prompts/explain.prompt.md · workspace · used').waitFor();
  await row('/standup', '~/.claude/commands/standup.md · user · used').waitFor();
  await row('reviewer', '.claude/agents/reviewer.md · workspace · used').waitFor();
  await row('pdf-tools', '.claude/skills/pdf-tools/SKILL.md · workspace · used').waitFor();
  await row('pdf-tools', /\.agents\/skills\/pdf-tools\/SKILL\.md · workspace · ignored: shadowed by /).waitFor();
  await row('.cursor/rules/typo.mdc', /ignored: unknown field 'glob' \(line 2\)/).waitFor();
  await row('AGENTS.md', /^\s*AGENTS\.md\s*workspace · used\s*$/).waitFor();
  for (const [theme, kind] of themes) {
    await setColorTheme(page, theme, kind);
    await showView();
    await page.mouse.move(1300, 850);
    await saveScreenshot(page, `customizations-view-${kind}.png`);
  }
  await setColorTheme(page, 'Dark Modern', 'dark');
});

test('Copy to Plue on a found command makes a record and opens its form; the file is then shown shadowed by the record', { timeout: 180_000 }, async () => {
  await showView();
  const file = row('/explain', '.github/prompts/explain.prompt.md · workspace · used');
  await contextMenu(page, file, 'Copy to Plue', { shows: settingsTab(page, 'explain') });
  const form = visibleWebview(page);
  await form.locator('textarea').first().waitFor();
  assert.ok((await form.locator('textarea').evaluateAll((boxes) => boxes.map((b) => b.value))).includes('EXPLAIN-BODY explain $ARGUMENTS'), 'the form shows the copied body');
  await saveScreenshot(page, 'customizations-copy-form-dark.png');
  await runCommand(page, 'View: Close All Editors');
  await showView();
  await row('/explain', 'Plue record · user · used').waitFor();
  await row('/explain', /\.github\/prompts\/explain\.prompt\.md · workspace · ignored: shadowed by the Plue record 'explain'/).waitFor();
  await saveScreenshot(page, 'customizations-copied-dark.png');
});

let instanceAdded;
/** The loopback provider as the instance "Loopback Groq", added through the UI by the first test that needs it. */
function loopbackInstance() {
  instanceAdded ??= (async () => {
    await runCommand(page, 'Plue: Add Provider Instance');
    await fillAddProvider(page, { provider: 'Groq', name: 'Loopback Groq', endpoint: provider.endpoint, key: 'loopback-groq-e2e-key-44' });
    await notification(page, 'Loopback Groq works');
  })();
  return instanceAdded;
}

/** Waits until `read()` gives `want`, failing with what it gave. */
async function until(what, read, want) {
  for (let tries = 0; (await read()) !== want; tries++) {
    assert.ok(tries < 300, `${what} is "${await read()}", not "${want}"`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('/ in the composer offers a command from a file; picked and sent, the provider receives its body with the arguments', { timeout: 300_000 }, async () => {
  await loopbackInstance();
  await runCommand(page, 'Plue: New Chat');
  await pickModel(page, 'Loopback Groq', 'Kimi K2 0905');
  const chat = visibleWebview(page);
  const input = chat.getByRole('textbox', { name: 'Message' });
  await input.click();
  await page.keyboard.type('/gre');
  const option = chat.getByRole('option', { name: /\/greet/ });
  await option.waitFor();
  assert.match(await option.innerText(), /Greet someone/);
  await saveScreenshot(page, 'customizations-slash-menu-dark.png');
  await page.keyboard.press('Enter');
  await until('the composer', () => input.inputValue(), '/greet ');
  await page.keyboard.type('the whole team');
  await page.keyboard.press('Enter');
  await chat.locator('article.message-assistant.status-complete', { hasText: 'Hello done.' }).waitFor();
  const sent = JSON.stringify(provider.chats().at(-1).body.messages.findLast((m) => m.role === 'user').content);
  assert.match(sent, /GREET-BODY say hello to the whole team/);
  await saveScreenshot(page, 'customizations-command-sent-dark.png');
});

test('/ in Run Task\'s goal box lists a command from a file with its description; /name args starts a task sending its body with the arguments', { timeout: 300_000 }, async () => {
  await loopbackInstance();
  await runCommandToPick(page, 'Plue: Run Task', 'Task');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Run Task: Goal' }).waitFor();
  const input = page.locator('.quick-input-widget input.input');
  await input.fill('/');
  const listed = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: /^\/greet$/ }) });
  await listed.waitFor({ timeout: 60_000 });
  assert.match(await listed.locator('.label-description').innerText(), /Greet someone/);
  await saveScreenshot(page, 'customizations-task-goal-commands-dark.png');
  // Picking the command fills `/greet ` for its arguments (it does not start the task).
  await input.fill('/gre');
  await page.locator('.quick-input-list .monaco-list-row').first().filter({ hasText: '/greet' }).waitFor();
  await input.press('Enter');
  await until('the goal box', () => input.inputValue(), '/greet ');
  const asked = provider.chats().length;
  await input.pressSequentially('the whole team');
  await input.press('Enter');
  await pickModel(page, 'Loopback Groq', 'Kimi K2 0905');
  await visibleWebview(page).getByText('Hello done.').first().waitFor({ timeout: 120_000 });
  const request = provider.chats().slice(asked).find((chat) => JSON.stringify(chat.body.messages).includes('BODY'));
  assert.ok(request, 'the task sent no request with a command body');
  const sent = JSON.stringify(request.body.messages.filter((m) => m.role === 'user').map((m) => m.content));
  assert.match(sent, /GREET-BODY say hello to the whole team/);
  assert.doesNotMatch(JSON.stringify(request.body.messages), /\/greet the whole team/, 'the literal /greet went to the model');
  await saveScreenshot(page, 'customizations-task-command-sent-dark.png');
});
