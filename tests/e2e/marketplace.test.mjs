// End to end, as a Marketplace user meets Plue: the linux-x64 VSIX (npm run package) installed into a code-server
// whose environment has no `dotnet` on PATH and no DOTNET_ROOT, so the sidecar can only be the self-contained one
// inside the VSIX. The "Get Started with Plue" walkthrough is opened and each of its steps checks itself as the user
// does it through the UI: a provider added, a chat streamed from a loopback provider, a task run, the tree looked at.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { startFakeOpenAI } from './support/fakeOpenAI.mjs';
import { environmentWithoutDotnet } from './support/noDotnet.mjs';
import { fillAddProvider, notification, openWorkbench, pickModel, runCommand, runCommandToPick, runTask, saveScreenshot, showPlue, test, vsix } from './support/workbench.mjs';
import { noteRetry } from './support/evidence.mjs';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-market-e2e-'));
const workspace = path.join(scratch, 'first-project');

function respond(body) {
  const goal = JSON.stringify(body.messages.find(m => m.role === 'user')?.content ?? '');
  return goal.includes('E2E-FIRST-TASK')
    ? { text: '## Done\n\nThe README now says what the project is.' }
    : { reasoning: 'A first question.', text: '## Hello\n\nPlue streams this answer **as it is written**, from a provider on 127.0.0.1.\n\n```ts\nconsole.log("hello");\n```', gapMs: 20 };
}

let workbench;
let page;
let provider;

before(async () => {
  const target = /TargetPlatform="([^"]+)"/.exec(execFileSync('unzip', ['-p', vsix, 'extension.vsixmanifest'], { encoding: 'utf8' }))?.[1];
  assert.equal(target, 'linux-x64', `${vsix} must be the linux-x64 VSIX (npm run package on linux-x64)`);
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, 'README.md'), '# First project\n');
  provider = await startFakeOpenAI({ respond });
  workbench = await openWorkbench({
    scratch,
    folder: workspace,
    settings: { 'workbench.colorTheme': 'Default Light Modern' },
    env: { ...environmentWithoutDotnet(scratch), PLUE_HOME: path.join(scratch, 'plue-home') },
  });
  page = workbench.page;
}, { timeout: 150_000 });

after(async () => {
  await workbench?.close();
  await provider?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

const toast = text => page.locator('.notifications-toasts .notification-toast', { hasText: text });
const step = id => page.locator(`button.getting-started-step[data-step-id$="#${id}"]`);
const chat = () => page.frameLocator('iframe.webview.ready[src*="extensionId=plue.plue-vscode"]:visible').frameLocator('#active-frame');

async function openWalkthrough() {
  await runCommandToPick(page, 'Welcome: Open Walkthrough...', 'Get Started with Plue');
  await page.locator('.gettingStartedSlideDetails', { hasText: 'Get Started with Plue' }).waitFor();
}

test('the sidecar that runs is the VSIX\'s own executable, in an environment with no dotnet', { timeout: 90_000 }, async () => {
  await runCommand(page, 'Plue: Show Sidecar Status');
  const text = await toast('Plue sidecar').locator('.notification-list-item-message').innerText();
  const pid = /pid (\d+)/.exec(text)?.[1];
  assert.ok(pid, `no pid in: ${text}`);
  const exe = fs.readlinkSync(`/proc/${pid}/exe`);
  const extensions = workbench.server.dirs.extensions;
  const folder = fs.readdirSync(extensions).find(name => name.startsWith('plue.plue-vscode-'));
  assert.ok(folder, `the VSIX is not installed in ${extensions}`);
  const installed = path.join(extensions, folder, 'dist', 'sidecar', 'plue');
  assert.equal(exe, installed, 'the sidecar is not the executable installed from the VSIX');
  // The sidecar inherits the extension host's environment: the set-up held, no dotnet was to be found.
  const environ = Object.fromEntries(fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean)
    .map(pair => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
  assert.equal(environ.DOTNET_ROOT, undefined);
  const reachable = environ.PATH.split(':').filter(dir => fs.existsSync(path.join(dir, 'dotnet')));
  assert.deepEqual(reachable, [], 'dotnet is on the sidecar\'s PATH');
});

test('the extension logs how long it took to activate', { timeout: 30_000 }, async (t) => {
  const logs = path.join(workbench.server.dirs.data, 'logs');
  const log = fs.readdirSync(logs, { recursive: true }).map(String).find(f => f.endsWith(path.join('plue.plue-vscode', 'Plue.log')));
  assert.ok(log, `no Plue.log under ${logs}`);
  const activated = /Activated in (\d+) ms/.exec(fs.readFileSync(path.join(logs, log), 'utf8'));
  assert.ok(activated, 'the "Plue" output has no activation time');
  t.diagnostic(`activation: ${activated[1]} ms`);
});

test('the walkthrough\'s steps check themselves: provider, chat, task, tree', { timeout: 240_000 }, async () => {
  await openWalkthrough();
  for (const id of ['provider', 'chat', 'task', 'watch']) {
    assert.equal(await step(id).getAttribute('aria-checked'), 'false', `${id} is done before anything happened`);
  }
  await page.mouse.move(700, 800);
  await saveScreenshot(page, 'walkthrough-light.png');

  // 1. A provider, from the step's own button.
  await step('provider').click();
  // The page moves the focus to a step it selects once the step's slide has run (a few hundred ms, not a state the page
  // shows): a quick pick opened before then loses the focus to it, and the Enter that picks the provider went to the
  // step (seen in every full run: "Enter on Groq" retried, the step's button focused). A person reads the step first.
  await page.waitForTimeout(600);
  await page.locator('.gettingStartedContainer').getByRole('button', { name: 'Add a Provider', exact: true }).click();
  await fillAddProvider(page, { provider: 'Groq', name: 'Loopback Groq', endpoint: provider.endpoint, key: 'gsk_market_e2e_key_123' });
  await notification(page, 'Loopback Groq works');
  await page.locator('button.getting-started-step[aria-checked="true"][data-step-id$="#provider"]').waitFor();
  // The walkthrough redraws (and takes the focus) as steps complete, which would close a quick pick opened meanwhile.
  await page.locator('.tab', { hasText: 'Walkthrough' }).locator('.codicon-close').click();

  // 2. A chat, streamed from the loopback provider by the VSIX's sidecar.
  await runCommand(page, 'Plue: New Chat');
  await pickModel(page, 'Loopback Groq', 'Kimi K2 0905');
  const input = chat().getByRole('textbox', { name: 'Message' });
  await input.click();
  await page.keyboard.type('What is Plue?');
  await page.keyboard.press('Enter');
  const reply = chat().locator('article.message-assistant.status-complete');
  await reply.locator('h2', { hasText: 'Hello' }).waitFor();
  assert.equal(await reply.locator('code.language-ts').innerText(), 'console.log("hello");');
  assert.equal(provider.chats()[0].auth, 'Bearer gsk_market_e2e_key_123');
  await saveScreenshot(page, 'marketplace-chat.png');

  // 3. A task, run from the palette.
  await runTask(page, { template: 'Docs writer', goal: 'E2E-FIRST-TASK: say in README.md what the project is', instance: 'Loopback Groq', model: 'Kimi K2 0905' });

  // 4. The tree, with the task in it.
  await showPlue(page);
  const tree = page.locator('.pane', { hasText: 'Channels' });
  await tree.getByRole('treeitem', { name: /^E2E-FIRST-TASK/ }).waitFor();
  await tree.getByRole('treeitem', { name: /^What is Plue|^New chat/ }).first().waitFor();
  await page.mouse.move(700, 800);
  await saveScreenshot(page, 'marketplace-tree.png');

  await openWalkthrough();
  for (const id of ['provider', 'chat', 'task', 'watch']) {
    await page.locator(`button.getting-started-step[aria-checked="true"][data-step-id$="#${id}"]`).waitFor();
  }
  await page.mouse.move(700, 800);
  await saveScreenshot(page, 'walkthrough-done-light.png');
  // The theme picker (Ctrl+K Ctrl+T), as a user switches to dark, clicking the theme. The page, opened again, moves
  // the focus to the step it selects once the step's slide has run, as it did for "Add a Provider" above: a picker
  // opened before then closes (seen in 4 of 6 runs of this file alone, the provider step's button focused and the
  // picker gone). So the test waits for that move, which may have happened already; if the page never makes it, the
  // chord and the click are still tried again, at most three times, until the dark theme applies.
  await page.waitForFunction(() => document.activeElement?.matches('button.getting-started-step.expanded'), null, { timeout: 3_000 })
    .catch(() => {});
  for (let attempt = 1; ; attempt++) {
    const applied = await (async () => {
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+T');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Dark Modern' }).first().click({ timeout: 10_000 });
      await page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: 5_000 });
    })().then(() => true, (error) => { if (attempt === 3) throw error; return false; });
    if (applied) {
      if (attempt > 1) noteRetry('the color theme picker (Ctrl+K Ctrl+T)', attempt);
      break;
    }
    await page.keyboard.press('Escape');
  }
  await page.locator('.monaco-workbench.vs-dark').waitFor();
  await page.mouse.move(700, 800);
  await saveScreenshot(page, 'walkthrough-done-dark.png');
});
