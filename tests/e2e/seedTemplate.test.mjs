// End to end, issue 68 item 3 ("Seed 004's template through every door"): with the design notes' llm-provider.json5 in
// the Plue home before the window opens, Add Provider Instance offers only the template's four providers and asks an
// endpoint only of Ollama; Fill in a Form shows no endpoint for OpenAI and shows it once the provider is Ollama. An
// instance added through each door, with a custom endpoint and a model id the catalog does not list, reaches the
// loopback server at that endpoint with that model. Screenshots of the form in every kind of theme. Needs
// artifacts/plue-vscode.vsix.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { repoRoot } from '../support/codeServer.mjs';
import { startFakeOllama } from './support/fakeOllama.mjs';
import { inEveryTheme, notification, openWorkbench, pickModel, runCommand, runCommandToPick, sendMessage, test, visibleWebview } from './support/workbench.mjs';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-seed-template-e2e-'));
const workspace = path.join(scratch, 'sample-project');
const plueHome = path.join(scratch, 'plue-home');
const seed004 = path.join(repoRoot, 'tests/fixtures/templates/design-notes/llm-provider.json5');

let workbench;
let page;
// One loopback server per door, each with a model the catalog does not list: a request at one cannot pass for the other's.
let stepsServer;
let formServer;

before(async () => {
  fs.mkdirSync(workspace, { recursive: true });
  fs.mkdirSync(path.join(plueHome, 'templates'), { recursive: true });
  fs.copyFileSync(seed004, path.join(plueHome, 'templates', 'llm-provider.json5'));
  stepsServer = await startFakeOllama({ models: ['loop-model-x'], reply: 'Steps instance here.' });
  formServer = await startFakeOllama({ models: ['form-model-y'], reply: 'Form instance here.' });
  workbench = await openWorkbench({ scratch, folder: workspace, env: { PLUE_HOME: plueHome } });
  page = workbench.page;
}, { timeout: 150_000 });

after(async () => {
  await workbench?.close();
  await stepsServer?.close();
  await formServer?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

const form = () => visibleWebview(page);
const row = (field) => form().locator(`.settings-field[data-field="${field}"]`);
const input = () => page.locator('.quick-input-widget input.input');
const stepTitled = (label) => page.locator('.quick-input-widget .quick-input-title', { hasText: new RegExp(`\\(\\d+/\\d+\\): ${label}$`) });
const endpointOf = (server) => `http://127.0.0.1:${server.port}/v1`;

/** Sends one message in a new chat with `model` of `instance`, and waits for the answer. */
async function chatWith(instance, model, answer) {
  await runCommand(page, 'Plue: New Chat with Model');
  await pickModel(page, instance, model);
  await page.locator('.tab', { hasText: 'New chat' }).waitFor();
  await sendMessage(page, 'Who answers?');
  await form().locator('article.message-assistant.status-complete', { hasText: answer }).waitFor({ timeout: 60_000 });
}

test('Add Provider Instance offers the template\'s four providers; Ollama at a typed endpoint with a model outside the catalog reaches that endpoint', { timeout: 180_000 }, async () => {
  await runCommand(page, 'Plue: Add Provider Instance');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Add Provider Instance' }).waitFor();
  const rows = page.locator('.quick-input-list .monaco-list-row');
  await rows.first().waitFor();
  // Each row's first label is the provider's name (a second one is its key state).
  const offered = (await rows.evaluateAll((all) => all.map((r) => r.querySelector('.label-name')?.textContent?.trim()))).sort();
  assert.deepEqual(offered, ['Anthropic', 'Claude Code (claude CLI)', 'Ollama (local)', 'OpenAI'], `the template's providers only: ${offered.join(', ')}`);

  await input().fill('Ollama');
  await page.locator('.quick-input-list .monaco-list-row').first().filter({ hasText: 'Ollama' }).waitFor();
  await input().press('Enter');
  await stepTitled('name').waitFor();
  await input().fill('Seed Steps Ollama');
  await input().press('Enter');
  await stepTitled('endpoint').waitFor();
  await input().fill(endpointOf(stepsServer));
  await input().press('Enter');
  // The template requires `model` and gives no default: its step takes an id the catalog does not list.
  await stepTitled('model').waitFor();
  await input().fill('loop-model-x');
  await input().press('Enter');
  assert.equal(await page.locator('.quick-input-widget input[type="password"]').isVisible(), false, 'the template gives Ollama no key');
  await notification(page, 'Seed Steps Ollama works');
  assert.ok(stepsServer.requests.some((r) => r.url.startsWith('/api/')), 'the instance\'s test reached the endpoint typed');

  await chatWith('Seed Steps Ollama', 'loop-model-x', 'Steps instance here');
  const chat = stepsServer.chats().find((r) => JSON.stringify(r.body.messages).includes('Who answers?'));
  assert.ok(chat, 'the message reached the endpoint typed, at /api/chat');
  assert.equal(chat.body.model, 'loop-model-x');
  assert.equal(formServer.requests.length, 0, 'nothing went to the other door\'s server');
});

test('Fill in a Form: no endpoint for OpenAI, the endpoint once the provider is Ollama; the instance saved reaches that endpoint with its model', { timeout: 240_000 }, async () => {
  await runCommandToPick(page, 'Plue: Add Provider Instance', 'OpenAI');
  await stepTitled('name').waitFor();
  await page.locator('.quick-input-widget').getByRole('button', { name: 'Fill in a Form' }).click();
  await form().locator('.settings-heading', { hasText: /New LLM provider/i }).waitFor();
  const provider = row('provider_type').locator('select');
  // The notes' template gives no labels: each field is called by its name in words, not by its raw name.
  assert.equal(await row('provider_type').locator('.field-label').innerText(), 'Provider type *');
  assert.equal(await row('max_tokens').locator('.field-label').innerText(), 'Max tokens');
  assert.equal(await provider.inputValue(), 'openai', 'the form opens on the provider picked');
  await row('model').waitFor();
  assert.equal(await row('endpoint').isVisible(), false, 'the template gives OpenAI no endpoint');
  assert.equal(await row('api_key_ref').isVisible(), true, 'the template gives OpenAI a key');

  await provider.selectOption('ollama');
  await row('endpoint').waitFor({ state: 'visible' });
  await row('api_key_ref').waitFor({ state: 'hidden' });
  assert.equal(await row('cli_path').isVisible(), false, 'the CLI path is Claude Code\'s');
  await form().locator('#record-title').fill('Seed Form Ollama');
  await row('endpoint').locator('input').fill(endpointOf(formServer));
  await row('model').locator('input').fill('form-model-y');
  await inEveryTheme(page, 'seed-template-form-ollama', () => row('endpoint').waitFor({ state: 'visible' }));

  await form().getByRole('button', { name: 'Create', exact: true }).click();
  await form().locator('.settings-heading', { hasText: 'Seed Form Ollama' }).waitFor();
  assert.equal(await row('endpoint').locator('input').inputValue(), endpointOf(formServer), 'the saved record keeps the endpoint');
  await notification(page, 'Seed Form Ollama works');
  assert.ok(formServer.requests.some((r) => r.url.startsWith('/api/')), 'the instance\'s test reached the endpoint typed');
  await form().locator('#record-title').press('Escape');

  await chatWith('Seed Form Ollama', 'form-model-y', 'Form instance here');
  const chat = formServer.chats().find((r) => JSON.stringify(r.body.messages).includes('Who answers?'));
  assert.ok(chat, 'the message reached the endpoint typed, at /api/chat');
  assert.equal(chat.body.model, 'form-model-y');
});
