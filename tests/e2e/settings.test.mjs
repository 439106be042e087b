// End to end: the settings panel of the packaged extension in code-server. "Plue: Open Settings" lists the records;
// a provider instance is added through Add Provider Instance's form and edited through its form (a conditional field appears, a bad value is refused beside its
// field and nothing is saved, the fixed value is saved and is there when the form opens again); a chat's gear sets
// its system prompt and tools, which the next turn's request to the loopback provider carries; a task runs from its
// form; a template made with "New Template" gets a form; a broken template shows in the Problems view. Screenshots in
// light, dark and both high-contrast themes. Needs artifacts/plue-vscode.vsix.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { repoRoot } from '../support/codeServer.mjs';
import { startFakeOpenAI } from './support/fakeOpenAI.mjs';
import { contextMenu, fillAddProvider, notification, openWorkbench, pick, pickModel, runCommand, runCommandToPick, saveScreenshot, setColorTheme, settingsTab, showPlue, test, visibleWebview } from './support/workbench.mjs';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-settings-e2e-'));
const workspace = path.join(scratch, 'sample-project');
const plueHome = path.join(scratch, 'plue-home');
const SYSTEM_PROMPT = 'You answer as a ship\'s navigator, in one sentence.';

let workbench;
let page;
let provider;

before(async () => {
  fs.mkdirSync(path.join(workspace, 'docs'), { recursive: true });
  fs.writeFileSync(path.join(workspace, 'docs/notes.md'), '# Notes\n');
  provider = await startFakeOpenAI({ replies: [{ text: 'Steer north-east by the stars.' }] });
  workbench = await openWorkbench({ scratch, folder: workspace, env: { PLUE_HOME: plueHome, GROQ_API_KEY: '' } });
  page = workbench.page;
}, { timeout: 150_000 });

after(async () => {
  await workbench?.close();
  await provider?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

const form = () => visibleWebview(page);
const row = (field) => form().locator(`.settings-field[data-field="${field}"]`);

async function shot(name) {
  await page.mouse.move(5, 450);
  await saveScreenshot(page, name);
}

test('Open Settings lists the provider instance; its form shows a conditional field, refuses a bad value beside it, saves the fixed one', { timeout: 180_000 }, async () => {
  await runCommand(page, 'Plue: Add Provider Instance');
  await fillAddProvider(page, { provider: 'Groq', name: 'Loopback Groq', endpoint: provider.endpoint, key: 'gsk_settings_e2e_key_1' });
  await notification(page, 'Loopback Groq works');

  await runCommand(page, 'Plue: Open Settings');
  const home = form();
  await home.locator('.settings-heading', { hasText: 'Plue Settings' }).waitFor();
  const instance = home.getByRole('button', { name: /Open Loopback Groq/ });
  await instance.waitFor();
  await shot('settings-home-light.png');
  await instance.click();

  await form().locator('.settings-heading', { hasText: 'Loopback Groq' }).waitFor();
  assert.equal(await row('catalog_provider_id').locator('input').inputValue(), 'groq');
  assert.equal(await form().locator('.secret-state').innerText(), 'Set', 'the key is stored, and only that is said');
  assert.equal(await row('api_version').isVisible(), false, 'API version applies to Azure only');
  // The conditional field appears as the provider is changed, and goes again.
  await row('catalog_provider_id').locator('input').fill('azure');
  await row('api_version').waitFor({ state: 'visible' });
  await row('catalog_provider_id').locator('input').fill('groq');
  await row('api_version').waitFor({ state: 'hidden' });

  // A value the template refuses: the sidecar's error beside the field, nothing saved.
  const timeout = row('timeout_ms').locator('input');
  await timeout.fill('5');
  await row('endpoint').locator('input').fill('not a url');
  await timeout.press('Enter');
  await row('timeout_ms').locator('.field-error:not(:empty)').waitFor();
  assert.match(await row('timeout_ms').locator('.field-error').innerText(), /1000/);
  assert.match(await row('endpoint').locator('.field-error').innerText(), /url|URL/);
  assert.match(await form().locator('.settings-banner').innerText(), /Nothing was saved/);
  await shot('settings-provider-errors-light.png');

  await timeout.fill('90000');
  await row('endpoint').locator('input').fill(provider.endpoint);
  await form().getByRole('button', { name: 'Save', exact: true }).click();
  await form().locator('.settings-banner', { hasText: 'Saved.' }).waitFor();
  assert.equal(await row('timeout_ms').locator('.field-error').innerText(), '');

  // Escape with nothing unsaved closes the form; Edit Provider Instance opens it again with the saved value.
  await timeout.press('Escape');
  await page.locator('.tab', { hasText: 'Loopback Groq Settings' }).waitFor({ state: 'detached' });
  await showPlue(page);
  const providers = page.locator('.pane', { hasText: 'Providers' });
  await contextMenu(page, providers.getByRole('treeitem', { name: /Loopback Groq/ }), 'Edit Provider Instance', { shows: settingsTab(page, 'Loopback Groq') });
  await form().locator('.settings-heading', { hasText: 'Loopback Groq' }).waitFor();
  assert.equal(await row('timeout_ms').locator('input').inputValue(), '90000');
  assert.equal(await row('endpoint').locator('input').inputValue(), provider.endpoint);
  await shot('settings-provider-light.png');
  for (const [theme, suffix] of [['Dark Modern', 'dark'], ['Dark High Contrast', 'hc-dark'], ['Light High Contrast', 'hc-light']]) {
    await setColorTheme(page, theme, suffix);
    await shot(`settings-provider-${suffix}.png`);
  }
  await setColorTheme(page, 'Light Modern', 'light');

  // History lists the save; Undo takes it back.
  await form().getByRole('button', { name: 'Show the history of this record' }).click();
  await page.locator('.quick-input-widget', { hasText: 'History of Loopback Groq' }).waitFor();
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Update · version 2' }).waitFor();
  await page.keyboard.press('Escape');
  await form().getByRole('button', { name: 'Undo the latest saved change' }).click();
  await form().locator('.settings-banner', { hasText: 'The latest change is undone.' }).waitFor();
  assert.equal(await row('timeout_ms').locator('input').inputValue(), '120000');
  await row('timeout_ms').locator('input').press('Escape');
});

test('Add Provider Instance, Fill in a Form: the form opens with the picked provider, the key goes to the vault, Create adds the instance and tests it; its model box suggests its models', { timeout: 180_000 }, async () => {
  await runCommandToPick(page, 'Plue: Add Provider Instance', 'Groq');
  await page.locator('.quick-input-widget', { hasText: 'name' }).waitFor();
  await page.locator('.quick-input-widget').getByRole('button', { name: 'Fill in a Form' }).click();
  await form().locator('.settings-heading', { hasText: 'New LLM provider' }).waitFor();
  assert.equal(await row('catalog_provider_id').locator('input').inputValue(), 'groq', 'the picked provider is filled in');
  assert.equal(await form().locator('#record-title').inputValue(), 'Groq');
  assert.equal(await row('api_version').isVisible(), false, 'only the fields this provider uses are shown');
  await form().locator('#record-title').fill('Form Groq');
  await row('endpoint').locator('input').fill(provider.endpoint);
  const key = row('api_key_ref').locator('input[type="password"]');
  await key.fill('gsk_settings_e2e_form_key');
  await key.press('Enter');
  await row('api_key_ref').locator('.secret-state', { hasText: 'Set' }).waitFor();
  await shot('settings-add-provider-form-light.png');
  await form().getByRole('button', { name: 'Create', exact: true }).click();
  await form().locator('.settings-heading', { hasText: 'Form Groq' }).waitFor();
  await notification(page, 'Form Groq works');
  // Its default model box suggests what the instance offers; any id may still be typed.
  await row('default_model').locator('datalist option[value="loop-1"]').waitFor({ state: 'attached' });
  assert.ok(!(await form().locator('body').innerHTML()).includes('gsk_settings_e2e_form_key'), 'the key is nowhere in the form');
  await form().locator('#record-title').press('Escape');
  // Escape with nothing unsaved closes the form: the next test's F1 must not land on the field going away.
  await form().locator('section.home-group', { hasText: 'Form Groq' }).waitFor();
});

test('the chat\'s gear sets its system prompt and tools, and the next turn\'s request carries them', { timeout: 180_000 }, async () => {
  await runCommand(page, 'Plue: New Chat');
  await pickModel(page, 'Loopback Groq', 'Kimi K2 0905');
  const chat = form();
  await chat.locator('.chat-title', { hasText: 'New chat' }).waitFor();
  await chat.getByRole('button', { name: /Chat settings/ }).click();

  const settings = form();
  await settings.locator('.settings-note', { hasText: 'next turn' }).waitFor();
  assert.equal(await row('user_message').count(), 0, 'the next message is the chat\'s to write');
  await row('system_prompt_override').locator('textarea').fill(SYSTEM_PROMPT);
  await row('available_tools').getByLabel('read').check();
  await row('available_tools').getByLabel('search').check();
  await row('temperature').locator('input').fill('0.3');
  await shot('settings-chat-light.png');
  await settings.getByRole('button', { name: 'Save', exact: true }).click();
  await settings.locator('.settings-banner', { hasText: 'Saved.' }).waitFor();

  await page.locator('.tab', { hasText: 'New chat' }).first().click();
  const input = form().getByRole('textbox', { name: 'Message' });
  await input.click();
  await page.keyboard.type('Which way is home?');
  await page.keyboard.press('Enter');
  await form().locator('article.message-assistant.status-complete', { hasText: 'north-east' }).waitFor();
  const request = provider.chats().at(-1).body;
  const system = request.messages.find((m) => m.role === 'system');
  assert.ok(system && JSON.stringify(system.content).includes('ship\'s navigator'), `the system prompt was sent: ${JSON.stringify(request.messages).slice(0, 300)}`);
  const tools = (request.tools ?? []).map((t) => t.function?.name);
  assert.ok(tools.includes('read') && tools.includes('search'), `the tools were sent: ${tools.join(', ')}`);
  assert.equal(request.temperature, 0.3);
});

test('Run Task in a Form starts the task from one form and opens its panel', { timeout: 180_000 }, async () => {
  await runCommandToPick(page, 'Plue: Run Task in a Form', 'Task');
  await row('goal').locator('textarea').waitFor();
  await row('goal').locator('textarea').fill('Say which way is north.');
  // The provider is picked by its name (it was a box expecting codex://providers/<slug>).
  await row('provider_ref').locator('select').selectOption({ label: 'Loopback Groq' });
  // The model box suggests the named instance's models.
  await row('model_id').locator('datalist option[value="loop-1"]').waitFor({ state: 'attached' });
  await row('model_id').locator('input').fill('moonshotai/kimi-k2-instruct-0905');
  await row('spend_cap_usd').locator('input').fill('0.5');
  await shot('settings-run-task-light.png');
  await form().getByRole('button', { name: 'Start Task' }).click();
  await page.locator('.tab', { hasText: 'Say which way is north' }).waitFor();
  await form().locator('article.message-assistant', { hasText: 'north-east' }).waitFor();
});

test('a template made with New Template gets a form, and its records are made through it', { timeout: 180_000 }, async () => {
  await runCommandToPick(page, 'Plue: New Template', 'MCP server');
  await page.locator('.quick-input-widget', { hasText: 'its id' }).waitFor();
  await page.locator('.quick-input-widget input.input').fill('team-tool');
  await page.keyboard.press('Enter');
  await pick(page, 'Your templates');
  await page.locator('.tab', { hasText: 'team-tool.json5' }).waitFor();
  // The user's edit: a name and an icon of their own.
  const file = path.join(plueHome, 'templates', 'team-tool.json5');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/name: "MCP server"/, 'name: "Team tool", metadata: { icon: "🧰", color: "#10B981" }'));

  await runCommand(page, 'Plue: Open Settings');
  const group = form().locator('section.home-group', { hasText: 'Team tool' });
  await group.waitFor({ timeout: 60_000 });
  assert.match(await group.locator('.home-group-title').innerText(), /🧰/);
  await group.getByRole('button', { name: /^New/ }).click();
  await form().locator('.settings-heading', { hasText: 'New Team tool' }).waitFor();
  await form().locator('#record-title').fill('Docs search');
  await row('command').locator('input').fill('node');
  await form().getByRole('button', { name: 'Create' }).click();
  await form().locator('.settings-heading', { hasText: 'Docs search' }).waitFor();
  await shot('settings-user-template-light.png');

  // An override of the chat template with an icon of its own: its chats show it in the Channels tree.
  const chatTemplate = fs.readFileSync(path.join(repoRoot, 'templates/ai-chat.json5'), 'utf8');
  fs.writeFileSync(path.join(plueHome, 'templates', 'ai-chat.json5'), chatTemplate.replace('collection: "chats",', 'collection: "chats",\n  metadata: { icon: "🧭", color: "#0EA5E9" },'));
  const channels = page.locator('.pane', { hasText: 'Channels' });
  await showPlue(page);
  const chatRow = channels.getByRole('treeitem', { name: /Which way is home/ });
  await chatRow.locator('.label-description', { hasText: '🧭' }).waitFor({ timeout: 60_000 });
});

test('a broken template shows its error in the Problems view', { timeout: 120_000 }, async () => {
  fs.writeFileSync(path.join(plueHome, 'templates', 'broken-kind.json5'), '{\n  id: "broken-kind",\n  name: "Broken",\n  fields: { size: { type: "huge" } },\n}\n');
  await runCommand(page, 'Problems: Focus on Problems View');
  await page.locator('.markers-panel', { hasText: 'huge' }).waitFor({ timeout: 60_000 });
  await shot('settings-broken-template-problems.png');
});
