// End to end: "Plue: Add Provider Instance" for the providers that need more than a key, in the packaged VSIX in
// code-server. Each asks its own fields (a Vertex AI project, region and key file; a Bedrock region and credential;
// Azure deployments; an Anthropic auth token; a custom endpoint's URL with no key), takes every secret in a masked
// box into the vault (never in the page, code-server's files or PLUE_HOME in clear), is tested against a loopback
// fake that checks the credential as the service would, and then shows in the Providers view.
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { filesContaining, pageText } from '../support/secrets.mjs';
import { startFakeCloudProviders } from './support/fakeCloudProviders.mjs';
import { startFakeOpenAI } from './support/fakeOpenAI.mjs';
import { contextMenu, notification, openWorkbench, pick, runCommandToPick, saveScreenshot, settingsTab, showPlue, test, visibleWebview } from './support/workbench.mjs';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-e2e-providers-'));
const plueHome = path.join(scratch, 'plue-home');
const workspace = path.join(scratch, 'sample-project');
const stamp = Date.now().toString(36);
// Recognizable, and unlike anything VS Code or the sidecar would print.
const keys = {
  gemini: `AIzaE2E_${stamp}_GEMINI0FAKE`,
  azure: `azE2E${stamp}AZURE0FAKE0KEY`,
  anthropic: `sk-ant-oat-E2E-${stamp}-TOKEN0FAKE`,
  bedrock: `AKIAE2E${stamp.toUpperCase()}:bedrockE2E${stamp}SECRET0FAKE`,
};
const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' });
// One line of the key's body: any of it in the clear would be a leak.
const privateLine = privatePem.split('\n')[5];

let workbench;
let page;
let cloud;
let local;
const keyFile = path.join(scratch, 'vertex-sa.json');

before(async () => {
  cloud = await startFakeCloudProviders({ keys, publicKey });
  local = await startFakeOpenAI({ models: ['qwen-e2e', 'llama-e2e'] });
  fs.writeFileSync(keyFile, JSON.stringify({
    type: 'service_account', project_id: 'plue-e2e', private_key_id: `kid-${stamp}`, private_key: privatePem,
    client_email: 'plue-e2e@plue-e2e.iam.gserviceaccount.com', client_id: '1', token_uri: `${cloud.url}/token`,
  }, null, 2));
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, 'README.md'), '# Sample project\n');
  // No AWS or Google credentials of the machine may answer for the instances.
  const env = { PLUE_HOME: plueHome, AWS_ACCESS_KEY_ID: '', AWS_PROFILE: '', GOOGLE_APPLICATION_CREDENTIALS: '', AWS_SHARED_CREDENTIALS_FILE: path.join(scratch, 'no-aws') };
  workbench = await openWorkbench({ scratch, folder: workspace, settings: { 'plue.trace.server': 'verbose' }, env });
  page = workbench.page;
}, { timeout: 120_000 });

after(async () => {
  await workbench?.close();
  cloud?.close();
  local?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

const input = () => page.locator('.quick-input-widget input.input');

/** Waits for the step whose title holds `step`, then types `value` (empty: accept the default) and Enter. */
async function answer(step, value) {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: step }).waitFor();
  await input().fill(value);
  await input().press('Enter');
}

/** Waits for the step whose title holds `step`, then picks the row `label`. */
async function choose(step, label) {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: step }).waitFor();
  await pick(page, label);
}

/** Types `secret` into the masked box and checks it stayed masked. */
async function typeSecret(secret, prompt) {
  const box = page.locator('.quick-input-widget input[type="password"]');
  await box.waitFor();
  await page.locator('.quick-input-widget', { hasText: prompt }).waitFor();
  await box.pressSequentially(secret, { delay: 2 });
  if (await box.inputValue() !== secret) await box.fill(secret); // keys lost to a redraw: the box gets the whole secret
  assert.equal(await box.getAttribute('type'), 'password');
  assert.ok(!(await pageText(page)).includes(secret), 'the page shows the secret being typed');
  await box.press('Enter');
}

/** The test that follows Add: its toast, which must say the instance works. */
async function expectWorks(name, models) {
  assert.match(await notification(page, new RegExp(`${name} (works|failed)`)), new RegExp(`${name} works: answered in \\d+ ms, ${models} models?\\.`));
}

/** The instance's row in the Providers view, enabled. */
async function expectRow(name, screenshot) {
  await showPlue(page);
  const row = page.locator('.pane', { hasText: 'Providers' }).getByRole('treeitem', { name: new RegExp(name) });
  await row.waitFor();
  assert.match(await row.innerText(), /enabled/);
  await saveScreenshot(page, screenshot);
  return row;
}

function providerTest(name, body) {
  test(name, { timeout: 120_000 }, body);
}

providerTest('Gemini: endpoint and a masked API key, sent as x-goog-api-key', async () => {
  await runCommandToPick(page, 'Plue: Add Provider Instance', 'Google Gemini');
  await answer('name', 'Gemini E2E');
  await answer('endpoint', `${cloud.url}/gemini`);
  await typeSecret(keys.gemini, 'API key for Google Gemini');
  await expectWorks('Gemini E2E', 1);
  await expectRow('Gemini E2E', 'providers-gemini.png');
});

providerTest('Azure OpenAI: its resource, its deployments and a masked api-key', async () => {
  await runCommandToPick(page, 'Plue: Add Provider Instance', 'Azure OpenAI');
  await answer('name', 'Azure E2E');
  await page.locator('.quick-input-widget', { hasText: 'openai.azure.com' }).waitFor();
  await answer('endpoint', `${cloud.url}/azure`);
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'deployments' }).waitFor();
  await input().fill('gpt-5 my-gpt5');
  await page.locator('.quick-input-message', { hasText: 'model=deployment' }).waitFor();
  await saveScreenshot(page, 'providers-azure-deployments.png');
  await answer('deployments', 'gpt-5=my-gpt5');
  await typeSecret(keys.azure, 'API key for Azure OpenAI');
  // The resource lists base models, not deployments: the instance's models are the ones it maps.
  await expectWorks('Azure E2E', 1);
  await expectRow('Azure E2E', 'providers-azure.png');
});

providerTest('Anthropic with an auth token: the kind asked, the token sent as Authorization: Bearer', async () => {
  await runCommandToPick(page, 'Plue: Add Provider Instance', 'Anthropic');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'name' }).waitFor();
  assert.equal(await input().inputValue(), 'Anthropic', 'the picker took another provider than Anthropic');
  await answer('name', 'Gateway E2E');
  await answer('endpoint', `${cloud.url}/anthropic`);
  await choose('credential', 'Auth token');
  await typeSecret(keys.anthropic, 'Auth token for Anthropic');
  await expectWorks('Gateway E2E', 1);
  await expectRow('Gateway E2E', 'providers-anthropic-token.png');
});

providerTest('Vertex AI: project, region and a service account key file whose key stays in the vault', async () => {
  await runCommandToPick(page, 'Plue: Add Provider Instance', 'Google Vertex AI');
  await answer('name', 'Vertex E2E');
  // The loopback key file's token_uri is followed only because it is on the instance's own endpoint (a gateway the
  // user chose): a token endpoint that is neither Google's nor the instance's is refused.
  await answer('endpoint', cloud.url);
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'project' }).waitFor();
  await input().press('Enter');
  await page.locator('.quick-input-message', { hasText: 'Enter the project' }).waitFor();
  await answer('project', 'plue-e2e');
  await answer('region', 'europe-west4');
  await choose('credential', 'Service account key file');
  await answer('credential', keyFile);
  // The test signs a JWT with the key and exchanges it at the key file's token_uri (the fake checks the signature).
  await expectWorks('Vertex E2E', 0);
  const row = await expectRow('Vertex E2E', 'providers-vertex.png');
  assert.ok(cloud.requests.some(r => r.path === '/token'), 'no token was fetched');

  // The settings form shows the fields asked, and of the credential only that one is set.
  await contextMenu(page, row, 'Edit Provider Instance', { shows: settingsTab(page, 'Vertex E2E') });
  const form = visibleWebview(page);
  await form.getByLabel('Google Cloud project').waitFor();
  assert.equal(await form.getByLabel('Google Cloud project').inputValue(), 'plue-e2e');
  assert.equal(await form.getByLabel('Region').inputValue(), 'europe-west4');
  assert.equal(await form.locator('.secret-state').innerText(), 'Set');
  assert.ok(!(await pageText(page, { passwords: true })).includes(privateLine), 'the page shows the private key');
  await saveScreenshot(page, 'providers-vertex-form.png');
  await page.keyboard.press('Escape');
  await page.locator('.tab', { hasText: 'Vertex E2E Settings' }).waitFor({ state: 'detached' });
});

providerTest('Bedrock: region and an access key in a masked box, checked for its form', async () => {
  await runCommandToPick(page, 'Plue: Add Provider Instance', 'AWS Bedrock US');
  await answer('name', 'Bedrock E2E');
  await answer('endpoint', '');
  await answer('region', 'us-west-2');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'credential' }).waitFor();
  for (const option of ['AWS profile', 'Access key', 'Bedrock API key', 'Environment']) {
    await page.locator('.quick-input-list .monaco-list-row', { hasText: option }).first().waitFor();
  }
  await saveScreenshot(page, 'providers-bedrock-credential.png');
  await pick(page, 'Access key');
  const box = page.locator('.quick-input-widget input[type="password"]');
  await box.waitFor();
  await box.fill('only-one-part');
  await page.locator('.quick-input-message', { hasText: 'ACCESS_KEY_ID:SECRET_ACCESS_KEY' }).waitFor();
  await box.fill('');
  await typeSecret(keys.bedrock, 'Access key for AWS Bedrock US');
  await expectWorks('Bedrock E2E', 0);
  await expectRow('Bedrock E2E', 'providers-bedrock.png');
});

providerTest('OpenAI-compatible (custom endpoint): the URL required, no key needed, and exactly the server\'s models', async () => {
  await runCommandToPick(page, 'Plue: Add Provider Instance', 'OpenAI-compatible (custom endpoint)');
  await answer('name', 'vLLM E2E');
  await page.locator('.quick-input-widget', { hasText: 'LM Studio' }).waitFor();
  await input().press('Enter');
  await page.locator('.quick-input-message', { hasText: 'Enter the endpoint URL' }).waitFor();
  await answer('endpoint', local.endpoint);
  await page.locator('.quick-input-widget', { hasText: 'connect without one' }).waitFor();
  await page.locator('.quick-input-widget input[type="password"]').press('Enter');
  await expectWorks('vLLM E2E', 2);
  const row = await expectRow('vLLM E2E', 'providers-openai-compatible.png');
  assert.ok(local.requests.every(r => r.auth === undefined), 'a keyless instance sent an Authorization header');

  await contextMenu(page, row, 'Browse Models', { shows: page.locator('.quick-input-widget') });
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor();
  const models = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
  assert.equal(models.length, 2, `the instance offers other models than the server's: ${models.join(' | ')}`);
  assert.ok(['qwen-e2e', 'llama-e2e'].every(id => models.some(m => m.includes(id))), `the server's models are not both offered: ${models.join(' | ')}`);
  assert.ok(models.every(m => /prices unknown/.test(m)), `a model of the server shows a price: ${models.join(' | ')}`);
  await saveScreenshot(page, 'providers-openai-compatible-models.png');
  await page.keyboard.press('Escape');
});

providerTest('no secret shows anywhere: the page, code-server\'s files, the settings, PLUE_HOME in clear', async () => {
  const text = await pageText(page, { passwords: true });
  for (const secret of [...Object.values(keys), privateLine]) {
    assert.ok(!text.includes(secret), 'the page holds a secret');
    assert.deepEqual(filesContaining(workbench.server.dir, secret), [], 'files of code-server (logs, trace, settings) hold a secret');
    assert.deepEqual(filesContaining(plueHome, secret), [], 'files of PLUE_HOME hold a secret in clear');
  }
});
