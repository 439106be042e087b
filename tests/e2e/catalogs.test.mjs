// End to end: custom catalogs in the settings panel, in the packaged VSIX in code-server. A catalog made with the
// settings home's New (a record of the catalog template, drawn by the one form renderer) is offered by Add Provider
// at once; a catalog file that cannot load shows its problem in the Problems view, where template problems show.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { openWorkbench, runCommand, saveScreenshot, test, visibleWebview } from './support/workbench.mjs';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-catalogs-e2e-'));
const workspace = path.join(scratch, 'catalogs-project');
const home = path.join(scratch, 'plue-home');

let workbench;
let page;

before(async () => {
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'README.md'), '# A project with a provider of its own\n');
  fs.mkdirSync(path.join(home, 'catalog'), { recursive: true });
  fs.writeFileSync(path.join(home, 'catalog', 'half-written.json'), '{\n  "id": "half-written",\n  "models": [,]\n}\n');
  workbench = await openWorkbench({ scratch, folder: workspace, env: { PLUE_HOME: home } });
  page = workbench.page;
}, { timeout: 150_000 });

after(async () => {
  await workbench?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

const slowTest = (name, body) => test(name, { timeout: 180_000 }, body);

slowTest('a catalog made in the settings panel appears in Add Provider', async () => {
  await runCommand(page, 'Plue: Open Settings');
  const panel = visibleWebview(page);
  await panel.getByRole('button', { name: 'New: Custom catalog' }).click();
  await panel.getByLabel('Provider id').waitFor();
  await panel.getByLabel('Name', { exact: true }).fill('Acme E2E Gateway');
  await panel.getByLabel('Provider id').fill('acme-e2e');
  await panel.getByLabel('Endpoint').fill('https://gateway.acme.example/v1');
  await panel.getByLabel('Key variable').fill('ACME_E2E_API_KEY');
  await panel.getByRole('button', { name: 'Add to Models' }).click();
  await panel.getByLabel('Model id').fill('acme-e2e-large');
  await panel.getByLabel('Context window (tokens)').fill('200000');
  await panel.getByLabel('Input (USD per 1M tokens)').fill('2');
  await panel.getByLabel('Output (USD per 1M tokens)').fill('8');
  await panel.getByRole('button', { name: 'Create', exact: true }).click();
  await panel.getByRole('button', { name: 'Save', exact: true }).waitFor();
  await saveScreenshot(page, 'catalogs-e2e-form.png');
  const file = JSON.parse(fs.readFileSync(path.join(home, 'catalog', 'acme-e2e.json'), 'utf8'));
  assert.equal(file.models[0].prices.input, 2, 'the record wrote the catalog file');

  await runCommand(page, 'Plue: Add Provider Instance');
  await page.locator('.quick-input-widget input.input').fill('Acme E2E');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Acme E2E Gateway' }).first().waitFor();
  await saveScreenshot(page, 'catalogs-e2e-add-provider.png');
  await page.keyboard.press('Escape');
});

slowTest('a catalog file that cannot load shows its problem in the Problems view', async () => {
  await runCommand(page, 'View: Toggle Problems');
  const problems = page.locator('.markers-panel');
  await problems.getByText('half-written.json').first().waitFor();
  await problems.getByText(/Plue catalog/).first().waitFor();
  await saveScreenshot(page, 'catalogs-e2e-problems.png');
});
