// The task panel and the approval cards: the chat webview bundle (out/webview/chat.js)
// in chromium with the extension's own HTML and CSP (kind "task"), and a stand-in for
// the VS Code API (harness.mjs). Checks the header, steering, the cards and the keyboard.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { textContrast } from '../support/contrast.mjs';
import { fromHost as host, screenshots, vscodeApiShim, webviewSuite } from './harness.mjs';

const suite = webviewSuite();

const usage = (input, output) => ({ input, output, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
const agentTask = (over = {}) => ({
  id: 't1', slug: 'brave-heron', ref: 'codex://tasks/brave-heron', version: 3, templateId: 'task-orchestrator', title: 'Add a CSV exporter',
  goal: 'Add a CSV exporter to src/export and test it.', parentId: null, depth: 0, status: 'running', statusReason: null,
  instanceId: 'groq-loop', modelId: 'kimi-k2', availableTools: ['read', 'search', 'spawn_task'],
  usage: usage(12_000, 4_000), costUsd: 0.024, totalUsage: usage(36_000, 12_000), totalCostUsd: 0.072, spendCapUsd: 2,
  turns: 3, maxTurns: 40, childCount: 2, pendingApproval: null, result: null,
  createdAt: '2026-11-21T10:00:00Z', startedAt: '2026-11-21T10:00:01Z', finishedAt: null, elapsedMs: 65_000, ...over,
});
const transcript = () => [
  { id: 'u1', sessionId: 't1', role: 'user', status: 'complete', parts: [{ id: 'p1', kind: 'text', text: 'Add a CSV exporter to src/export and test it.' }], createdAt: '2026-11-21T10:00:00Z' },
  { id: 'a1', sessionId: 't1', role: 'assistant', status: 'complete', modelId: 'kimi-k2', createdAt: '2026-11-21T10:00:02Z', parts: [
    { id: 'x1', kind: 'text', text: 'I will split this into two sub-tasks.' },
    { id: 'c1', kind: 'tool_use', toolCallId: 'call1', name: 'spawn_task', input: { template: 'task-code-writer', goal: 'Write src/export/csv.ts' }, state: 'running' },
  ] },
  { id: 'u2', sessionId: 't1', role: 'user', status: 'complete', createdAt: '2026-11-21T10:00:03Z', parts: [{ id: 'r1', kind: 'tool_result', toolCallId: 'call0', name: 'read', output: 'export {}' }] },
];
const writePrompt = {
  id: 'approval-1', taskId: 't1', owner: 'task "Add a CSV exporter"', tool: 'write', title: 'Write src/export/csv.ts (3 lines)',
  preview: { kind: 'content', text: 'export function toCsv(rows) {\n  return rows.join("\\n");\n}' }, reason: 'The exporter itself', diffable: true,
};
const editPrompt = {
  id: 'approval-2', taskId: 't1', owner: 'task "Add a CSV exporter"', tool: 'edit', title: 'Edit src/index.ts',
  preview: { kind: 'diff', text: '- export {};\n+ export { toCsv } from "./export/csv";' },
};
const capPrompt = { id: 'approval-3', taskId: 't1', owner: 'task "Add a CSV exporter"', tool: 'spend_cap', title: 'Reached its spend cap: $2.01 of $2.00', spendCap: { spentUsd: 2.01, capUsd: 2 } };

async function openTask({ task = agentTask(), messages = transcript(), theme = 'dark', hasMore = false } = {}) {
  const page = await suite.browser.newPage({ viewport: { width: 1000, height: 800 } });
  const errors = [];
  page.on('pageerror', error => errors.push(error.message));
  await page.addInitScript(vscodeApiShim);
  await page.goto(suite.harness.pageUrl(theme, 'task'));
  await page.waitForFunction(() => window.__posted.some(m => m.type === 'ready'));
  assert.deepEqual(await page.evaluate(() => window.__state), { sessionId: 't1' }, 'the task id was not kept before init');
  await host(page, { type: 'taskInit', task, messages, hasMore, templateName: 'Orchestrator' });
  await page.locator('.chat-title', { hasText: task.title }).waitFor();
  return { page, errors };
}


const posted = page => page.evaluate(() => window.__posted);
const lastPosted = async page => (await posted(page)).at(-1);

test('the task header shows status, template, model, total cost and a running clock; Interrupt posts', async () => {
  const { page, errors } = await openTask();
  assert.equal(await page.locator('.task-status').innerText(), 'Running');
  assert.equal(await page.locator('.task-status .codicon-loading.codicon-modifier-spin').count(), 1, 'running does not spin');
  assert.equal(await page.locator('.task-template').innerText(), 'Orchestrator');
  assert.equal(await page.locator('.task-model').innerText(), 'kimi-k2');
  assert.equal(await page.locator('.chat-cost').innerText(), '$0.0720', 'the total with sub-tasks, not the own $0.024');
  assert.match(await page.locator('.chat-cost').getAttribute('title'), /this task alone: \$0\.0240; spend cap \$2\.00/);
  assert.equal(await page.locator('.task-turns').innerText(), 'turn 3/40 · 2 sub-tasks');
  // The clock starts at the task's 65 s and ticks on; a loaded machine may show a later second by the first read.
  const seconds = text => { const [, m, s] = /^(\d+)m (\d\d)s$/.exec(text); return Number(m) * 60 + Number(s); };
  const shown = seconds(await page.locator('.task-elapsed').innerText());
  assert.ok(shown >= 65 && shown < 75, `the clock starts from the task's elapsed time, showed ${shown} s`);
  await page.waitForFunction(
    before => { const m = /^(\d+)m (\d\d)s$/.exec(document.querySelector('.task-elapsed').textContent);
      return m && Number(m[1]) * 60 + Number(m[2]) > before; }, shown, { timeout: 5000 });
  // A task's transcript is the sidecar's: no Edit, Regenerate or Fork; tool results are labelled as such.
  assert.equal(await page.locator('.message-actions button').count(), 0);
  assert.equal(await page.locator('article[data-message-id="u2"] .message-role').innerText(), 'Tool results');
  assert.equal(await page.locator('article[data-message-id="a1"] .part-tool .tool-state').innerText(), 'running');
  assert.equal(await page.getByRole('button', { name: 'Resume the task' }).isHidden(), true);
  await page.screenshot({ path: path.join(screenshots, 'task-webview-running.png') });
  await page.getByRole('button', { name: 'Interrupt the task and its sub-tasks' }).click();
  assert.deepEqual(await lastPosted(page), { type: 'interrupt' });
  assert.deepEqual(errors, []);
  await page.close();
});

test('messages Plue wrote in a task (its settings, the resume note) are not shown as the user\'s', async () => {
  const goal = 'Add a CSV exporter.\n\n---\nTask settings (the sidecar enforces them):\n- Tools: read, write\n- Model turns: at most 40\n';
  const { page } = await openTask({ messages: [
    { id: 'u1', sessionId: 't1', role: 'user', status: 'complete', parts: [{ id: 'p1', kind: 'text', text: goal }], createdAt: '2026-11-21T10:00:00Z' },
    { id: 'u2', sessionId: 't1', role: 'user', status: 'complete', parts: [{ id: 'p2', kind: 'text', text: 'The user resumed this task. Continue toward the goal from where you stopped.' }], createdAt: '2026-11-21T10:01:00Z' },
  ] });
  const first = page.locator('article[data-message-id="u1"]');
  assert.equal(await first.locator('.message-parts').innerText(), 'Add a CSV exporter.');
  assert.equal(await first.locator('.part-settings summary').innerText(), 'Task settings Plue added for the model');
  const note = page.locator('article[data-message-id="u2"]');
  assert.equal(await note.getAttribute('aria-label'), 'Note from Plue');
  assert.equal(await note.locator('.message-role').innerText(), 'Plue');
  await page.screenshot({ path: path.join(screenshots, 'task-webview-system-messages.png') });
  await page.close();
});

test('a long task transcript opens on its latest page; Load earlier messages adds the older ones above', async () => {
  const step = seq => ({ id: `m${seq}`, sessionId: 't1', seq, role: seq % 2 ? 'assistant' : 'user', status: 'complete', createdAt: '2026-11-21T10:00:00Z',
    parts: [{ id: `p${seq}`, kind: 'text', text: `Step ${seq}` }] });
  const range = (from, to) => Array.from({ length: to - from }, (_, i) => step(from + i));
  const { page, errors } = await openTask({ messages: range(200, 400), hasMore: true });
  assert.equal(await page.locator('article.message').count(), 200);
  const loadEarlier = page.getByRole('button', { name: 'Load earlier messages' });
  await loadEarlier.click();
  assert.deepEqual(await lastPosted(page), { type: 'loadEarlier' });

  await host(page, { type: 'earlier', messages: range(150, 200), hasMore: false });
  await page.locator('article[data-message-id="m150"]').waitFor({ state: 'attached' });
  assert.equal(await page.locator('article.message').count(), 250);
  assert.equal(await page.locator('article.message').first().getAttribute('data-message-id'), 'm150');
  await loadEarlier.waitFor({ state: 'hidden' });
  assert.equal(await page.locator('.message-actions button').count(), 0, 'a task transcript got chat actions');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the task\'s input has the chat\'s / menu: it asks the host for the commands, lists them with their descriptions, and a choice fills the input', async () => {
  const { page } = await openTask();
  const input = page.getByRole('textbox', { name: 'Message to the task' });
  await input.click();
  await page.keyboard.type('/rev');
  await page.waitForFunction(() => window.__posted.some(m => m.type === 'promptSearch' && m.query === 'rev'));
  const command = { kind: 'command', label: '/review', command: 'review', description: 'Review the named file' };
  await host(page, { type: 'promptResults', query: 'rev', items: [command] });
  const menu = page.getByRole('listbox', { name: 'Use a command or a prompt of an MCP server' });
  const option = menu.getByRole('option', { name: /\/review/ });
  await option.waitFor();
  assert.match(await option.innerText(), /Review the named file/);
  assert.equal(await input.getAttribute('aria-activedescendant'), 'prompt-0');
  await page.keyboard.press('Enter');
  assert.deepEqual(await lastPosted(page), { type: 'usePrompt', item: command }, 'Enter chose the command; nothing was queued');
  await host(page, { type: 'promptText', text: '/review ' });
  assert.equal(await input.inputValue(), '/review ');
  assert.equal(await menu.isHidden(), true);
  await page.close();
});

test('"Send now" means the same in chats and tasks: a task\'s queued message offers Read next instead; the input steers a running task and is off once it stops; a paused task offers Raise cap and resume', async () => {
  const { page } = await openTask();
  assert.equal(await page.getByRole('button', { name: 'Attach a file' }).count(), 0, 'steering takes no attachments');
  assert.equal(await page.getByRole('button', { name: 'Stop the reply' }).count(), 0);
  const input = page.getByRole('textbox', { name: 'Message to the task' });
  await input.click();
  await page.keyboard.type('Use semicolons as separators');
  await page.keyboard.press('Enter');
  assert.deepEqual(await lastPosted(page), { type: 'send', text: 'Use semicolons as separators', attachments: [] });
  // Queued by the sidecar: it shows in the queue above the input, not in the transcript, until the model's turn ends.
  assert.equal(await page.locator('article.message-user', { hasText: 'semicolons' }).count(), 0, 'a queued message shows as sent');
  await host(page, { type: 'queued', queued: [{ id: 'q1', sessionId: 't1', text: 'Use semicolons as separators', createdAt: '2026-11-21T10:06:00Z' }] });
  const row = page.getByRole('group', { name: 'Queued message 1 of 1' });
  await row.waitFor();
  assert.match(await row.locator('.queued-label').getAttribute('title'), /task's current model turn ends/);
  // "Send now" means stop the answer and send, in a chat; a task stops nothing, so its button is named for what it does.
  assert.equal(await row.getByRole('button', { name: /^Send now/ }).count(), 0, 'a task\'s queue offers Send now, which stops nothing there');
  assert.equal(await row.locator('.queued-steer').innerText(), 'Read next');
  await row.getByRole('button', { name: /^Read next: the task reads this message before its next model call/ }).click();
  assert.deepEqual(await lastPosted(page), { type: 'steer', id: 'q1' });
  await row.getByRole('button', { name: 'Edit the queued message' }).click();
  await page.keyboard.type(', and quote fields');
  await page.keyboard.press('Enter');
  assert.deepEqual(await lastPosted(page), { type: 'queueEdit', id: 'q1', text: 'Use semicolons as separators, and quote fields' });
  await row.getByRole('button', { name: 'Remove the queued message' }).click();
  assert.deepEqual(await lastPosted(page), { type: 'queueRemove', id: 'q1' });
  await host(page, { type: 'queued', queued: [] });
  await page.locator('.queued').waitFor({ state: 'hidden' });

  await host(page, { type: 'task', task: agentTask({ status: 'paused', statusReason: 'Spend cap of $2.00 reached', totalCostUsd: null }), templateName: 'Orchestrator' });
  await page.locator('.task-status', { hasText: 'Paused' }).waitFor();
  assert.equal(await page.locator('.task-reason').innerText(), 'Spend cap of $2.00 reached');
  assert.equal(await page.locator('.chat-cost').innerText(), 'cost unknown', 'an unknown total is never $0');
  assert.equal(await input.isDisabled(), true, 'a paused task cannot be steered');
  assert.match(await input.getAttribute('placeholder'), /resume it to steer it/);
  assert.equal(await page.getByRole('button', { name: 'Interrupt the task and its sub-tasks' }).isHidden(), true);
  const resume = page.getByRole('button', { name: 'Resume the task' });
  assert.equal(await resume.innerText(), 'Raise cap and resume');
  const elapsed = await page.locator('.task-elapsed').innerText();
  await page.waitForTimeout(1200);
  assert.equal(await page.locator('.task-elapsed').innerText(), elapsed, 'the clock runs for a paused task');
  await page.screenshot({ path: path.join(screenshots, 'task-webview-paused.png') });
  await resume.click();
  assert.deepEqual(await lastPosted(page), { type: 'resume' });

  await host(page, { type: 'task', task: agentTask({ status: 'completed', result: 'Done.' }), templateName: 'Orchestrator' });
  await page.locator('.task-status', { hasText: 'Completed' }).waitFor();
  assert.equal(await resume.isHidden(), true, 'a completed task is not resumed');
  await page.close();
});

test('approval cards preview the write and the diff, and every choice posts its answer', async () => {
  const { page, errors } = await openTask();
  await host(page, { type: 'approvals', approvals: [writePrompt, editPrompt] });
  const write = page.getByRole('group', { name: 'Write src/export/csv.ts (3 lines)' });
  await write.waitFor();
  assert.match(await write.locator('.approval-owner').innerText(), /Task "Add a CSV exporter" wants to use write/);
  assert.equal(await write.locator('.approval-reason').innerText(), 'The exporter itself');
  assert.equal(await write.locator('.approval-preview').innerText(), 'export function toCsv(rows) {\n  return rows.join("\\n");\n}');
  const edit = page.getByRole('group', { name: 'Edit src/index.ts' });
  assert.equal(await edit.locator('.diff-del').innerText(), '- export {};');
  assert.equal(await edit.locator('.diff-add').innerText(), '+ export { toCsv } from "./export/csv";');
  const colours = await edit.locator('.diff-add, .diff-del').evaluateAll(lines => lines.map(l => getComputedStyle(l).backgroundColor));
  assert.notEqual(colours[0], colours[1], 'added and removed lines look the same');
  await page.screenshot({ path: path.join(screenshots, 'task-webview-approvals.png') });

  // A write or edit opens in the diff editor before it is answered; a card without a file change has no such button.
  await write.getByRole('button', { name: 'Show the change of Write src/export/csv.ts (3 lines) in the diff editor' }).click();
  assert.deepEqual(await lastPosted(page), { type: 'showApprovalDiff', id: 'approval-1' });
  assert.equal(await edit.getByRole('button', { name: /in the diff editor$/ }).count(), 0);
  await write.getByRole('button', { name: 'Allow every write call of this task' }).click();
  assert.deepEqual(await lastPosted(page), { type: 'answerApproval', id: 'approval-1', decision: 'allowAlways', scope: 'task' });
  await write.getByRole('button', { name: 'Allow every write call in this workspace' }).click();
  assert.deepEqual(await lastPosted(page), { type: 'answerApproval', id: 'approval-1', decision: 'allowAlways', scope: 'workspace' });
  await write.getByRole('button', { name: /^Allow Write/ }).click();
  assert.deepEqual(await lastPosted(page), { type: 'answerApproval', id: 'approval-1', decision: 'allow' });
  await edit.getByRole('textbox', { name: 'Message to the agent if you deny' }).fill('Keep index.ts as it is');
  await edit.getByRole('button', { name: 'Deny Edit src/index.ts' }).click();
  assert.deepEqual(await lastPosted(page), { type: 'answerApproval', id: 'approval-2', decision: 'deny', message: 'Keep index.ts as it is' });

  // The host withdraws what was answered (here or in the notification): the card goes, the other stays as typed.
  await edit.getByRole('textbox', { name: 'Message to the agent if you deny' }).fill('draft');
  await host(page, { type: 'approvals', approvals: [editPrompt] });
  await write.waitFor({ state: 'detached' });
  assert.equal(await edit.getByRole('textbox', { name: 'Message to the agent if you deny' }).inputValue(), 'draft', 'the other card was rebuilt');
  await host(page, { type: 'approvals', approvals: [] });
  await edit.waitFor({ state: 'detached' });
  assert.equal(await page.locator('.approvals').isHidden(), true);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a page that loads, or gets a card, while the workbench has the keyboard leaves it there; it takes it once focused', async () => {
  // The workbench (here the top page) types into a quick pick while a panel's page loads in its frame, late as on a
  // busy machine or when a silent page is rendered again, and a card arrives: neither may pull the keyboard into the
  // page, which closed the quick pick. Once the page itself gets the focus, its composer has it.
  const page = await suite.browser.newPage();
  await page.addInitScript(vscodeApiShim);
  const url = suite.harness.pageUrl('dark', 'task');
  await page.goto(`${new URL(url).origin}/workbench.html`);
  await page.evaluate(() => {
    const box = Object.assign(document.createElement('input'), { id: 'quick-pick' });
    document.body.replaceChildren(box);
    box.focus();
  });
  await page.evaluate(src => document.body.append(Object.assign(document.createElement('iframe'), { src, id: 'panel' })), url);
  let panel;
  while (!(panel = page.frames().find(f => f !== page.mainFrame() && f.url() === url))) await new Promise(resolve => setTimeout(resolve, 50));
  await panel.waitForFunction(() => window.__posted?.some(m => m.type === 'ready'));
  await panel.evaluate(prompt => window.postMessage({ type: 'approvals', approvals: [prompt] }, '*'), editPrompt);
  await panel.locator('.approval-card').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'quick-pick', 'the page took the keyboard');

  await page.evaluate(() => document.getElementById('panel').contentWindow.focus());
  await panel.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Message to the task');
  await page.close();
});

test('a new card takes the keyboard: Tab reaches every choice and Enter in the message denies', async () => {
  const { page } = await openTask();
  await host(page, { type: 'approvals', approvals: [editPrompt] });
  const card = page.getByRole('group', { name: 'Edit src/index.ts' });
  await card.waitFor();
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
  assert.equal(await focused(), 'Allow Edit src/index.ts once', 'the new card did not take the focus');
  await page.keyboard.press('Enter');
  assert.deepEqual(await lastPosted(page), { type: 'answerApproval', id: 'approval-2', decision: 'allow' });
  const reached = [];
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    reached.push(await focused());
  }
  assert.deepEqual(reached, ['Allow every edit call of this task', 'Allow every edit call in this workspace', 'Always allow edit everywhere, in every workspace', 'Message to the agent if you deny']);
  await page.keyboard.type('no');
  await page.keyboard.press('Enter');
  assert.deepEqual(await lastPosted(page), { type: 'answerApproval', id: 'approval-2', decision: 'deny', message: 'no' });

  // Someone typing to the task keeps the focus when a card arrives.
  await host(page, { type: 'approvals', approvals: [] });
  const input = page.getByRole('textbox', { name: 'Message to the task' });
  await input.click();
  await page.keyboard.type('half a sentence');
  await host(page, { type: 'approvals', approvals: [writePrompt] });
  await page.getByRole('group', { name: /Write src/ }).waitFor();
  assert.equal(await focused(), 'Message to the task');
  await page.close();
});

test('a spend cap card raises the cap only above what was spent, or stops', async () => {
  const { page } = await openTask({ task: agentTask({ status: 'waiting-approval' }) });
  await host(page, { type: 'approvals', approvals: [capPrompt] });
  const card = page.getByRole('group', { name: 'Reached its spend cap: $2.01 of $2.00' });
  await card.waitFor();
  assert.match(await card.locator('.approval-owner').innerText(), /has stopped/);
  const cap = card.getByRole('spinbutton', { name: 'New spend cap in US dollars' });
  assert.equal(await cap.inputValue(), '4.02');
  await cap.fill('1.5');
  await card.getByRole('button', { name: 'Raise the spend cap and continue' }).click();
  await card.getByRole('alert').filter({ hasText: 'above $2.01' }).waitFor();
  assert.equal((await posted(page)).filter(m => m.type === 'answerApproval').length, 0, 'a cap below the spend was sent');
  await cap.fill('5');
  await page.keyboard.press('Enter');
  assert.deepEqual(await lastPosted(page), { type: 'answerApproval', id: 'approval-3', decision: 'allow', message: '5' });
  await page.screenshot({ path: path.join(screenshots, 'task-webview-spend-cap.png') });
  await card.getByRole('button', { name: 'Stop the task at its spend cap' }).click();
  assert.deepEqual(await lastPosted(page), { type: 'answerApproval', id: 'approval-3', decision: 'deny', message: 'The user stopped the task at its spend cap.' });
  await page.close();
});

test('a chat (claude-code) gets the same card without "for this task", in a light theme', async () => {
  const page = await suite.browser.newPage({ viewport: { width: 900, height: 700 } });
  await page.addInitScript(vscodeApiShim);
  await page.goto(suite.harness.pageUrl('light'));
  await page.waitForFunction(() => window.__posted.some(m => m.type === 'ready'));
  const chatPrompt = { id: 'approval-9', sessionId: 's1', owner: 'chat "Refactor"', tool: 'Bash', title: 'Run npm test', preview: { kind: 'command', text: 'npm test' } };
  await host(page, { type: 'approvals', approvals: [chatPrompt] });
  const card = page.getByRole('group', { name: 'Run npm test' });
  await card.waitFor();
  assert.equal(await card.getByRole('button', { name: /of this task/ }).count(), 0);
  assert.equal(await card.getByRole('button', { name: 'Allow every Bash call in this workspace' }).count(), 1);
  assert.equal(await page.getByRole('textbox', { name: 'Message', exact: true }).count(), 1, 'the chat input is still the chat one');
  await page.screenshot({ path: path.join(screenshots, 'chat-webview-approval-light.png') });
  await page.close();
});

test('the header wears the template\'s icon in its colour, a high-contrast theme\'s own colour there, and the kind\'s codicon without one', async () => {
  const { page, errors } = await openTask({ theme: 'light' });
  const headerIcon = page.locator('.chat-header .template-icon');
  assert.equal(await headerIcon.count(), 1);
  assert.match(await headerIcon.getAttribute('class'), /codicon-tasklist/, 'a template without an icon: a task\'s codicon');
  await host(page, { type: 'task', task: agentTask(), templateName: 'Orchestrator', looks: { icon: 'rocket', color: '#10B981' } });
  await page.locator('.chat-header .template-icon.codicon-rocket').waitFor();
  assert.equal(await headerIcon.evaluate(e => getComputedStyle(e).color), 'rgb(16, 185, 129)');
  assert.equal(await headerIcon.getAttribute('aria-hidden'), 'true', 'decoration: the title names the task');
  await page.screenshot({ path: path.join(screenshots, 'task-header-looks-light.png'), clip: { x: 0, y: 0, width: 1000, height: 120 } });
  // VS Code marks a high-contrast theme on the body: the template's colour yields to the theme's.
  await page.evaluate(() => document.body.classList.add('vscode-high-contrast'));
  assert.equal(await headerIcon.evaluate(e => getComputedStyle(e).color), await page.locator('.chat-title').evaluate(e => getComputedStyle(e).color));
  await host(page, { type: 'task', task: agentTask(), templateName: 'Orchestrator', looks: { icon: '🧭' } });
  await page.locator('.chat-header .template-emoji', { hasText: '🧭' }).waitFor();
  assert.equal(await page.locator('.chat-header .template-icon').count(), 1, 'the icon is replaced, never added');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the header icon in dark and both high-contrast themes', async () => {
  for (const theme of ['dark', 'hcDark', 'hcLight']) {
    const { page } = await openTask({ theme });
    if (theme.startsWith('hc')) {
      await page.evaluate(light => document.body.classList.add(light ? 'vscode-high-contrast-light' : 'vscode-high-contrast'), theme === 'hcLight');
    }
    await host(page, { type: 'task', task: agentTask(), templateName: 'Orchestrator', looks: { icon: 'rocket', color: '#10B981' } });
    await page.locator('.chat-header .template-icon.codicon-rocket').waitFor();
    await page.screenshot({ path: path.join(screenshots, `task-header-looks-${theme}.png`), clip: { x: 0, y: 0, width: 1000, height: 120 } });
    await page.close();
  }
});

test('an approval card offers "Always allow `npm test` in this workspace" for a command the sidecar gave a prefix for', async () => {
  const { page, errors } = await openTask();
  const bash = (id, command, narrow) => ({ id, taskId: 't1', owner: 'task "Add a CSV exporter"', tool: 'bash', title: `Run ${command}`, preview: { kind: 'command', text: command }, narrow });
  await host(page, { type: 'approvals', approvals: [bash('approval-7', 'npm test', { kind: 'prefix', value: 'npm test' }), bash('approval-8', 'npm test && npm publish')] });
  const card = page.getByRole('group', { name: 'Run npm test', exact: true });
  await card.waitFor();
  const always = card.getByRole('button', { name: 'Always allow `npm test` in this workspace' });
  assert.equal(await always.innerText(), 'Always allow `npm test` in this workspace');
  await page.screenshot({ path: path.join(screenshots, 'task-webview-approval-prefix.png') });
  await always.click();
  assert.deepEqual(await lastPosted(page), { type: 'answerApproval', id: 'approval-7', decision: 'allowAlways', scope: 'workspace', commandPrefix: 'npm test' });
  // A chained command has no prefix to offer: only the whole tool.
  const chained = page.getByRole('group', { name: 'Run npm test && npm publish' });
  assert.equal(await chained.getByRole('button', { name: /^Always allow `/ }).count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('an approval card offers a host rule for `curl` to the one host it reaches, and each rule everywhere', async () => {
  const { page, errors } = await openTask();
  const curl = { id: 'approval-10', taskId: 't1', owner: 'task "Add a CSV exporter"', tool: 'bash', title: 'Run curl -s http://127.0.0.1:8080/ok',
    preview: { kind: 'command', text: 'curl -s http://127.0.0.1:8080/ok' }, narrow: { kind: 'prefix', value: 'curl' }, host: '127.0.0.1:8080' };
  await host(page, { type: 'approvals', approvals: [curl, writePrompt] });
  const card = page.getByRole('group', { name: 'Run curl -s http://127.0.0.1:8080/ok' });
  await card.waitFor();
  const toHost = card.getByRole('button', { name: 'Always allow `curl` to 127.0.0.1:8080 in this workspace' });
  assert.equal(await toHost.innerText(), 'Always allow `curl` to 127.0.0.1:8080 in this workspace');
  await page.screenshot({ path: path.join(screenshots, 'task-webview-approval-host.png') });
  await toHost.click();
  assert.deepEqual(await lastPosted(page), { type: 'answerApproval', id: 'approval-10', decision: 'allowAlways', scope: 'workspace', commandPrefix: 'curl', host: '127.0.0.1:8080' });
  await card.getByRole('button', { name: 'Always allow `curl` to 127.0.0.1:8080 everywhere, in every workspace' }).click();
  assert.deepEqual(await lastPosted(page), { type: 'answerApproval', id: 'approval-10', decision: 'allowAlways', scope: 'everywhere', commandPrefix: 'curl', host: '127.0.0.1:8080' });
  // Without a narrowing the user-wide rule is the whole tool's; no host rule is offered.
  const write = page.getByRole('group', { name: 'Write src/export/csv.ts (3 lines)' });
  assert.equal(await write.getByRole('button', { name: / to .* in this workspace$/ }).count(), 0);
  await write.getByRole('button', { name: 'Always allow write everywhere, in every workspace' }).click();
  assert.deepEqual(await lastPosted(page), { type: 'answerApproval', id: 'approval-1', decision: 'allowAlways', scope: 'everywhere' });
  assert.deepEqual(errors, []);
  await page.close();
});

for (const theme of ['dark', 'light', 'hcDark', 'hcLight']) {
  test(`a task's queued messages are readable in the ${theme} theme`, async () => {
    const { page, errors } = await openTask({ theme });
    const queued = (id, text) => ({ id, sessionId: 't1', text, createdAt: '2026-11-21T10:06:00Z' });
    await host(page, { type: 'queued', queued: [queued('q1', 'Use semicolons as separators'), queued('q2', 'Then update the README')] });
    await page.getByRole('group', { name: 'Queued message 2 of 2' }).waitFor();
    for (const selector of ['.queued-label', '.queued-text', '.queued-steer']) {
      const { ratio, color } = await page.locator(selector).first().evaluate(textContrast);
      assert.ok(ratio >= 4.5, `${selector} has a contrast of ${ratio}:1 (${color}) in ${theme}`);
    }
    const [queue, composer] = [await page.locator('section.queued').boundingBox(), await page.locator('.composer').boundingBox()];
    await page.screenshot({ path: path.join(screenshots, `task-webview-queued-${theme}.png`), clip: { x: 0, y: queue.y, width: composer.width, height: composer.y + composer.height - queue.y } });
    assert.deepEqual(errors, []);
    await page.close();
  });
}

const inContainer = (over = {}) => ({
  engine: 'Build box', engineId: 'codex://engines/build-box', image: 'plue-test:busybox', shortId: '3f2a1b9c0d1e',
  cpus: 2, memoryMb: 512, pids: 256, network: 'none', state: 'running', ...over,
});

for (const theme of ['dark', 'light', 'hcDark', 'hcLight']) {
  test(`a task in a container shows its engine, image, container, limits and network in the ${theme} theme`, async () => {
    const { page, errors } = await openTask({ theme, task: agentTask({ runs: 'container', container: inContainer() }) });
    if (theme.startsWith('hc')) {
      await page.evaluate(light => document.body.classList.add(light ? 'vscode-high-contrast-light' : 'vscode-high-contrast'), theme === 'hcLight');
    }
    const place = page.locator('.task-place');
    await place.waitFor();
    const words = (await place.innerText()).replace(/\s+/g, ' ');
    for (const part of ['Container on Build box', 'plue-test:busybox', '3f2a1b9c0d1e', '2 CPUs, 512 MiB memory, 256 processes', 'no network', 'running']) {
      assert.ok(words.includes(part), `the header says "${part}": ${words}`);
    }
    assert.doesNotMatch(words, /codex:\/\//, 'the engine is named, not its id');
    assert.match(await place.getAttribute('title'), /^Runs in a container on Build box: plue-test:busybox \(3f2a1b9c0d1e\)\nLimits: 2 CPUs, 512 MiB memory, 256 processes · network: no network\nContainer running$/);
    for (const selector of ['.task-place-engine', '.task-place-image', '.task-place-limits', '.task-place-state']) {
      const { ratio, color } = await page.locator(selector).evaluate(textContrast);
      assert.ok(ratio >= 4.5, `${selector} has a contrast of ${ratio}:1 (${color}) in ${theme}`);
    }
    await page.screenshot({ path: path.join(screenshots, `task-webview-container-${theme}.png`), clip: { x: 0, y: 0, width: 1000, height: 120 } });
    // A container that failed says why, in the error colour; one on this machine shows nothing.
    await host(page, { type: 'task', task: agentTask({ status: 'failed', runs: 'container', container: inContainer({ state: 'failed', reason: 'it ran out of memory (512 MiB)', network: 'engine', cpus: null, memoryMb: 512, pids: null }) }) });
    await page.locator('.task-place-state.state-failed').waitFor();
    assert.equal(await page.locator('.task-place-state').innerText(), 'failed: it ran out of memory (512 MiB)');
    assert.equal(await page.locator('.task-place-limits').innerText(), '512 MiB memory');
    assert.equal(await page.locator('.task-place-network').innerText(), 'the engine\'s own network');
    const failed = await page.locator('.task-place-state').evaluate(textContrast);
    assert.ok(failed.ratio >= 4.5, `the failed state has a contrast of ${failed.ratio}:1 in ${theme}`);
    await page.screenshot({ path: path.join(screenshots, `task-webview-container-failed-${theme}.png`), clip: { x: 0, y: 0, width: 1000, height: 120 } });
    await host(page, { type: 'task', task: agentTask({ runs: 'local' }) });
    await page.locator('.task-place').waitFor({ state: 'hidden' });
    assert.deepEqual(errors, []);
    await page.close();
  });
}

const asJob = (over = {}) => inContainer({ engine: 'Cluster', image: '192.168.241.1:5000/plue-runner:0f3c9a2b', shortId: null, network: 'engine', swarm: true, node: 'rack-2 (7hq2k1x9m0ab)', retried: null, lostCostUsd: null, ...over });

for (const theme of ['dark', 'light', 'hcDark', 'hcLight']) {
  test(`a sub-task running as a swarm job shows its swarm, node, image and that the swarm holds its key in the ${theme} theme`, async () => {
    const { page, errors } = await openTask({ theme, task: agentTask({ runs: 'container', container: asJob() }) });
    if (theme.startsWith('hc')) {
      await page.evaluate(light => document.body.classList.add(light ? 'vscode-high-contrast-light' : 'vscode-high-contrast'), theme === 'hcLight');
    }
    const place = page.locator('.task-place');
    await place.waitFor();
    const words = (await place.innerText()).replace(/\s+/g, ' ');
    for (const part of ['Job on the swarm Cluster', 'node rack-2 (7hq2k1x9m0ab)', '192.168.241.1:5000/plue-runner:0f3c9a2b', '2 CPUs, 512 MiB memory, 256 processes', 'the swarm holds its provider key while its job runs', 'running']) {
      assert.ok(words.includes(part), `the header says "${part}": ${words}`);
    }
    assert.doesNotMatch(words, /Container on|no network|engine's own network/, 'a job is told as a container here');
    assert.match(await place.getAttribute('title'), /^Runs as a job on the swarm Cluster, on node rack-2 \(7hq2k1x9m0ab\): 192\.168\.241\.1:5000\/plue-runner:0f3c9a2b\nLimits: 2 CPUs, 512 MiB memory, 256 processes · network: its node's own\nThe swarm holds its provider key while its job runs \(a secret made for the job, removed when it ends\)\nJob running$/);
    for (const selector of ['.task-place-engine', '.task-place-node', '.task-place-image', '.task-place-key', '.task-place-state']) {
      const { ratio, color } = await page.locator(selector).evaluate(textContrast);
      assert.ok(ratio >= 4.5, `${selector} has a contrast of ${ratio}:1 (${color}) in ${theme}`);
    }
    await page.screenshot({ path: path.join(screenshots, `task-webview-job-${theme}.png`), clip: { x: 0, y: 0, width: 1000, height: 120 } });
    // A job run again after its node was lost says so, and what the lost attempt cost stays in the tooltip's lines.
    await host(page, { type: 'task', task: agentTask({ runs: 'container', container: asJob({ node: 'rack-3 (k2m9q0x1a7bc)', retried: 'Ran again on another node: its node rack-2 (7hq2k1x9m0ab) was lost; the lost attempt cost $0.0123', lostCostUsd: 0.0123 }) }) });
    await page.locator('.task-place-retried').waitFor();
    assert.equal(await page.locator('.task-place-retried').innerText(), 'Ran again on another node: its node rack-2 (7hq2k1x9m0ab) was lost; the lost attempt cost $0.0123');
    const retried = await page.locator('.task-place-retried').evaluate(textContrast);
    assert.ok(retried.ratio >= 4.5, `the retry line has a contrast of ${retried.ratio}:1 in ${theme}`);
    await page.screenshot({ path: path.join(screenshots, `task-webview-job-retried-${theme}.png`), clip: { x: 0, y: 0, width: 1000, height: 120 } });
    assert.deepEqual(errors, []);
    await page.close();
  });
}
