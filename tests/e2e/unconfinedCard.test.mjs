// End to end, item 8 of the trust work ("where there is no sandbox, say it where it matters"): a machine where
// bubblewrap is installed but cannot make a sandbox (Ubuntu 24.04's AppArmor restriction; here a bwrap that fails the
// way it does there, named by PLUE_BWRAP, and the restriction's setting read from a file PLUE_APPARMOR_USERNS_FILE
// names, docs/SANDBOX.md) runs the chat's commands unconfined, and the first command of the chat shows a card saying
// so, why, and Ubuntu's narrow fix (an AppArmor profile for bwrap alone) as the exact commands, in each kind of theme;
// the chat's second command does not repeat it. The packaged extension inside code-server with its real sidecar, answered by a loopback
// OpenAI-compatible server that scripts the `bash` calls. Needs artifacts/plue-vscode.vsix.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { startFakeOpenAI } from './support/fakeOpenAI.mjs';
import { inEveryTheme, newLoopbackChat, openWorkbench, runCommand, sendMessage, test, visibleWebview } from './support/workbench.mjs';

const skip = process.platform !== 'linux' ? 'PLUE_BWRAP names a bubblewrap on Linux only' : false;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-unconfined-e2e-'));
const workspace = path.join(scratch, 'unconfined-project');

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
  fs.writeFileSync(path.join(workspace, 'README.md'), '# Unconfined project\n');
  // What bwrap answers where unprivileged user namespaces are refused.
  const bwrap = path.join(scratch, 'bwrap');
  fs.writeFileSync(bwrap, '#!/bin/sh\necho "bwrap: setting up uid map: Permission denied" >&2\nexit 1\n', { mode: 0o755 });
  const restriction = path.join(scratch, 'apparmor_restrict_unprivileged_userns');
  fs.writeFileSync(restriction, '1\n');
  provider = await startFakeOpenAI({ respond });
  workbench = await openWorkbench({ scratch, folder: workspace, env: { PLUE_HOME: path.join(scratch, 'plue-home'), PLUE_BWRAP: bwrap, PLUE_APPARMOR_USERNS_FILE: restriction } });
  page = workbench.page;
}, { timeout: 150_000 });

after(async () => {
  await workbench?.close();
  await provider?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

const chat = () => visibleWebview(page);
const card = () => chat().getByRole('region', { name: 'Not sandboxed' });

/** Sends a RUN message and allows its call in the chat's approval card. */
async function run(command) {
  await sendMessage(page, `RUN ${command}`);
  const approval = chat().locator('.approval-card', { hasText: command });
  await approval.waitFor();
  // The approval card does not promise a sandbox this machine cannot make.
  assert.equal(await approval.locator('.approval-sandbox').innerText(), 'Runs without the sandbox: Workspace write, which this machine cannot apply');
  await approval.getByRole('button', { name: /^Allow .* once$/ }).click();
  await runCommand(page, 'Notifications: Clear All Notifications');
  await chat().locator('article.message-assistant.status-complete', { hasText: `Ran ${command}.` }).waitFor();
}

test('unconfinedCard: the first command of a chat without a sandbox shows the card with why and what to do, once', { skip, timeout: 300_000 }, async () => {
  await newLoopbackChat(page, provider.endpoint);
  await runCommand(page, 'View: Close Primary Side Bar');

  await run('echo first > first.txt');
  await card().waitFor();
  assert.equal(fs.readFileSync(path.join(workspace, 'first.txt'), 'utf8'), 'first\n', 'the command did not run');
  assert.equal(await card().locator('.sandbox-title').innerText(), 'This command ran without a sandbox, with your full access');
  const why = await card().locator('.unconfined-why').innerText();
  assert.match(why, /^Bubblewrap cannot make a sandbox on this machine \(bwrap: setting up uid map: Permission denied\)/);
  assert.match(why, /AppArmor keeps programs from making user namespaces/);
  assert.match(why, /reload the window\.$/, 'the card does not say what to do');
  const fix = await card().locator('pre code').innerText();
  assert.match(fix, /^sudo tee \/etc\/apparmor\.d\/bwrap > \/dev\/null <<'EOF'\n/);
  assert.match(fix, / {2}userns,\n/);
  assert.match(fix, /\nsudo apparmor_parser -r \/etc\/apparmor\.d\/bwrap$/);
  assert.doesNotMatch(why, new RegExp(scratch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'the card names a file path of the machine');
  await inEveryTheme(page, 'unconfined-card', () => card().waitFor());

  await run('echo second > second.txt');
  assert.equal(await card().count(), 1, 'the second command shows the card again');
});
