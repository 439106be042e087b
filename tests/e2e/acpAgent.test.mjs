// End to end: a chat on a real ACP agent from npm (Zed's Claude Code adapter, against a loopback Anthropic API), in
// the packaged extension inside code-server with its real sidecar. The instance is added with the `plue` command line
// on the same home, as a user may. The agent's write asks Plue, and the question is answered from the chat's approval
// card; the file lands inside the workspace, and a write outside it never does.
// Needs artifacts/plue-vscode.vsix and the platform sidecar (dist/sidecar/plue).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { claudeCodeAcp, fakeAnthropic, writingAgent } from '../support/acpAgent.mjs';
import { openWorkbench, pickModel, runCommand, saveScreenshot, test, visibleWebview } from './support/workbench.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'plue-acp-e2e-')));
const workspace = path.join(scratch, 'acp-project');
const outside = path.join(scratch, 'outside');
const home = path.join(scratch, 'plue-home');
const cleanups = [];

/** What the loopback model does: a write inside the workspace, one outside. */
const reply = writingAgent({ 'write inside': path.join(workspace, 'inside.txt'), 'write outside': path.join(outside, 'escape.txt') });

let workbench;
let page;

before(async () => {
  fs.mkdirSync(workspace, { recursive: true });
  fs.mkdirSync(outside);
  const anthropic = await fakeAnthropic({ after: (fn) => cleanups.push(fn) }, reply);
  // The instance, through the command line on the window's home (the same vault key: the keychain, else the home's file).
  execFileSync(path.join(root, 'dist', 'sidecar', 'plue'), ['instances', 'add', 'acp-agent', '--no-key', '--name', 'Claude Code over ACP',
    '--program', claudeCodeAcp, '--env', `ANTHROPIC_BASE_URL=${anthropic.endpoint}`, '--env', 'ANTHROPIC_API_KEY=loopback-anthropic-key',
    '--env', `CLAUDE_CONFIG_DIR=${path.join(scratch, 'claude-config')}`, '--env', 'CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1', '--env', 'DISABLE_AUTOUPDATER=1'],
  { env: { ...process.env, PLUE_HOME: home }, stdio: 'pipe' });
  workbench = await openWorkbench({ scratch, folder: workspace, env: { PLUE_HOME: home } });
  page = workbench.page;
}, { timeout: 150_000 });

after(async () => {
  await workbench?.close();
  for (const cleanup of cleanups) cleanup();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

const chat = () => visibleWebview(page);

async function send(text) {
  await chat().getByRole('textbox', { name: 'Message' }).click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** The turn's answer once it ended, allowing each approval card that shows meanwhile; returns how many there were. */
async function answered(text) {
  const done = chat().locator('article.message-assistant.status-complete', { hasText: text });
  let allowed = 0;
  for (let waited = 0; !await done.count(); waited += 250) {
    assert.ok(waited < 120_000, `no answer holding "${text}" after two minutes`);
    const card = chat().locator('.approval-card').first();
    if (await card.count()) {
      await saveScreenshot(page, 'acp-agent-card.png');
      await card.getByRole('button', { name: /^Allow .* once$/ }).click();
      await card.waitFor({ state: 'detached' });
      allowed++;
    }
    await page.waitForTimeout(250);
  }
  return allowed;
}

test('a chat on an ACP agent streams its answer, asks through the approval card before a write, and writes only inside the workspace', { timeout: 360_000 }, async () => {
  await runCommand(page, 'Plue: New Chat');
  await pickModel(page, 'Claude Code over ACP', 'The agent\'s own model');
  await chat().getByRole('textbox', { name: 'Message' }).waitFor();

  await send('say hello');
  assert.equal(await answered('Hello from the agent.'), 0, 'text alone asked for approval');

  await send('write inside');
  assert.equal(await answered('Tool said:'), 1, 'the write was not asked through the card');
  assert.equal(fs.readFileSync(path.join(workspace, 'inside.txt'), 'utf8'), 'written by the agent\n');

  await send('write outside');
  await answered('outside');
  assert.equal(fs.existsSync(path.join(outside, 'escape.txt')), false, 'the agent wrote outside the workspace');
  await saveScreenshot(page, 'acp-agent-chat.png');
});
