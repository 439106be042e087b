// End to end: the `plue` command line and the packaged extension in code-server, side by side on one PLUE_HOME. The
// provider instance is added in VS Code (its key goes to the home's vault); the real `plue` binary, run as a child
// with no key of its own, opens that vault, asks a question and runs an agent task. Without a reload, the chat
// appears under User Chats and the task under Agent Tasks, its status following the run (running, then completed).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { startFakeOpenAI } from './support/fakeOpenAI.mjs';
import { fillAddProvider, notification, openWorkbench, runCommand, saveScreenshot, showPlue, test } from './support/workbench.mjs';

const { plue: runPlue } = createRequire(import.meta.url)('../node/support/plue.js');

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-cli-e2e-'));
const workspace = path.join(scratch, 'terminal-project');
const home = path.join(scratch, 'plue-home');
const apiKey = 'gsk_cli_e2e_key_123';

/** The task's one reply waits for the test to let it go, so its running state can be seen first. */
let releaseTask;
const taskReleased = new Promise((resolve) => { releaseTask = resolve; });

function respond(body) {
  const asked = JSON.stringify(body.messages.filter(m => m.role === 'user').map(m => m.content));
  if (asked.includes('E2E-CLI-TASK')) return { text: 'Nothing to change: the project is fine.', before: taskReleased };
  if (asked.includes('E2E-CLI-ASK')) return { text: 'Asked from a terminal, answered here.' };
  return { text: 'No script for this question.' };
}

/**
 * `plue <args>` as a user's shell runs it: the same PLUE_HOME as the window, no PLUE_VAULT_KEY (the home's key file),
 * the workspace as the current folder. Resolves {code, stdout, stderr} when it exits.
 */
function plue(args) {
  return runPlue(args, { home, cwd: workspace, vaultKey: null, timeoutMs: 120_000 });
}

let workbench;
let page;
let provider;

before(async () => {
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'README.md'), '# A project worked on from a terminal\n');
  provider = await startFakeOpenAI({ respond });
  workbench = await openWorkbench({ scratch, folder: workspace, env: { PLUE_HOME: home } });
  page = workbench.page;
}, { timeout: 150_000 });

after(async () => {
  releaseTask();
  await workbench?.close();
  await provider?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

const tree = () => page.locator('.pane', { hasText: 'Channels' });
const row = title => tree().getByRole('treeitem', { name: new RegExp(`^${title}`) });

test('a chat asked with `plue ask` appears in the Channels tree without a reload', { timeout: 180_000 }, async () => {
  await runCommand(page, 'Plue: Add Provider Instance');
  await fillAddProvider(page, { provider: 'Groq', name: 'Loopback Groq', endpoint: provider.endpoint, key: apiKey });
  await notification(page, 'Loopback Groq works');
  await showPlue(page);
  await tree().waitFor();
  assert.ok(fs.existsSync(path.join(home, 'vault.key')), 'the key VS Code stored is under the home\'s key');

  const asked = await plue(['ask', 'E2E-CLI-ASK: where was this asked?', '-i', 'Loopback Groq']);
  assert.equal(asked.code, 0, asked.stderr);
  assert.equal(asked.stdout, 'Asked from a terminal, answered here.\n');
  assert.equal(provider.chats().at(-1).auth, `Bearer ${apiKey}`, 'the command line sent the key VS Code stored');

  await row('E2E-CLI-ASK: where was this asked\\?').waitFor({ timeout: 30_000 });
  await saveScreenshot(page, 'cli-e2e-chat.png');
});

test('a task run with `plue task run` shows in Agent Tasks with its live status', { timeout: 180_000 }, async () => {
  const run = plue(['task', 'run', 'task-code-writer', 'E2E-CLI-TASK: check the project, change nothing', '-i', 'Loopback Groq']);
  const task = row('E2E-CLI-TASK');
  await task.waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => [...document.querySelectorAll('.pane [role="treeitem"]')]
    .some(item => /^E2E-CLI-TASK.*, Running,/.test(item.getAttribute('aria-label') ?? '')), null, { timeout: 30_000 });
  await saveScreenshot(page, 'cli-e2e-task-running.png');

  releaseTask();
  const done = await run;
  assert.equal(done.code, 0, done.stderr);
  await page.waitForFunction(() => [...document.querySelectorAll('.pane [role="treeitem"]')]
    .some(item => /^E2E-CLI-TASK.*, Completed,/.test(item.getAttribute('aria-label') ?? '')), null, { timeout: 30_000 });
});
