// End to end: a chat that is an agent, in the packaged extension inside code-server with its real sidecar, answered by
// a loopback OpenAI-compatible server that scripts tool calls. A new chat starts in the Agent mode: it reads a file
// without asking, asks before a write (allowed in its card), and the write shows as a checkpoint under the message;
// Restore puts the file back (Files Only) and then drops the later messages (Conversation Only). The workspace's
// AGENTS.md reaches the provider's system prompt; `@git diff` and `@terminal` reach its request as attached parts. The
// side bar's Chat view shows its composer at the default window size, in light, dark and both high-contrast themes. An
// orchestrator's three writers each write a file; the orchestrator's goal shows their changes as its checkpoint, and
// Restore there takes all three back.
// Needs artifacts/plue-vscode.vsix.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { startFakeOpenAI } from './support/fakeOpenAI.mjs';
import { fillAddProvider, notification, openWorkbench, pickModel, runCommand, runCommandUntil, runTask, saveScreenshot, setColorTheme, sideBarChat, test, visibleWebview } from './support/workbench.mjs';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-agent-chat-e2e-'));
const workspace = path.join(scratch, 'agent-project');
const notes = path.join(workspace, 'notes.md');
const NOTES = '# Notes\nthe first version\n';
const WRITTEN = '# Notes\nwritten by the agent\n';
/** A line of the workspace's AGENTS.md, looked for in the provider's system prompt. */
const AGENTS_LINE = 'Answer in short sentences (agents-line-5120).';
const themes = [['Dark Modern', 'dark'], ['Dark High Contrast', 'hc-dark'], ['Light High Contrast', 'hc-light'], ['Light Modern', 'light']];

/** The orchestrator's writers: each writes one new file. */
const trio = [
  { key: 'TRIO-ALPHA', title: 'Alpha module', file: 'src/alpha.ts', content: 'export const alpha = 1;\n' },
  { key: 'TRIO-BETA', title: 'Beta module', file: 'src/beta.ts', content: 'export const beta = 2;\n' },
  { key: 'TRIO-GAMMA', title: 'Gamma module', file: 'src/gamma.ts', content: 'export const gamma = 3;\n' },
];

/**
 * The reply to a request: the agent's turn reads notes.md, then writes it, then says so; the orchestrator spawns three
 * writers, each of which writes its file; other questions get text.
 */
function respond(body) {
  const lastUser = body.messages.findLastIndex((m) => m.role === 'user');
  const asked = JSON.stringify(body.messages[lastUser]?.content ?? '');
  const results = body.messages.slice(lastUser + 1).filter((m) => m.role === 'tool').length;
  const writer = trio.find((w) => asked.includes(w.key));
  if (writer) {
    return results === 0 ? { toolCalls: [{ name: 'write', arguments: { path: writer.file, content: writer.content } }] } : { text: `Wrote ${writer.file}.` };
  }
  if (asked.includes('E2E-TRIO')) {
    // Shared: the writers write different files, in the workspace itself (a git folder would give each a worktree).
    return results === 0
      ? { text: 'One writer per module.', toolCalls: trio.map((w) => ({ name: 'spawn_task', arguments: { template: 'task-code-writer', title: w.title, goal: `${w.key}: write ${w.file}.`, isolation: 'shared' } })) }
      : { text: 'The three modules are written.' };
  }
  if (asked.includes('Update the notes')) {
    if (results === 0) return { toolCalls: [{ name: 'read', arguments: { path: 'notes.md' } }] };
    if (results === 1) return { text: 'Writing it.', toolCalls: [{ name: 'write', arguments: { path: 'notes.md', content: WRITTEN } }] };
    return { text: 'Updated notes.md.' };
  }
  if (asked.includes('Thanks')) return { text: 'You are welcome.' };
  return { text: 'Looked at it.' };
}

let workbench;
let page;
let provider;

before(async () => {
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(notes, NOTES);
  fs.writeFileSync(path.join(workspace, 'AGENTS.md'), `# Agents\n${AGENTS_LINE}\n`);
  fs.writeFileSync(path.join(workspace, 'config.ts'), 'export const retries = 1;\n');
  const git = (...args) => execFileSync('git', ['-c', 'user.name=E2E', '-c', 'user.email=e2e@example.invalid', ...args], { cwd: workspace });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'first');
  // The uncommitted change `@git diff` carries.
  fs.writeFileSync(path.join(workspace, 'config.ts'), 'export const retries = 3; // uncommitted-e2e-change\n');
  provider = await startFakeOpenAI({ respond });
  workbench = await openWorkbench({ scratch, folder: workspace, env: { PLUE_HOME: path.join(scratch, 'plue-home') } });
  page = workbench.page;
}, { timeout: 150_000 });

after(async () => {
  await workbench?.close();
  await provider?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

const chat = () => visibleWebview(page);
/** The request the provider got for the message holding `text` (its last, when several). */
const requestFor = (text) => provider.chats().findLast((c) => JSON.stringify(c.body.messages).includes(text));
/** The modal dialog's button (Restore asks what to restore in one). */
const dialogButton = (name) => page.locator('.monaco-dialog-box').getByRole('button', { name, exact: true });

const toast = (text) => page.locator('.notifications-toasts .notification-toast', { hasText: text });

/** Allow in a write's notification, as a toast or, after VS Code's toast timeout, in the notification centre. */
async function allowInNotification(title) {
  if (!await toast(title).first().isVisible()) await runCommand(page, 'Notifications: Show Notifications');
  const notice = page.locator('.notification-list-item', { hasText: title }).first();
  await notice.getByRole('button', { name: 'Allow', exact: true }).click();
  await notice.waitFor({ state: 'detached' });
}

async function send(text) {
  await chat().getByRole('textbox', { name: 'Message' }).click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** Types `@query` in the composer and chooses the menu's entry named `option`: a chip named `chip` shows. */
async function mention(query, option, chip) {
  await chat().getByRole('textbox', { name: 'Message' }).click();
  await page.keyboard.type(`@${query}`);
  await chat().getByRole('option', { name: option }).waitFor();
  await page.keyboard.press('Enter');
  await chat().locator('.chip', { hasText: chip }).waitFor();
}

test('a new chat in Agent mode reads without asking, asks before a write, and the write is a checkpoint that Restore takes back, files then conversation', { timeout: 300_000 }, async () => {
  await runCommand(page, 'Plue: Add Provider Instance');
  await fillAddProvider(page, { provider: 'Groq', name: 'Loopback Groq', endpoint: provider.endpoint, key: 'gsk_agent_chat_e2e_key_1' });
  await notification(page, 'Loopback Groq works');
  await runCommand(page, 'Plue: New Chat');
  await pickModel(page, 'Loopback Groq', 'Kimi K2 0905');
  await chat().locator('.composer-mode', { hasText: 'Agent' }).waitFor();

  await send('Update the notes');
  // The read ran without a card: the write's card is the first, and the model already had the file's text.
  const card = chat().getByRole('group', { name: 'Write notes.md (2 lines)' });
  await card.waitFor();
  assert.equal(await chat().locator('.approval-card').count(), 1, 'a card other than the write\'s was shown');
  const afterRead = provider.chats().at(-1).body.messages.filter((m) => m.role === 'tool');
  assert.equal(afterRead.length, 1);
  assert.match(JSON.stringify(afterRead[0].content), /the first version/, 'the read did not run before the write was asked');
  assert.equal(fs.readFileSync(notes, 'utf8'), NOTES, 'the file was written before the card was answered');
  await saveScreenshot(page, 'agent-chat-write-card.png');
  await card.getByRole('button', { name: 'Allow Write notes.md (2 lines) once' }).click();
  await chat().locator('article.message-assistant.status-complete', { hasText: 'Updated notes.md.' }).waitFor();
  assert.equal(fs.readFileSync(notes, 'utf8'), WRITTEN);

  // The AGENTS.md line was in the system prompt; the chat shows the file as an Instructions part.
  assert.match(JSON.stringify(requestFor('Update the notes').body.messages[0]), new RegExp(AGENTS_LINE.replace(/[().]/g, '\\$&')));
  await chat().locator('.part-instructions, details', { hasText: 'Instructions (1)' }).first().waitFor();

  // The turn's checkpoint, under its user message.
  const asked = chat().locator('article.message-user', { hasText: 'Update the notes' });
  const checkpoint = asked.getByRole('group', { name: 'Checkpoint' });
  await checkpoint.locator('.checkpoint-label', { hasText: 'Checkpoint · 1 file changed: 1 modified' }).waitFor();
  await send('Thanks');
  await chat().locator('article.message-assistant.status-complete', { hasText: 'You are welcome.' }).waitFor();
  await saveScreenshot(page, 'agent-chat-checkpoint.png');

  // Restore files to here: the file is back, the conversation stays.
  await checkpoint.getByRole('button', { name: /^Restore/ }).click();
  await dialogButton('Files Only').click();
  await notification(page, 'Plue: restored 1 file.');
  assert.equal(fs.readFileSync(notes, 'utf8'), NOTES, 'Restore (files) did not bring the file back');
  assert.equal(await chat().locator('article.message-assistant', { hasText: 'You are welcome.' }).count(), 1, 'the conversation changed with the files');

  // Restore conversation to here: the message and every later one are gone, the message back in the composer.
  await checkpoint.getByRole('button', { name: /^Restore/ }).click();
  await dialogButton('Conversation Only').click();
  await chat().locator('article.message-assistant', { hasText: 'You are welcome.' }).waitFor({ state: 'detached' });
  assert.equal(await chat().locator('article.message-user', { hasText: 'Thanks' }).count(), 0, 'a later message was kept');
  assert.equal(await chat().locator('article.message-assistant', { hasText: 'Updated notes.md.' }).count(), 0, 'the restored turn\'s answer was kept');
  assert.equal(await chat().getByRole('textbox', { name: 'Message' }).inputValue(), 'Update the notes');
  assert.equal(fs.readFileSync(notes, 'utf8'), NOTES, 'Restore (conversation) changed the file');
  await saveScreenshot(page, 'agent-chat-restored.png');
  await chat().getByRole('textbox', { name: 'Message' }).fill('');
});

test('@git diff and @terminal reach the provider\'s request as attached parts', { timeout: 240_000 }, async () => {
  // A command in a terminal, as a person runs one (shell integration reports it).
  await runCommand(page, 'Terminal: Create New Terminal');
  const terminal = page.locator('.terminal-wrapper.active .xterm');
  await terminal.waitFor();
  await terminal.click();
  // The pause puts the output in a later chunk than the command's start: VS Code's shell integration drops output that
  // arrives with it (the attachment then says so), and this test is about the output that it does report.
  await page.keyboard.type('sleep 0.5; echo terminal-e2e-$((6*7))');
  await page.keyboard.press('Enter');
  // The terminal draws on a canvas: its command decoration says the command ended (shell integration saw it).
  await page.locator('.terminal-wrapper.active .terminal-command-decoration[class*="success"]').first().waitFor();

  await page.locator('.tab', { hasText: /Update the notes|New chat/ }).first().click();
  await mention('git', /Git diff/, 'Git diff');
  await mention('term', /Terminal.*sleep 0\.5; echo terminal-e2e-\$\(\(6\*7\)\) in bash/, 'Terminal');
  await page.keyboard.type('Review these');
  await page.keyboard.press('Enter');
  await chat().locator('article.message-assistant.status-complete', { hasText: 'Looked at it.' }).last().waitFor();
  const sent = JSON.stringify(requestFor('Review these').body.messages);
  assert.match(sent, /Attached file Git diff:/, '@git diff did not reach the provider');
  assert.match(sent, /\+export const retries = 3; \/\/ uncommitted-e2e-change/, 'the uncommitted change is not in the request');
  assert.match(sent, /Attached file Terminal:/, '@terminal did not reach the provider');
  assert.match(sent, /\$ sleep 0\.5; echo terminal-e2e-\$\(\(6\*7\)\)/);
  assert.match(sent, /\\nterminal-e2e-42/, 'the command\'s output is not in the request');
});

test('the side bar\'s Chat view shows its composer at the default window size, in each kind of theme', { timeout: 240_000 }, async () => {
  // The chat tab goes to the side bar; with no editor open, the side bar's is the one chat on screen.
  await page.locator('.tab', { hasText: 'Update the notes' }).first().click();
  await runCommandUntil(page, 'Plue: Move Chat to Side Bar', sideBarChat(page));
  const tabs = page.locator('.tabs-container .tab');
  for (let attempt = 1; await tabs.count(); attempt++) {
    assert.ok(attempt <= 3, 'View: Close All Editors left tabs open three times');
    await runCommand(page, 'View: Close All Editors');
    await tabs.first().waitFor({ state: 'detached', timeout: 5_000 }).catch(() => {});
  }
  // The side bar's chat, left the one view on screen, loads and takes the focus: the palette opened before then closed
  // under it (F1 or "View: Hide Panel" retried in every full run). Its composer shown, it has.
  const composer = chat().getByRole('textbox', { name: 'Message' });
  await composer.waitFor();
  await runCommand(page, 'View: Hide Panel');
  for (const [name, kind] of themes) {
    await setColorTheme(page, name, kind);
    const box = await composer.boundingBox();
    const viewport = page.viewportSize();
    assert.ok(box && box.height > 0 && box.y >= 0 && box.y + box.height <= viewport.height, `the composer is out of view in ${kind}: ${JSON.stringify(box)}`);
    await chat().locator('article.message-user', { hasText: 'Review these' }).waitFor();
    await saveScreenshot(page, `agent-chat-side-bar-${kind}.png`);
  }
});

test('an orchestrator\'s goal holds what its three writers wrote as one checkpoint, and Restore takes all three back', { timeout: 300_000 }, async () => {
  // The task panel is then the one webview on screen.
  await runCommand(page, 'View: Close Primary Side Bar');
  await runTask(page, { template: 'Orchestrator', goal: 'E2E-TRIO: add src/alpha.ts, src/beta.ts and src/gamma.ts', instance: 'Loopback Groq', model: 'Kimi K2 0905' });
  const task = chat();
  await task.locator('.task-template', { hasText: 'Orchestrator' }).waitFor();
  await toast('Write src/').first().waitFor();
  for (const { file } of trio) await allowInNotification(`Write ${file}`);
  await task.locator('.task-status', { hasText: 'Completed' }).waitFor();
  for (const { file, content } of trio) assert.equal(fs.readFileSync(path.join(workspace, file), 'utf8'), content);

  const goal = task.locator('article.message-user', { hasText: 'E2E-TRIO' });
  const checkpoint = goal.getByRole('group', { name: 'Checkpoint' });
  await checkpoint.locator('.checkpoint-label', { hasText: 'Checkpoint · 3 files changed: 3 added' }).waitFor();
  await saveScreenshot(page, 'agent-chat-task-checkpoint.png');
  await checkpoint.getByRole('button', { name: /^Restore/ }).click();
  await dialogButton('Restore Files').click();
  await notification(page, 'Plue: restored 3 files.');
  for (const { file } of trio) assert.ok(!fs.existsSync(path.join(workspace, file)), `${file} was not taken back`);
  assert.equal(fs.readFileSync(notes, 'utf8'), NOTES, 'a file the tree did not change was touched');
});
