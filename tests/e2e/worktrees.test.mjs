// End to end: writers in worktrees, in the packaged extension inside code-server with its real sidecar, answered by a
// loopback OpenAI-compatible server scripted per goal. In a git workspace of one committed file, an orchestrator run
// from the palette spawns three code writers that each rewrite the same line; each works in its own git worktree under
// the home (the workspace file untouched while they wait for approval). The orchestrator merges the first with
// merge_changes (asked like a write); the user reviews the second's diff and applies it, which conflicts and opens VS
// Code's merge editor, where the writer's side is accepted and Complete Merge writes the file; the third is discarded.
// No worktree is left, and the tree's cost and approvals are what they are without worktrees.
// Needs artifacts/plue-vscode.vsix.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { startFakeOpenAI } from './support/fakeOpenAI.mjs';
import { contextMenu, fillAddProvider, notification, openWorkbench, runCommand, runTask, saveScreenshot, setColorTheme, showPlue, test } from './support/workbench.mjs';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-worktrees-e2e-'));
const workspace = path.join(scratch, 'greeting-project');
const home = path.join(scratch, 'plue-home');
const worktrees = path.join(home, 'worktrees');
const file = path.join(workspace, 'greeting.ts');
const FIRST = 'export const greeting = \'hello\';\n';
const themes = [['Dark Modern', 'dark'], ['Dark High Contrast', 'hc-dark'], ['Light High Contrast', 'hc-light'], ['Light Modern', 'light']];

/** Each writer puts its own word on the same line. */
const writers = {
  A: { title: 'Greeting A', content: 'export const greeting = \'ahoy\';\n' },
  B: { title: 'Greeting B', content: 'export const greeting = \'bonjour\';\n' },
  C: { title: 'Greeting C', content: 'export const greeting = \'ciao\';\n' },
};

/** The orchestrator spawns the three writers, then merges A's changes by the reference its spawn result gave, then reports; each writer writes, then says so. */
function respond(body) {
  const goal = JSON.stringify(body.messages.find((m) => m.role === 'user')?.content ?? '');
  const turn = body.messages.filter((m) => m.role === 'assistant').length;
  const writer = Object.keys(writers).find((key) => goal.includes(`E2E-WRITER-${key}`));
  if (writer) {
    return turn === 0
      ? { toolCalls: [{ name: 'write', arguments: { path: 'greeting.ts', content: writers[writer].content } }] }
      : { text: `Wrote greeting.ts for ${writers[writer].title}.` };
  }
  if (goal.includes('E2E-MERGE')) {
    if (turn === 0) {
      return {
        text: 'Three greetings, one writer each.',
        toolCalls: Object.entries(writers).map(([key, w]) => ({
          name: 'spawn_task', arguments: { template: 'task-code-writer', title: w.title, goal: `E2E-WRITER-${key}: rewrite the greeting in greeting.ts.` },
        })),
      };
    }
    if (turn === 1) {
      const results = body.messages.filter((m) => m.role === 'tool').map((m) => String(m.content));
      const reference = results.find((r) => r.includes(`"${writers.A.title}"`))?.match(/\((codex:\/\/tasks\/[^;]+);/)?.[1];
      return { text: 'Merging the first.', toolCalls: [{ name: 'merge_changes', arguments: { task: reference ?? 'no reference in the spawn result' } }] };
    }
    return { text: '## Summary\n\nGreeting A is merged; B and C wait for your review.' };
  }
  return { text: 'No script for this goal.' };
}

let workbench;
let page;
let provider;

before(async () => {
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(file, FIRST);
  const git = (...args) => execFileSync('git', ['-c', 'user.name=E2E', '-c', 'user.email=e2e@example.invalid', ...args], { cwd: workspace });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'first');
  provider = await startFakeOpenAI({ respond });
  workbench = await openWorkbench({ scratch, folder: workspace, env: { PLUE_HOME: home } });
  page = workbench.page;
}, { timeout: 150_000 });

after(async () => {
  await workbench?.close();
  await provider?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

const tree = () => page.locator('.pane', { hasText: 'Channels' });
const row = (title) => tree().getByRole('treeitem', { name: new RegExp(`^${title}`) });
const toast = (text) => page.locator('.notifications-toasts .notification-toast', { hasText: text });
const gitWorktrees = () => execFileSync('git', ['worktree', 'list', '--porcelain'], { cwd: workspace, encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('worktree '));

/** Answers Allow on the approval notification that holds `text`, from its toast or, once it timed out, the notification centre. */
async function allow(text) {
  if (!await toast(text).first().isVisible()) await runCommand(page, 'Notifications: Show Notifications');
  const item = page.locator('.notification-list-item', { hasText: text }).first();
  await item.getByRole('button', { name: 'Allow' }).click();
  await item.waitFor({ state: 'detached' });
}

test('three writers on one line each work in their own worktree under the home, the workspace untouched', { timeout: 240_000 }, async () => {
  await runCommand(page, 'Plue: Add Provider Instance');
  await fillAddProvider(page, { provider: 'Groq', name: 'Loopback Groq', endpoint: provider.endpoint, key: 'gsk_worktrees_e2e_key_123' });
  await notification(page, 'Loopback Groq works');
  await showPlue(page);
  await tree().waitFor();
  await runTask(page, { template: 'Orchestrator', goal: 'E2E-MERGE: have greeting.ts rewritten three ways and merge the first', instance: 'Loopback Groq', model: 'Kimi K2 0905' });

  for (const { title } of Object.values(writers)) {
    await row(title).locator('.codicon-bell-dot').waitFor({ timeout: 90_000 });
  }
  // While they wait to write, each has its worktree under the home, and git knows of it; the workspace is as it was.
  assert.equal(fs.readdirSync(worktrees).length, 3);
  assert.equal(gitWorktrees().length, 4);
  assert.equal(fs.readFileSync(file, 'utf8'), FIRST);
  await saveScreenshot(page, 'worktrees-e2e-waiting.png');

  for (const { title } of Object.values(writers)) await allow(`"${title}" asks: Write greeting.ts`);
  for (const { title } of Object.values(writers)) await row(title).locator('.codicon-pass').waitFor({ timeout: 90_000 });
  assert.equal(fs.readFileSync(file, 'utf8'), FIRST, 'a writer in a worktree wrote into the workspace');
  for (const [key, { content }] of Object.entries(writers)) {
    const theirs = fs.readdirSync(worktrees).map((id) => path.join(worktrees, id, 'tree', 'greeting.ts')).filter((f) => fs.readFileSync(f, 'utf8') === content);
    assert.equal(theirs.length, 1, `writer ${key}'s version is not in exactly one worktree`);
  }
});

test('the orchestrator merges the first writer\'s changes with merge_changes once the user allows it', { timeout: 180_000 }, async () => {
  const question = `Merge the changes of "${writers.A.title}" (greeting.ts) into the workspace`;
  await page.locator('.notification-toast, .notification-list-item', { hasText: question }).first().waitFor({ timeout: 90_000 });
  await saveScreenshot(page, 'worktrees-e2e-merge-approval.png');
  await allow(question);
  await row('E2E-MERGE').locator('.codicon-pass').waitFor({ timeout: 90_000 });
  assert.equal(fs.readFileSync(file, 'utf8'), writers.A.content);
  assert.equal(fs.readdirSync(worktrees).length, 2, 'the merged writer\'s worktree is still there');
  const told = JSON.stringify(provider.chats().at(-1).body.messages);
  assert.match(told, /Merged the changes of \\"Greeting A\\" into .*greeting\.ts \(modified\)/);
});

test('the user reviews the second writer\'s diff and applies it: the conflict opens in the merge editor, where the writer\'s side is kept', { timeout: 300_000 }, async () => {
  await contextMenu(page, row(writers.B.title), 'Review Changes', { shows: page.locator('.tab', { hasText: `Changes of ${writers.B.title}` }) });
  await page.locator('.monaco-editor .line-insert, .monaco-editor .char-insert').first().waitFor();
  await saveScreenshot(page, 'worktrees-e2e-review.png');

  await contextMenu(page, row(writers.B.title), 'Apply Changes');
  await notification(page, 'changed lines the workspace had changed too in greeting.ts');
  const accept = page.locator('.merge-editor-conflict-actions a[role="button"]', { hasText: `Accept ${writers.B.title}` });
  await accept.first().waitFor();
  const markers = fs.readFileSync(file, 'utf8');
  assert.match(markers, /<<<<<<<[^]*ahoy[^]*bonjour[^]*>>>>>>>/, 'the file does not hold both sides in conflict markers');
  for (const [name, kind] of themes) {
    await setColorTheme(page, name, kind);
    await saveScreenshot(page, `worktrees-e2e-merge-editor-${kind}.png`);
  }
  await accept.first().click();
  // Outside a git merge the editor shows no Complete Merge button: its command, as the palette offers it.
  await runCommand(page, 'Merge Editor: Complete Merge');
  await page.waitForFunction(() => !document.querySelector('.merge-editor-conflict-actions'));
  assert.equal(fs.readFileSync(file, 'utf8'), writers.B.content);
});

test('the third is discarded: no worktree is left, and the tree\'s cost and approvals are as without worktrees', { timeout: 120_000 }, async () => {
  await contextMenu(page, row(writers.C.title), 'Discard Changes', { shows: page.locator('.monaco-dialog-box') });
  await page.locator('.monaco-dialog-box').getByRole('button', { name: 'Discard' }).click();
  // Its row no longer offers a file to review (a finished task's row shows its model, not its status).
  await row(writers.C.title).locator('.label-description', { hasNotText: 'to review' }).waitFor();
  assert.deepEqual(fs.readdirSync(worktrees), []);
  assert.equal(gitWorktrees().length, 1);
  assert.equal(fs.readFileSync(file, 'utf8'), writers.B.content);

  // 9 calls of $0.024: the orchestrator's three, two for each writer.
  const orchestrator = row('E2E-MERGE');
  await orchestrator.locator('.label-description', { hasText: '$0.2160' }).waitFor();
  // Every question was answered: three writes and one merge, none left waiting.
  await page.waitForFunction(() => ![...globalThis.document.querySelectorAll('.activitybar .badge-content')].some((badge) => badge.textContent.trim()));
  const asked = provider.chats().filter((c) => JSON.stringify(c.body.messages.find((m) => m.role === 'user')?.content).includes('E2E-WRITER')).length;
  assert.equal(asked, 6);
});
