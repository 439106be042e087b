// End to end: what a new user meets around a chat, in the packaged extension inside code-server with its real sidecar,
// answered by a loopback OpenAI-compatible server that accepts one key only. An instance added with the wrong key fails
// its test: the Providers view shows it as an error with the provider's reason, and the message's "Configure Key…"
// mends it (the instance is tested again and shows as working, with its model count). The model picker shows each
// model's prices, context, reasoning and attachment badges; from a chat it marks the current model and estimates the
// next turn's cost, and "Use a model id not listed…" uses a typed id anyway. A chat whose tools are turned on in its
// settings runs a command after its approval card is answered. Screenshots of the picker and the Providers view in
// light, dark and both high-contrast themes. Needs artifacts/plue-vscode.vsix.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { startFakeOpenAI } from './support/fakeOpenAI.mjs';
import { openWorkbench, runCommand, runCommandToPick, saveScreenshot, setColorTheme, showPlue, test, visibleWebview } from './support/workbench.mjs';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-chat-setup-e2e-'));
const workspace = path.join(scratch, 'sample-project');
const RIGHT_KEY = 'sk-chat-setup-right-0123456789';
const WRONG_KEY = 'sk-chat-setup-wrong-9876543210';
const INSTANCE = 'Loopback OpenAI';
const themes = [['Dark Modern', 'dark'], ['Dark High Contrast', 'hc-dark'], ['Light High Contrast', 'hc-light'], ['Light Modern', 'light']];

/** The command the chat's bash tool is asked to run, and what it prints. */
const COMMAND = 'echo plue-e2e-$((40 + 2))';

/** A reply by what the request holds: a tool call while the user's question has no tool result yet, then what it printed. */
function respond(body) {
  const lastTool = body.messages.filter((m) => m.role === 'tool').at(-1);
  const asked = JSON.stringify(body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '');
  if (asked.includes('Run the check') && !lastTool) {
    return { text: 'Running it.', toolCalls: [{ name: 'bash', arguments: { command: COMMAND } }] };
  }
  if (lastTool) return { text: `The check printed ${JSON.stringify(lastTool.content).includes('plue-e2e-42') ? 'plue-e2e-42' : 'something else'}.` };
  return { text: 'Hello from the loopback model.' };
}

let workbench;
let page;
let provider;

before(async () => {
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'README.md'), '# Sample\n');
  provider = await startFakeOpenAI({ respond, models: ['gpt-5.4-mini', 'loop-1'], authorize: (auth) => auth === `Bearer ${RIGHT_KEY}` });
  workbench = await openWorkbench({ scratch, folder: workspace, env: { PLUE_HOME: path.join(scratch, 'plue-home'), OPENAI_API_KEY: '' } });
  page = workbench.page;
}, { timeout: 150_000 });

after(async () => {
  await workbench?.close();
  await provider?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

const toast = (text) => page.locator('.notifications-toasts .notification-toast', { hasText: text });
const rows = () => page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
const providersRow = () => page.locator('.pane', { hasText: 'Providers' }).getByRole('treeitem', { name: new RegExp(INSTANCE) });
const chat = () => visibleWebview(page);
/** The hover of a tree row (its tooltip). */
const tooltip = () => page.locator(':is(.monaco-hover, .workbench-hover)', { hasText: 'Last test' }).first();

async function shot(name) {
  await page.mouse.move(5, 600); // no hover over the quick pick's title
  await saveScreenshot(page, name);
}

/** The model picker `open` opens (one box of every instance's models), once the loopback instance's are listed. */
async function openModelPicker(open) {
  await open();
  await page.locator('.quick-input-widget input.input[placeholder^="Pick a model"]').waitFor();
  await rows().filter({ hasText: 'per Mtok' }).first().waitFor();
}

/** The text of the picker's row that the filter `text` brings first. */
async function rowText(text) {
  await page.locator('.quick-input-widget input.input').fill(text);
  const row = rows().filter({ hasText: text }).first();
  await row.waitFor();
  return row.innerText();
}

test('an instance added with a wrong key fails its test: the Providers view shows the reason as an error, and Configure Key… mends it', { timeout: 180_000 }, async () => {
  await runCommand(page, 'Plue: Add Provider Instance');
  // "OpenAI" exactly: "Azure OpenAI" is a row too.
  await page.locator('.quick-input-widget input.input').fill('OpenAI');
  await rows().filter({ has: page.locator('.label-name', { hasText: /^OpenAI$/ }) }).first().click();
  const input = page.locator('.quick-input-widget input.input');
  await page.locator('.quick-input-widget', { hasText: 'name' }).waitFor();
  await input.fill(INSTANCE);
  await input.press('Enter');
  await page.locator('.quick-input-widget', { hasText: 'endpoint' }).waitFor();
  await input.fill(provider.endpoint);
  await input.press('Enter');
  const key = page.locator('.quick-input-widget input[type="password"]');
  await key.waitFor();
  await key.fill(WRONG_KEY);
  await key.press('Enter');

  const failed = toast(`${INSTANCE} failed its test`);
  await failed.waitFor();
  assert.match(await failed.innerText(), /401|API key/i);
  await failed.getByRole('button', { name: 'Configure Key…' }).waitFor();

  await showPlue(page);
  const row = providersRow();
  await row.locator('.codicon-error').waitFor();
  const description = await row.locator('.label-description').innerText();
  assert.match(description, /^failed: .*(401|API key)/i, `the row says why: ${description}`);
  assert.doesNotMatch(description, /enabled/, 'a failed instance is not shown as enabled');
  // Its tooltip says when, and links the fix.
  await row.hover();
  const hover = tooltip();
  await hover.waitFor();
  assert.match(await hover.innerText(), /failed just now/);
  await hover.getByRole('link', { name: 'Configure Key…' }).waitFor();
  for (const [name, kind] of themes) {
    await setColorTheme(page, name, kind);
    await row.hover();
    await tooltip().waitFor();
    await saveScreenshot(page, `chat-setup-providers-failed-${kind}.png`); // the mouse stays: the tooltip shows
    await page.mouse.move(700, 500);
  }

  // The fix: the message's button asks for the key, and the instance is tested again.
  await page.keyboard.press('Escape');
  await runCommandToPick(page, 'Plue: Test Provider Instance', INSTANCE);
  await toast(`${INSTANCE} failed its test`).getByRole('button', { name: 'Configure Key…' }).click();
  const box = page.locator('.quick-input-widget input[type="password"]');
  await box.waitFor();
  await box.fill(RIGHT_KEY);
  await box.press('Enter');
  // Tested again at once: the row turns to a pass (its message may already have given way to others).
  await row.locator('.codicon-pass').waitFor();
  assert.equal(await row.locator('.label-description').innerText(), 'enabled · 2 models');
  await shot('chat-setup-providers-ok-light.png');
  assert.equal(provider.requests.filter((r) => r.url === '/v1/models').at(-1).auth, `Bearer ${RIGHT_KEY}`);
});

test('the model picker shows prices, context, reasoning and attachment badges, local or unknown prices honestly, and a way to use an unlisted id', { timeout: 180_000 }, async () => {
  const open = () => runCommand(page, 'Plue: New Chat with Model…');
  for (const [name, kind] of themes) {
    await setColorTheme(page, name, kind);
    await openModelPicker(open);
    await shot(`chat-setup-model-picker-${kind}.png`);
    await page.keyboard.press('Escape');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }
  await openModelPicker(open);
  assert.equal(await page.locator('.quick-input-widget .quick-input-title').innerText(), 'New Chat');
  const mini = await rowText('gpt-5.4-mini');
  for (const expected of ['GPT-5.4 Mini', INSTANCE, '400K context', 'reasoning', 'attachments', '$0.75 in · $4.50 out per Mtok']) {
    assert.ok(mini.includes(expected), `the GPT-5.4 Mini row lacks "${expected}": ${mini}`);
  }
  assert.match(await rowText('loop-1'), /no price/, 'a model with no catalog price says so, never $0');
  await page.locator('.quick-input-widget input.input').fill('zzz-no-such-model');
  await rows().filter({ hasText: 'Use a model id not listed…' }).waitFor();

  await rowText('gpt-5.4-mini');
  await page.keyboard.press('Enter');
  await chat().locator('.composer-model', { hasText: 'gpt-5.4-mini' }).waitFor();
});

test("from the composer's model dropdown the picker is titled for the chat, marks its model and estimates the next turn; an unlisted id is used anyway", { timeout: 180_000 }, async () => {
  const message = chat().getByRole('textbox', { name: 'Message' });
  await message.click();
  await page.keyboard.type('Hello there');
  await page.keyboard.press('Enter');
  await chat().locator('article.message-assistant.status-complete', { hasText: 'Hello from the loopback model.' }).waitFor();
  // 12,000 prompt tokens of GPT-5.4 Mini's 400K window.
  await chat().locator('.context-fill', { hasText: '3% of context' }).waitFor();

  const dropdown = () => chat().locator('.composer .composer-model').click();
  await openModelPicker(dropdown);
  assert.equal(await page.locator('.quick-input-widget .quick-input-title').innerText(), 'Change Chat Model');
  const current = await rowText('gpt-5.4-mini');
  assert.match(current, /current/);
  // 12,000 tokens at $0.75 per million.
  assert.match(current, /next turn ~\$0\.0090 \(12K tokens in\)/);
  assert.match(await rowText('gpt-5.4-nano'), /next turn ~\$0\.0024/);
  await page.locator('.quick-input-widget input.input').fill('');
  await shot('chat-setup-change-model-light.png');
  // Instance and model are one pick: the chat's own model heads the list, marked current, its instance named.
  await page.locator('.quick-input-widget .quick-input-list', { hasText: 'Recent and default' }).waitFor();
  assert.match(await rows().first().innerText(), new RegExp(`GPT-5.4 Mini[\\s\\S]*${INSTANCE}[\\s\\S]*current`), 'the chat\'s model is first and marked current');

  // An id no list has, typed in the filter: the one row left asks for it, with what was typed already in its box.
  await page.locator('.quick-input-widget input.input').fill('my-org/custom-model');
  await rows().first().filter({ hasText: 'Use a model id not listed…' }).waitFor();
  await page.keyboard.press('Enter');
  const typed = page.locator('.quick-input-widget', { hasText: 'does not list' }).locator('input.input');
  await typed.waitFor();
  assert.equal(await typed.inputValue(), 'my-org/custom-model', 'what was typed in the filter is the id offered');
  await typed.press('Enter');
  await chat().locator('.composer-model', { hasText: 'my-org/custom-model' }).waitFor();
});

test('a chat whose tools are turned on runs a command after its approval card is answered', { timeout: 180_000 }, async () => {
  await chat().getByRole('button', { name: /Chat settings/ }).click();
  const settings = chat();
  const tools = settings.locator('.settings-field[data-field="available_tools"]');
  await tools.getByLabel('read').check();
  await tools.getByLabel('bash').check();
  await settings.getByRole('button', { name: 'Save', exact: true }).click();
  await settings.locator('.settings-banner', { hasText: 'Saved.' }).waitFor();
  await page.locator('.tab', { hasText: 'Hello there' }).first().click();

  const message = chat().getByRole('textbox', { name: 'Message' });
  await message.click();
  await page.keyboard.type('Run the check');
  await page.keyboard.press('Enter');
  const card = chat().getByRole('group', { name: `Run ${COMMAND}` });
  await card.waitFor();
  assert.equal((await card.locator('.approval-preview').innerText()).trim(), COMMAND);
  assert.equal(await card.locator('.approval-owner').innerText(), 'Chat "Hello there" wants to use bash', 'the chat is named as the one asking');
  await shot('chat-setup-approval-card.png');
  await card.getByRole('button', { name: `Allow Run ${COMMAND} once` }).click();
  await card.waitFor({ state: 'detached' });
  await chat().locator('article.message-assistant.status-complete', { hasText: 'The check printed plue-e2e-42.' }).waitFor();

  const asked = provider.chats().find((c) => JSON.stringify(c.body.messages).includes('Run the check'));
  // A new chat is in the Agent mode: its tools, with the chat's own (read, bash) among them.
  assert.deepEqual((asked.body.tools ?? []).map((t) => t.function?.name).sort(), ['bash', 'edit', 'read', 'search', 'write'], 'the request declared the mode\'s and the chat\'s tools');
  assert.equal(asked.body.model, 'my-org/custom-model', 'the unlisted id was used');
  const answered = provider.chats().at(-1).body.messages.find((m) => m.role === 'tool');
  assert.match(JSON.stringify(answered.content), /plue-e2e-42/, 'the command ran and its output went back to the model');
});
