// End to end, a first run: a fresh code-server and Plue home, the walkthrough left to open by itself, and a loopback
// Ollama answering on a port Add Provider's search probes (PLUE_LOCAL_SERVER_PORTS points the search at it, as 11434
// may be taken on a test machine). The walkthrough opens once on its own and offers that server in one click (Use It),
// which adds and tests it; the first chat's instance and model are then one pick, and the chat streams from it.
// Needs artifacts/plue-vscode.vsix.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { startFakeOllama } from './support/fakeOllama.mjs';
import { notification, openWorkbench, pickModel, runCommand, saveScreenshot, test, visibleWebview } from './support/workbench.mjs';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-first-run-e2e-'));
const workspace = path.join(scratch, 'first-project');

let workbench;
let page;
let ollama;

before(async () => {
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, 'README.md'), '# First project\n');
  ollama = await startFakeOllama();
  workbench = await openWorkbench({
    scratch,
    folder: workspace,
    settings: { 'workbench.colorTheme': 'Default Light Modern', 'plue.walkthrough.openOnFirstRun': true },
    // No key in the environment: an instance made from one would be a provider already.
    env: { PLUE_HOME: path.join(scratch, 'plue-home'), PLUE_LOCAL_SERVER_PORTS: `ollama:${ollama.port}`, OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '', GEMINI_API_KEY: '', GROQ_API_KEY: '' },
  });
  page = workbench.page;
}, { timeout: 300_000 });

after(async () => {
  await workbench?.close();
  await ollama?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

const step = (id, checked) => page.locator(`button.getting-started-step${checked === undefined ? '' : `[aria-checked="${checked}"]`}[data-step-id$="#${id}"]`);

test('the walkthrough opens by itself and offers the model server found on this machine: Use It adds it in one click', { timeout: 180_000 }, async () => {
  // Nothing was run: the first activation opened it.
  await page.locator('.gettingStartedSlideDetails', { hasText: 'Get Started with Plue' }).waitFor({ timeout: 60_000 });
  const found = step('localServer', 'false');
  await found.waitFor();
  assert.match(await found.innerText(), /Use the model server running on this machine/);
  await found.click();
  const useIt = page.locator('.gettingStartedContainer').getByRole('button', { name: 'Use It', exact: true });
  await useIt.waitFor();
  await page.mouse.move(700, 850);
  await saveScreenshot(page, 'first-run-walkthrough-local-server.png');

  await useIt.click();
  await notification(page, 'Ollama works');
  await step('localServer', 'true').waitFor();
  await step('provider', 'true').waitFor();
  assert.ok(ollama.requests.some((r) => r.url === '/api/tags'), 'the instance was tested against the local server');
  // The walkthrough redraws (and takes the focus) as steps complete, which would close a quick pick opened meanwhile.
  await page.locator('.tab', { hasText: 'Walkthrough' }).locator('.codicon-close').click();
});

test('the first chat\'s instance and model are one pick, and it streams from the local server', { timeout: 180_000 }, async () => {
  await runCommand(page, 'Plue: New Chat');
  const box = page.locator('.quick-input-widget');
  // The first box New Chat shows lists models, each with its instance: no provider step before it.
  await box.locator('input.input[placeholder^="Pick a model"]').waitFor();
  assert.equal(await box.locator('.quick-input-title').innerText(), 'New Chat');
  const rows = box.locator('.quick-input-list .monaco-list-row');
  await rows.filter({ hasText: 'llama3.2:latest' }).first().waitFor();
  assert.match(await rows.filter({ hasText: 'qwen3:8b' }).first().innerText(), /Ollama/, 'a row names its instance');
  await saveScreenshot(page, 'first-run-model-pick.png');

  await pickModel(page, 'Ollama', 'qwen3:8b');
  const chat = visibleWebview(page);
  await chat.locator('.composer-model', { hasText: 'Ollama · qwen3:8b' }).waitFor();
  assert.equal(await box.isVisible(), false, 'a second quick pick followed the first');

  await chat.getByRole('textbox', { name: 'Message' }).click();
  await page.keyboard.type('Hello?');
  await page.keyboard.press('Enter');
  await chat.locator('article.message-assistant.status-complete', { hasText: 'Hello from the local model.' }).waitFor();
  const sent = ollama.chats().find((r) => JSON.stringify(r.body.messages).includes('Hello?'));
  assert.equal(sent?.body.model, 'qwen3:8b', 'the model picked is the one called');
});
