// End to end: the sandbox's denial in the chat, in the packaged extension inside code-server with its real sidecar and
// bubblewrap, answered by a loopback OpenAI-compatible server that scripts a `bash` call. In Agent mode the call asks
// first (allowed in its card); it writes a file outside the workspace, which the sandbox (workspace-write, the default)
// keeps read-only: the call's card says the sandbox denied it and names the path, in each kind of theme. "Allow this
// once" runs that call again with the path writable: the file is written and the card says it was allowed this once.
// Skipped, saying why, where bubblewrap is missing or the repository lies where the sandbox hides (docs/SANDBOX.md).
// Needs artifacts/plue-vscode.vsix.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { repoRoot } from '../support/codeServer.mjs';
import { startFakeOpenAI } from './support/fakeOpenAI.mjs';
import { inEveryTheme, newLoopbackChat, openWorkbench, runCommand, sendMessage, test, visibleWebview } from './support/workbench.mjs';

const bwrap = ['/usr/bin/bwrap', '/bin/bwrap', '/usr/local/bin/bwrap'].find((p) => fs.existsSync(p));
/**
 * The file is written outside the workspace in a folder the sandbox shows read-only: under the repository, unless the
 * repository lies where the sandbox hides (the system temp folders are private to it, the home is hidden), where a
 * write fails as "no such file", which is not told as a denial.
 */
const repository = fs.realpathSync(repoRoot);
const hiddenFrom = ['/tmp', '/var/tmp', os.homedir()].map((p) => (fs.existsSync(p) ? fs.realpathSync(p) : p))
  .find((place) => repository === place || repository.startsWith(`${place}/`));
const skip = process.platform !== 'linux' ? 'the sandbox is Linux-only (bubblewrap)'
  : !bwrap ? 'bubblewrap is missing: install it (sudo apt-get install bubblewrap, or bash scripts/install-tools.sh)'
    : hiddenFrom ? `the repository lies in ${hiddenFrom}, which the sandbox hides: no folder outside the workspace is left in sight to write to` : false;

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-sandbox-e2e-'));
const workspace = path.join(scratch, 'sandbox-project');
let outside;
let target;

/** The agent's turn: one `bash` call writing the file outside, then a word on what came back. */
function respond(body) {
  const lastUser = body.messages.findLast((m) => m.role === 'user');
  const results = body.messages.slice(body.messages.lastIndexOf(lastUser) + 1).filter((m) => m.role === 'tool');
  if (!JSON.stringify(lastUser?.content ?? '').includes('WRITE-OUTSIDE')) return { text: 'Looked at it.' };
  return results.length === 0
    ? { toolCalls: [{ name: 'bash', arguments: { command: `echo sandbox-e2e > ${target}; echo tried` } }] }
    : { text: 'The sandbox stopped the write.' };
}

let workbench;
let page;
let provider;

before(async () => {
  if (skip) return;
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'README.md'), '# Sandbox project\n');
  const artifacts = path.join(repository, 'artifacts');
  fs.mkdirSync(artifacts, { recursive: true });
  outside = fs.mkdtempSync(path.join(artifacts, 'sandbox-outside-e2e-'));
  target = path.join(outside, 'report.txt');
  provider = await startFakeOpenAI({ respond });
  workbench = await openWorkbench({ scratch, folder: workspace, env: { PLUE_HOME: path.join(scratch, 'plue-home') } });
  page = workbench.page;
}, { timeout: 150_000 });

after(async () => {
  await workbench?.close();
  await provider?.close();
  if (outside) fs.rmSync(outside, { recursive: true, force: true });
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

const chat = () => visibleWebview(page);
const denied = () => chat().getByRole('region', { name: 'Sandbox denied' });
const allowed = () => chat().getByRole('region', { name: 'Sandbox allowed' });

test('a write outside the workspace shows as the sandbox\'s denial with its path; Allow this once runs the call again and it writes', { skip, timeout: 300_000 }, async () => {
  await newLoopbackChat(page, provider.endpoint);
  // The chat alone on screen, wide: the card is what the screens show.
  await runCommand(page, 'View: Close Primary Side Bar');

  await sendMessage(page, 'WRITE-OUTSIDE: save the report next to the repository');
  const approval = chat().locator('.approval-card', { hasText: 'sandbox-e2e' });
  await approval.waitFor();
  await approval.getByRole('button', { name: /^Allow .* once$/ }).click();
  // The question's notification stays once answered in the card (VS Code cannot take a notification back): cleared,
  // the screens show the chat alone.
  await runCommand(page, 'Notifications: Clear All Notifications');

  await denied().waitFor();
  await chat().locator('article.message-assistant.status-complete', { hasText: 'The sandbox stopped the write.' }).waitFor();
  assert.ok(!fs.existsSync(target), 'the write outside the workspace was not stopped');
  assert.match(await denied().locator('.sandbox-title').innerText(), /^The sandbox denied this call: Workspace write \(home hidden, no network\)$/);
  assert.deepEqual(await denied().locator('.sandbox-denials li').allInnerTexts(), [`Writing ${target} (outside the workspace)`]);
  const sent = JSON.stringify(provider.chats().at(-1).body.messages.at(-1));
  assert.match(sent, /Read-only file system/, 'the model was not told what the shell said');
  assert.ok(sent.includes(`denied: ${target} (outside the workspace)`), `the model was not told what was denied: ${sent}`);
  await inEveryTheme(page, 'sandbox-denial', () => denied().getByRole('button', { name: /^Allow this once/ }).waitFor());

  await denied().getByRole('button', { name: /^Allow this once/ }).click();
  await allowed().waitFor();
  assert.equal(fs.readFileSync(target, 'utf8'), 'sandbox-e2e\n', 'allowed once, the call did not write');
  assert.equal(await allowed().locator('.sandbox-title').innerText(), 'Run again, allowed this once');
  assert.equal(await allowed().getByRole('button').count(), 0, 'the card still offers to allow it');
  assert.equal(await denied().count(), 0, 'the denial is still shown');
  const result = chat().locator('.part-sandboxed details').filter({ hasText: 'Result of bash' });
  await result.locator('summary').click();
  assert.match(await result.locator('code').innerText(), /^tried\n[\s\S]*Run again by the user with what the sandbox denied allowed this once\./);
  await inEveryTheme(page, 'sandbox-allowed-once', () => allowed().waitFor());
});
