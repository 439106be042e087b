// End to end: agent tasks in the packaged extension inside code-server, with its real
// sidecar, answered by a loopback OpenAI-compatible server scripted per goal: an
// orchestrator spawns three code writers, each of which asks to write a file. The user
// runs the orchestrator from the command palette, watches the sub-tasks appear in the
// Channels tree, interrupts one while the others wait, approves one write in its task
// panel's card and denies another in its notification, and sees the cost roll up.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { startFakeOpenAI } from './support/fakeOpenAI.mjs';
import { contextMenu, fillAddProvider, notification, openFromTree, openWorkbench, pick, pickModel, runCommand, runCommandToPick, runTask, saveScreenshot, showPlue, test } from './support/workbench.mjs';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-tasks-e2e-'));
const workspace = path.join(scratch, 'greek-project');

const writers = {
  ALPHA: { title: 'Alpha module', file: 'src/alpha.ts', content: 'export const alpha = 1;\n' },
  BETA: { title: 'Beta module', file: 'src/beta.ts', content: 'export const beta = 2;\n' },
  GAMMA: { title: 'Gamma module', file: 'src/gamma.ts', content: 'export const gamma = 3;\n' },
};

/** One reply per request, chosen by the goal in its first user message and by how many turns it has had. */
function respond(body) {
  const goal = JSON.stringify(body.messages.find(m => m.role === 'user')?.content ?? '');
  const turn = body.messages.filter(m => m.role === 'assistant').length;
  const lastTool = JSON.stringify(body.messages.filter(m => m.role === 'tool').at(-1)?.content ?? '');
  const writer = Object.keys(writers).find(key => goal.includes(`E2E-${key}`));
  if (writer) {
    const { file, content } = writers[writer];
    return turn === 0
      ? { reasoning: `I will write ${file}.`, toolCalls: [{ name: 'write', arguments: { path: file, content } }] }
      : { text: lastTool.includes('denied') ? `Did not write ${file}: the user said no.` : `Wrote ${file}.` };
  }
  if (goal.includes('E2E-GREEK')) {
    return turn === 0
      ? {
        text: 'Three modules, one writer each.',
        toolCalls: Object.entries(writers).map(([key, w]) => ({
          // Each writes its own file: the orchestrator has them write in the workspace at once (no git here, where
          // writers left to auto would take turns).
          name: 'spawn_task', arguments: { template: 'task-code-writer', title: w.title, goal: `E2E-${key}: write ${w.file} exporting one constant.`, isolation: 'shared' },
        })),
      }
      : { text: '## Summary\n\nAlpha is written; beta was refused and gamma was interrupted.' };
  }
  if (goal.includes('E2E-COMPOSED')) {
    return { text: 'The index holds one comment.' };
  }
  return { text: 'No script for this goal.' };
}

let workbench;
let page;
let provider;

before(async () => {
  fs.mkdirSync(path.join(workspace, 'src'), { recursive: true });
  fs.writeFileSync(path.join(workspace, 'src/index.ts'), '// the greek modules\n');
  provider = await startFakeOpenAI({ respond });
  workbench = await openWorkbench({ scratch, folder: workspace, env: { PLUE_HOME: path.join(scratch, 'plue-home') } });
  page = workbench.page;
}, { timeout: 150_000 });

after(async () => {
  await workbench?.close();
  await provider?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

/** A test whose failure leaves the page as it was, named after the test, beside the other screenshots. */
const screenshot = name => saveScreenshot(page, name);

const tree = () => page.locator('.pane', { hasText: 'Channels' });
/** A task's row; its accessible name is "title, status, description". */
const row = title => tree().getByRole('treeitem', { name: new RegExp(`^${title}`) });
/** The task panel on screen (several may be open; hidden ones are not visible). */
const panel = () => page.frameLocator('iframe.webview.ready[src*="extensionId=plue.plue-vscode"]:visible').frameLocator('#active-frame');
const toast = text => page.locator('.notifications-toasts .notification-toast', { hasText: text });

test('an orchestrator run from the palette spawns writers that appear in the tree and wait for approval', { timeout: 180_000 }, async () => {
  // The provider instance, through the UI: Groq's catalog entry pointed at the loopback server.
  await runCommand(page, 'Plue: Add Provider Instance');
  await fillAddProvider(page, { provider: 'Groq', name: 'Loopback Groq', endpoint: provider.endpoint, key: 'gsk_tasks_e2e_key_123' });
  await notification(page, 'Loopback Groq works');

  await showPlue(page);
  await tree().waitFor();
  await runTask(page, { template: 'Orchestrator', goal: 'E2E-GREEK: add src/alpha.ts, src/beta.ts and src/gamma.ts, one constant each', instance: 'Loopback Groq', model: 'Kimi K2 0905' });

  // The orchestrator's panel opens on its transcript.
  await panel().locator('.task-template', { hasText: 'Orchestrator' }).waitFor();
  await panel().locator('.part-tool .tool-name', { hasText: 'spawn_task' }).first().waitFor();

  // Its three writers appear under it, each waiting to write.
  const orchestrator = row('E2E-GREEK');
  await orchestrator.waitFor();
  for (const { title } of Object.values(writers)) {
    await row(title).waitFor();
    await row(title).locator('.codicon-bell-dot').waitFor();
  }
  assert.equal(await orchestrator.getAttribute('aria-expanded'), 'true', 'the sub-tasks are hidden under a closed row');
  for (const { title } of Object.values(writers)) {
    assert.equal(await row(title).getAttribute('aria-level'), '3', `${title} is not under the orchestrator`);
    assert.match(await row(title).locator('.label-description').innerText(), /^needs approval · moonshotai\/kimi-k2-instruct-0905 · \$0\.0240 · \d+s$/);
  }
  // One orchestrator turn and one turn per writer so far.
  await orchestrator.locator('.label-description', { hasText: '$0.0960' }).waitFor();
  await page.locator('.activitybar .badge-content', { hasText: '3' }).waitFor();
  const status = page.locator('[id="plue.plue-vscode.plue.tasks"]');
  await status.locator('.codicon-shield').waitFor();
  assert.match(await status.getAttribute('aria-label'), /3 waiting for your approval/);
  for (const { file } of Object.values(writers)) {
    await toast(`Write ${file}`).first().waitFor();
  }
  await screenshot('tasks-e2e-waiting.png');

  // The orchestrator is still running: its input queues a message, shown above the input until its model turn ends
  // (it waits on its sub-tasks), then sent: the last turn reads it (checked once the task is done).
  const steer = panel().getByRole('textbox', { name: 'Message to the task' });
  await steer.click();
  await page.keyboard.type('Keep the constants small.');
  await page.keyboard.press('Enter');
  await panel().getByRole('group', { name: 'Queued message 1 of 1' }).filter({ hasText: 'Keep the constants small.' }).waitFor();
  assert.equal(await panel().locator('article.message-user', { hasText: 'Keep the constants small.' }).count(), 0, 'a queued message shows as sent');
});

test('interrupting one writer withdraws its question while the others keep waiting', { timeout: 90_000 }, async () => {
  await contextMenu(page, row('Gamma module'), 'Interrupt Task');
  // Under load the tree can redraw the row between the right-click and the menu's click; the command then gets no row
  // and asks which task, as it does from the palette: the user picks the same one.
  const interrupted = row('Gamma module').locator('.codicon-circle-slash');
  const asked = page.locator('.quick-input-widget .quick-input-title', { hasText: 'Interrupt Task' });
  const first = await Promise.race([interrupted.waitFor().then(() => 'interrupted', () => 'neither'), asked.waitFor().then(() => 'asked', () => 'neither')]);
  if (first === 'asked') await pick(page, 'Gamma module');
  await interrupted.waitFor();
  await toast('Write src/gamma.ts').waitFor({ state: 'detached' });
  assert.match(await row('Gamma module').getAttribute('aria-label'), /Interrupted/);
  assert.match(await row('Gamma module').locator('.label-description').innerText(), /^interrupted · /);
  for (const title of ['Alpha module', 'Beta module']) {
    assert.equal(await row(title).locator('.codicon-bell-dot').count(), 1, `${title} stopped waiting`);
  }
  await page.locator('.activitybar .badge-content', { hasText: '2' }).waitFor();
  await screenshot('tasks-e2e-interrupted.png');
});

test('Allow in the writer\'s panel card writes the file; Deny in the notification refuses the other', { timeout: 120_000 }, async () => {
  await openFromTree(page, row('Alpha module'), 'Alpha module');
  const alpha = panel();
  await alpha.locator('.chat-title', { hasText: 'Alpha module' }).waitFor();
  // One elapsed time for a task everywhere: the panel opened now counts from the task's start, as its row does (it
  // counted from the panel's opening: 1 s beside the row's 53 s).
  const seconds = text => { const [, m = '0', sec = 'NaN'] = /(?:(\d+)m )?(\d+)s$/.exec(text) ?? []; return Number(m) * 60 + Number(sec); };
  const rowSeconds = seconds(await row('Alpha module').locator('.label-description').innerText());
  const panelSeconds = seconds(await alpha.locator('.task-elapsed').innerText());
  assert.ok(rowSeconds >= 3, `the writer has waited only ${rowSeconds} s: too short to tell the two clocks apart`);
  assert.ok(panelSeconds >= rowSeconds - 1, `the task panel shows ${panelSeconds} s where the tree shows ${rowSeconds} s`);
  const card = alpha.getByRole('group', { name: 'Write src/alpha.ts (1 line)' });
  await card.waitFor();
  assert.equal((await card.locator('.approval-preview').innerText()).trimEnd(), 'export const alpha = 1;');
  await screenshot('tasks-e2e-card.png');
  await card.getByRole('button', { name: 'Allow Write src/alpha.ts (1 line) once' }).click();
  await card.waitFor({ state: 'detached' });
  await toast('Write src/alpha.ts').waitFor({ state: 'detached' });
  await alpha.locator('.task-status', { hasText: 'Completed' }).waitFor();
  await row('Alpha module').locator('.codicon-pass').waitFor();
  assert.equal(fs.readFileSync(path.join(workspace, 'src/alpha.ts'), 'utf8'), 'export const alpha = 1;\n');

  // An approval's notification is an information toast with buttons: after VS Code's toast timeout it moves to the
  // notification centre, where its buttons still answer.
  if (!await toast('Write src/beta.ts').isVisible()) await runCommand(page, 'Notifications: Show Notifications');
  const beta = page.locator('.notification-list-item', { hasText: 'Write src/beta.ts' }).first();
  await beta.getByRole('button', { name: 'Deny…' }).click();
  const reason = page.locator('.quick-input-widget', { hasText: 'Deny' }).locator('input.input');
  await reason.waitFor();
  await reason.fill('Keep beta for the next release');
  await screenshot('tasks-e2e-deny.png');
  await page.keyboard.press('Enter');
  await beta.waitFor({ state: 'detached' });
  await row('Beta module').locator('.codicon-pass').waitFor();
  assert.ok(!fs.existsSync(path.join(workspace, 'src/beta.ts')), 'a denied write was written');
  assert.ok(!fs.existsSync(path.join(workspace, 'src/gamma.ts')), 'an interrupted write was written');
  const told = provider.chats().map(c => JSON.stringify(c.body.messages)).find(m => m.includes('E2E-BETA') && m.includes('Keep beta for the next release'));
  assert.ok(told, 'the model was not told the user\'s reason');
});

test('the orchestrator completes and its row and header show the cost of the whole tree', { timeout: 90_000 }, async () => {
  const orchestrator = row('E2E-GREEK');
  await orchestrator.locator('.codicon-pass').waitFor();
  // 7 calls of $0.024: the orchestrator's two, two each for alpha and beta, one for gamma.
  await orchestrator.locator('.label-description', { hasText: '$0.1680' }).waitFor();
  // No activity bar badge shows a number any more.
  await page.waitForFunction(() => ![...globalThis.document.querySelectorAll('.activitybar .badge-content')].some(badge => badge.textContent.trim()));
  await openFromTree(page, orchestrator, 'E2E-GREEK');
  const header = panel();
  await header.locator('.chat-title', { hasText: 'E2E-GREEK' }).waitFor();
  await header.locator('.task-status', { hasText: 'Completed' }).waitFor();
  assert.equal(await header.locator('.chat-cost').innerText(), '$0.1680');
  assert.equal(await header.locator('.task-turns').innerText(), 'turn 2/40 · 3 sub-tasks');
  await header.locator('h2', { hasText: 'Summary' }).waitFor();
  const steered = provider.chats().at(-1);
  assert.match(JSON.stringify(steered.body.messages), /Keep the constants small\./, 'the orchestrator\'s last turn did not read the steer');
  assert.equal(await header.locator('article.message-user', { hasText: 'Keep the constants small.' }).count(), 1, 'the sent message does not show exactly once in the transcript');
  assert.equal(await header.locator('section.queued').isHidden(), true, 'the sent message stayed in the queue');
  await page.mouse.move(700, 450);
  await screenshot('tasks-e2e-done.png');
});

test('after a reload the task panels come back with their transcripts', { timeout: 120_000 }, async () => {
  // Reloaded as a user does (Developer: Reload Window): the workbench saves its layout before the page goes. A bare page
  // reload does not wait for that in the web, and a layout saved before the last tab opened came back without it.
  const reloaded = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: 60_000 });
  await runCommand(page, 'Developer: Reload Window');
  await reloaded;
  await page.waitForLoadState('domcontentloaded');
  await page.locator('.monaco-workbench .activitybar').waitFor({ timeout: 60_000 });
  await page.locator('.tab', { hasText: 'Alpha module' }).waitFor({ timeout: 60_000 });
  await page.locator('.tab', { hasText: 'E2E-GREEK' }).click();
  const restored = panel();
  await restored.locator('.chat-title', { hasText: 'E2E-GREEK' }).waitFor({ timeout: 60_000 });
  await restored.locator('.task-status', { hasText: 'Completed' }).waitFor();
  await restored.locator('h2', { hasText: 'Summary' }).waitFor();
  assert.equal(await restored.locator('.chat-cost').innerText(), '$0.1680');
  await screenshot('tasks-e2e-restored.png');
});

test('Run Task\'s longer goal: the input box\'s button opens the composer, and an @-mentioned file reaches the model', { timeout: 120_000 }, async () => {
  await runCommandToPick(page, 'Plue: Run Task', 'Docs writer');
  const box = page.locator('.quick-input-widget', { hasText: 'Goal' });
  await box.waitFor();
  await box.locator('input.input').fill('E2E-COMPOSED: describe');
  await box.locator('.action-label[aria-label^="Write a longer goal"]').click();
  await pickModel(page, 'Loopback Groq', 'Kimi K2 0905');

  const goal = panel();
  const input = goal.getByRole('textbox', { name: 'Goal of the task' });
  await goal.locator('.chat-title', { hasText: 'New task: Docs writer · Loopback Groq · moonshotai/kimi-k2-instruct-0905' }).waitFor();
  assert.equal(await input.inputValue(), 'E2E-COMPOSED: describe', 'the text typed in the input box was lost');
  await input.click();
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('what @index');
  await goal.getByRole('option', { name: /index\.ts/ }).waitFor();
  await page.keyboard.press('Enter');
  await goal.locator('.chip', { hasText: 'index.ts' }).waitFor();
  await page.keyboard.type('holds.');
  await screenshot('tasks-e2e-goal-composer.png');
  await page.keyboard.press('Enter');

  const task = panel();
  await task.locator('.task-template', { hasText: 'Docs writer' }).waitFor();
  await task.locator('.task-status', { hasText: 'Completed' }).waitFor();
  const asked = provider.chats().find(r => JSON.stringify(r.body.messages).includes('E2E-COMPOSED'));
  const first = JSON.stringify(asked.body.messages.find(m => m.role === 'user').content);
  assert.match(first, /E2E-COMPOSED: describe\\nwhat src\/index\.ts holds\./, 'the mention leaves the file\'s path in the sentence');
  assert.match(first, /Attached file src\/index\.ts/);
  assert.match(first, /the greek modules/, 'the mentioned file\'s content did not reach the model');
});
