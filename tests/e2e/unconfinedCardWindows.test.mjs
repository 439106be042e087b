// End to end, item 8 of the trust work for Windows ("where there is no sandbox, say it where it matters"): Windows has
// no sandbox Plue can use, so the chat's commands run unconfined, and the first command of the chat shows a card that
// says so and how to get isolation (a task in a container on Docker Desktop, or the folder in WSL), in each kind of
// theme; no fix commands, since there are none to run. This machine is Linux: the real sidecar is told the platform
// it sandboxes for through PLUE_SANDBOX_PLATFORM=windows, the one seam that chooses it (server/Sandbox/Bubblewrap.cs
// Platform; docs/SANDBOX.md), and all that follows from it is the product's own logic. The packaged extension inside
// code-server with its real sidecar, answered by a loopback OpenAI-compatible server that scripts the `bash` calls.
// Needs artifacts/plue-vscode.vsix.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { startFakeOpenAI } from './support/fakeOpenAI.mjs';
import { inEveryTheme, newLoopbackChat, openWorkbench, runCommand, sendMessage, test, visibleWebview } from './support/workbench.mjs';

const skip = process.platform === 'win32' ? 'on Windows the card shows without the seam (unconfinedCard.test.mjs covers Linux)' : false;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-unconfined-windows-e2e-'));
const workspace = path.join(scratch, 'windows-project');

/** Each RUN message: one `bash` call, then a word on what came back. */
function respond(body) {
  const lastUser = body.messages.findLast((m) => m.role === 'user');
  const results = body.messages.slice(body.messages.lastIndexOf(lastUser) + 1).filter((m) => m.role === 'tool');
  const content = lastUser?.content ?? '';
  const text = typeof content === 'string' ? content : content.map((p) => p.text ?? '').join('\n');
  const run = /RUN ([^\n]+)/.exec(text);
  if (!run) return { text: 'Nothing to run.' };
  return results.length === 0 ? { toolCalls: [{ name: 'bash', arguments: { command: run[1].trim() } }] } : { text: `Ran ${run[1].trim()}.` };
}

let workbench;
let page;
let provider;

before(async () => {
  if (skip) return;
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'README.md'), '# Windows project\n');
  provider = await startFakeOpenAI({ respond });
  workbench = await openWorkbench({ scratch, folder: workspace, env: { PLUE_HOME: path.join(scratch, 'plue-home'), PLUE_SANDBOX_PLATFORM: 'windows' } });
  page = workbench.page;
}, { timeout: 150_000 });

after(async () => {
  await workbench?.close();
  await provider?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

const chat = () => visibleWebview(page);
const card = () => chat().getByRole('region', { name: 'Not sandboxed' });

test('unconfinedCardWindows: the first command of a chat on Windows shows the card with how to get isolation, in every kind of theme', { skip, timeout: 300_000 }, async () => {
  await newLoopbackChat(page, provider.endpoint);
  await runCommand(page, 'View: Close Primary Side Bar');

  const command = 'echo first > first.txt';
  await sendMessage(page, `RUN ${command}`);
  const approval = chat().locator('.approval-card', { hasText: command });
  await approval.waitFor();
  assert.equal(await approval.locator('.approval-sandbox').innerText(), 'Runs without the sandbox: Workspace write, which this machine cannot apply');
  await approval.getByRole('button', { name: /^Allow .* once$/ }).click();
  await runCommand(page, 'Notifications: Clear All Notifications');
  await chat().locator('article.message-assistant.status-complete', { hasText: `Ran ${command}.` }).waitFor();

  await card().waitFor();
  assert.equal(fs.readFileSync(path.join(workspace, 'first.txt'), 'utf8'), 'first\n', 'the command did not run');
  assert.equal(await card().locator('.sandbox-title').innerText(), 'This command ran without a sandbox, with your full access');
  const why = await card().locator('.unconfined-why').innerText();
  assert.match(why, /^Windows has no sandbox Plue can use, so commands the agent runs are not sandboxed: /);
  assert.match(why, /run the task in a container \(start Docker Desktop; docs\/CONTAINERS\.md\) or open the folder in WSL/, 'the card does not say how to get isolation');
  assert.equal(await card().locator('pre code').count(), 0, 'Windows has no commands to run');
  await inEveryTheme(page, 'unconfined-card-windows', () => card().waitFor());
});
