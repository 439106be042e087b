// End to end: Plan mode in the packaged extension inside code-server, with its real sidecar and a loopback
// OpenAI-compatible provider scripted by what each request holds. Picked in the composer, Plan mode reads a file (no
// card: reads never ask) and answers with a checklist, shown as a plan card; its request offered only the tools that
// read. Start puts the chat in Agent mode and sends the plan: the agent's write waits on its approval card, is allowed
// there, changes the file, and the agent ticks the step off, which the plan pinned above the composer shows while the
// agent works. Each step's screen is saved in the four kinds of theme.
// Needs artifacts/plue-vscode.vsix.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { startFakeOpenAI } from './support/fakeOpenAI.mjs';
import { fillAddProvider, notification, openWorkbench, pick, pickModel, runCommand, saveScreenshot, setColorTheme, test, visibleWebview } from './support/workbench.mjs';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-plan-mode-e2e-'));
const workspace = path.join(scratch, 'plan-project');
const notes = path.join(workspace, 'notes.md');
const NOTES = '# Notes\n';
const WRITTEN = '# Notes\n\nHello from the plan.\n';
const themes = [['Dark Modern', 'dark'], ['Dark High Contrast', 'hc-dark'], ['Light High Contrast', 'hc-light'], ['Light Modern', 'light']];

/** The agent's last word, held until the screens of the plan in progress are taken. */
let release;
const lastWord = new Promise((resolve) => { release = resolve; });

function respond(body) {
  const lastUser = body.messages.findLast((m) => m.role === 'user');
  const results = body.messages.slice(body.messages.lastIndexOf(lastUser) + 1).filter((m) => m.role === 'tool').length;
  const system = JSON.stringify(body.messages.filter((m) => m.role === 'system'));
  if (system.includes('You are in Plan mode')) {
    return results === 0
      ? { toolCalls: [{ name: 'read', arguments: { path: 'notes.md' } }] }
      : { text: 'notes.md has only its heading.\n\n- [ ] Add a greeting to notes.md\n- [ ] Tell the user what changed\n' };
  }
  if (JSON.stringify(lastUser?.content ?? '').includes('Carry out this plan')) {
    return [
      { toolCalls: [{ name: 'write', arguments: { path: 'notes.md', content: WRITTEN } }] },
      { toolCalls: [{ name: 'plan_update', arguments: { steps: [1] } }] },
      { text: 'Added the greeting to notes.md.', before: lastWord },
    ][Math.min(results, 2)];
  }
  return { text: 'Looked at it.' };
}

let workbench;
let page;
let provider;

before(async () => {
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(notes, NOTES);
  provider = await startFakeOpenAI({ respond });
  workbench = await openWorkbench({ scratch, folder: workspace, env: { PLUE_HOME: path.join(scratch, 'plue-home') } });
  page = workbench.page;
}, { timeout: 150_000 });

after(async () => {
  release();
  await workbench?.close();
  await provider?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

const chat = () => visibleWebview(page);
const planCard = () => chat().locator('article.message-assistant').getByRole('region', { name: 'Plan' });
const pinned = () => chat().getByRole('region', { name: 'Plan in progress' });

async function send(text) {
  await chat().getByRole('textbox', { name: 'Message' }).click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** Saves `name-<kind>.png` in each theme, `show` waiting for what the screen must hold; ends in Dark Modern. */
async function inEveryTheme(name, show) {
  for (const [theme, kind] of themes) {
    await setColorTheme(page, theme, kind);
    await show();
    await saveScreenshot(page, `${name}-${kind}.png`);
  }
  await setColorTheme(page, 'Dark Modern', 'dark');
}

test('Plan mode reads and writes a plan; Start hands it to Agent mode, whose write waits on its card and whose step ticks off', { timeout: 300_000 }, async () => {
  await runCommand(page, 'Plue: Add Provider Instance');
  await fillAddProvider(page, { provider: 'Groq', name: 'Loopback Groq', endpoint: provider.endpoint, key: 'loopback-groq-plan-e2e-1' });
  await notification(page, 'Loopback Groq works');
  await runCommand(page, 'Plue: New Chat');
  await pickModel(page, 'Loopback Groq', 'Kimi K2 0905');
  await chat().locator('.composer-mode', { hasText: 'Agent' }).waitFor();
  await chat().locator('.composer-mode').click();
  await pick(page, 'Plan');
  await chat().locator('.composer-mode', { hasText: 'Plan' }).waitFor();

  await send('Plan a greeting in notes.md');
  await planCard().waitFor();
  assert.deepEqual(await planCard().locator('.plan-item-text').allInnerTexts(), ['Add a greeting to notes.md', 'Tell the user what changed']);
  const planned = provider.chats().filter((c) => JSON.stringify(c.body.messages).includes('Plan a greeting'));
  assert.ok(planned.length >= 2);
  for (const request of planned) {
    assert.deepEqual((request.body.tools ?? []).map((t) => t.function.name).sort(), ['read', 'search'], 'Plan mode offered a tool that changes things');
  }
  assert.equal(await chat().locator('.approval-card').count(), 0, 'Plan mode asked for something');
  assert.equal(fs.readFileSync(notes, 'utf8'), NOTES);
  await inEveryTheme('plan-mode-plan', () => planCard().getByRole('button', { name: /^Start: Agent mode/ }).waitFor());

  await planCard().getByRole('button', { name: /^Start: Agent mode/ }).click();
  const card = chat().locator('.approval-card', { hasText: 'notes.md' });
  await card.waitFor();
  await chat().locator('.composer-mode', { hasText: 'Agent' }).waitFor();
  assert.equal(await planCard().getByRole('button').count(), 0, 'a started plan still offers Start');
  assert.equal(fs.readFileSync(notes, 'utf8'), NOTES, 'the file was written before the card was answered');
  const handoff = provider.chats().find((c) => JSON.stringify(c.body.messages.findLast((m) => m.role === 'user')?.content ?? '').includes('Carry out this plan'));
  assert.match(JSON.stringify(handoff.body.messages), /1\. \[ \] Add a greeting to notes\.md/);
  assert.ok(handoff.body.tools.some((t) => t.function.name === 'plan_update'), 'the agent was not given plan_update');
  await inEveryTheme('plan-mode-approval', () => card.waitFor());

  await card.getByRole('button', { name: /^Allow .* once$/ }).click();
  await pinned().locator('.plan-progress', { hasText: '1 of 2 done' }).waitFor();
  assert.equal(fs.readFileSync(notes, 'utf8'), WRITTEN);
  assert.equal(await planCard().locator('.plan-item-done').count(), 1);
  await inEveryTheme('plan-mode-ticked', () => pinned().locator('.plan-item-done').waitFor());

  release();
  await chat().locator('article.message-assistant.status-complete', { hasText: 'Added the greeting to notes.md.' }).waitFor();
  assert.equal(await planCard().locator('.plan-progress').innerText(), '1 of 2 done');
});
