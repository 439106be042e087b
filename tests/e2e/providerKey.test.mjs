// End to end: "Plue: Configure Provider Key" and "Plue: Add Provider Instance"
// through the UI of the packaged VSIX in code-server. The key goes into a
// masked box and must then be stored (the picker says "key stored") and shown
// nowhere: not in the page, the logs (with a verbose trace on), or any file of
// PLUE_HOME but the encrypted vault. Needs artifacts/plue-vscode.vsix.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as http from 'node:http';
import { after, before } from 'node:test';
import { filesContaining, filesUnder, pageText } from '../support/secrets.mjs';
import { contextMenu, notification, openWorkbench, runCommand, saveScreenshot, settingsTab, showPlue, test, visibleWebview } from './support/workbench.mjs';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-e2e-keys-'));
const plueHome = path.join(scratch, 'plue-home');
const workspace = path.join(scratch, 'sample-project');
// Recognizable, and unlike anything VS Code or the sidecar would print.
const secret = `gsk_E2E_${Date.now().toString(36)}_FAKE0TEST0ONLY`;

let workbench;
let page;
// The instance's provider: a loopback OpenAI-compatible models list, so the test after "Add" is real and
// nothing leaves the machine. It records the Authorization header it was sent.
let provider;
const providerAuth = [];

before(async () => {
  provider = http.createServer((request, response) => {
    providerAuth.push(request.headers.authorization ?? '');
    if (request.method === 'GET' && request.url === '/v1/models') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ object: 'list', data: [{ id: 'llama-e2e', object: 'model', created: 1, owned_by: 'fake' }] }));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise((resolve) => provider.listen(0, '127.0.0.1', resolve));
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, 'README.md'), '# Sample project\n');
  // A verbose trace prints every request's params: the key must still not appear.
  workbench = await openWorkbench({ scratch, folder: workspace, settings: { 'plue.trace.server': 'verbose' }, env: { PLUE_HOME: plueHome, GROQ_API_KEY: '' } });
  page = workbench.page;
}, { timeout: 120_000 });

after(async () => {
  await workbench?.close();
  provider?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

/** Filters the open quick pick and returns the row of `label` once it is shown. */
async function quickPickRow(filter, label) {
  await page.locator('.quick-input-widget input.input').fill(filter);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor();
  return row;
}

async function screenshot(name) {
  await page.mouse.move(700, 450);
  assert.ok(!(await pageText(page)).includes(secret), `the page shows the key when ${name} is taken`);
  await saveScreenshot(page, name);
}

test('Configure Provider Key takes the key in a masked box, stores it and shows it nowhere', { timeout: 120_000 }, async () => {
  await runCommand(page, 'Plue: Configure Provider Key');
  const groq = await quickPickRow('Groq', 'Groq');
  assert.match(await groq.innerText(), /no key/);
  await screenshot('provider-key-1-pick.png');
  await page.keyboard.press('Enter');

  const box = page.locator('.quick-input-widget input[type="password"]');
  await box.waitFor();
  assert.equal(await box.getAttribute('type'), 'password');
  await box.pressSequentially(secret, { delay: 5 });
  await screenshot('provider-key-2-masked.png');
  await page.keyboard.press('Enter');

  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'API key for Groq stored' });
  await toast.waitFor();
  assert.equal((await toast.innerText()).includes('vault://groq/default'), true);
  await page.locator('.notification-fade-in-done', { hasText: 'API key for Groq stored' }).waitFor();
  await screenshot('provider-key-3-stored.png');

  // Stored: the picker reads vault/list from the sidecar and now says so.
  await runCommand(page, 'Plue: Configure Provider Key');
  const stored = await quickPickRow('Groq', 'Groq');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'key stored' }).first().waitFor();
  assert.match(await stored.innerText(), /key stored/);
  await screenshot('provider-key-4-key-stored.png');
  await page.keyboard.press('Escape');

  // Never shown: the page, every file of code-server (logs, output channels, trace, state), PLUE_HOME but the vault.
  assert.ok(!(await pageText(page, { passwords: true })).includes(secret), 'the page (an input, even a masked one) still holds the key');
  const logs = filesUnder(workbench.server.dirs.data).filter(f => /Plue( Trace)?\.log$/.test(f));
  assert.ok(logs.some(f => f.endsWith('Plue.log')), 'no "Plue" output channel log was written');
  const trace = logs.filter(f => f.endsWith('Plue Trace.log')).map(f => fs.readFileSync(f, 'utf8')).join('\n');
  assert.ok(trace.includes(`Sending request 'vault/store`), 'the verbose trace has no vault/store request');
  assert.ok(trace.includes('«secret»'), 'the trace shows no redaction of the key');
  assert.deepEqual(filesContaining(workbench.server.dir, secret), [], 'files of code-server hold the key');
  const home = filesUnder(plueHome);
  assert.ok(home.some(f => path.basename(f) === 'vault.bin'), `no vault.bin in PLUE_HOME: ${home.join(', ')}`);
  assert.deepEqual(filesContaining(plueHome, secret), [], 'files of PLUE_HOME (vault.bin included) hold the key in clear');
});

test('Add Provider Instance walks through provider, name, endpoint and key, then tests it honestly', { timeout: 120_000 }, async () => {
  await runCommand(page, 'Plue: Add Provider Instance');
  const groq = await quickPickRow('Groq', 'Groq');
  const text = await groq.innerText();
  assert.match(text, /\d+ models?/);
  assert.match(text, /\$[\d.]+(–\$[\d.]+)? \/ 1M in/);
  assert.match(text, /key stored/);
  await screenshot('add-instance-1-pick.png');
  await page.keyboard.press('Enter');

  const input = page.locator('.quick-input-widget input.input');
  await page.locator('.quick-input-widget', { hasText: 'name' }).waitFor();
  await input.fill('Groq E2E');
  await page.keyboard.press('Enter');

  await page.locator('.quick-input-widget', { hasText: 'endpoint' }).waitFor();
  await input.fill('not a url');
  await page.locator('.quick-input-message', { hasText: 'Enter a URL' }).waitFor();
  await screenshot('add-instance-2-bad-endpoint.png');
  await input.fill(`http://127.0.0.1:${provider.address().port}/v1`);
  await page.keyboard.press('Enter');

  // The key is stored for Groq, so an empty masked box uses it.
  const box = page.locator('.quick-input-widget input[type="password"]');
  await box.waitFor();
  await page.locator('.quick-input-widget', { hasText: 'leave empty' }).waitFor();
  await page.keyboard.press('Enter');

  const message = await notification(page, /Groq E2E (works|failed)/);
  assert.match(message, /Groq E2E works: answered in \d+ ms/);
  assert.deepEqual(providerAuth, [`Bearer ${secret}`], 'the test called the loopback provider once, with the stored key');

  await showPlue(page);
  const row = page.locator('.pane', { hasText: 'Providers' }).getByRole('treeitem', { name: /Groq E2E/ });
  await row.waitFor();
  assert.match(await row.innerText(), /enabled/);
  await screenshot('add-instance-3-view.png');
  assert.deepEqual(filesContaining(plueHome, secret), [], 'PLUE_HOME holds the key in clear');
});

test('the Providers row\'s context menu renames it, browses its models and removes it after a modal confirmation', { timeout: 120_000 }, async () => {
  const view = page.locator('.pane', { hasText: 'Providers' });
  await contextMenu(page, view.getByRole('treeitem', { name: /Groq E2E/ }), 'Edit Provider Instance', { shows: settingsTab(page, 'Groq E2E') });
  // The instance's settings form: its name is the record's title; Enter saves, Escape then closes the form.
  const form = visibleWebview(page);
  const name = form.getByLabel('Name', { exact: true });
  await name.fill('Groq Renamed');
  await name.press('Enter');
  await form.locator('.settings-banner', { hasText: 'Saved.' }).waitFor();
  assert.equal(await form.locator('.secret-state').innerText(), 'Set', 'the form says a key is stored, and nothing more');
  await screenshot('providers-edit-form.png');
  await page.keyboard.press('Escape');
  await page.locator('.tab', { hasText: 'Groq Renamed Settings' }).waitFor({ state: 'detached' });
  const row = view.getByRole('treeitem', { name: /Groq Renamed/ });
  await row.waitFor();

  await contextMenu(page, row, 'Browse Models', { shows: page.locator('.quick-input-widget') });
  const model = page.locator('.quick-input-list .monaco-list-row', { hasText: '/ 1M' }).first();
  await model.waitFor();
  assert.equal(await page.locator('.quick-input-title').first().textContent(), 'Models of Groq Renamed');
  // Prices, context window and capabilities are in the description and detail.
  assert.match(await model.innerText(), /(\$[\d.]+|\?) in · (\$[\d.]+|\?) out \/ 1M|prices unknown/);
  assert.match(await model.innerText(), /context/);
  await screenshot('providers-browse-models.png');
  await page.keyboard.press('Escape');

  await contextMenu(page, row, 'Remove Provider Instance', { shows: page.locator('.monaco-dialog-box') });
  const dialog = page.locator('.monaco-dialog-box', { hasText: 'Remove the provider instance "Groq Renamed"?' });
  await dialog.waitFor();
  await screenshot('providers-remove-confirm.png');
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await row.waitFor({ state: 'detached' });
  await view.getByText('No provider instances yet.').waitFor();
  await screenshot('providers-empty.png');
});
