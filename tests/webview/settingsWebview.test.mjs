// The settings panel's form: the settings webview bundle (out/webview/settings.js) in chromium under the extension's
// own HTML and CSP, with a stand-in for the VS Code API (harness.mjs). A form drawn from a template alone: array items
// added, reordered and removed; a conditional field; a locked field; a masked secret that goes to the host and is
// never shown; the sidecar's errors beside their fields; what Save sends; Escape; screenshots in four themes.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import * as fs from 'node:fs';
import JSON5 from 'json5';
import { fromHost, loadSource, screenshots, vscodeApiShim, webviewSuite } from './harness.mjs';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

const suite = webviewSuite();

const field = (name, type, over = {}) => ({ name, type, label: name.replace(/_/g, ' '), required: false, locked: false, auto: false, ...over });
/** A user's own template, in no feature's terms: every kind of editor the form draws. */
const form = (over = {}) => ({
  mode: 'edit', templateId: 'deploy-target', templateName: 'Deploy target', templateDescription: 'Where builds go.',
  looks: { icon: 'rocket', color: '#10B981' }, title: 'Staging', titleShown: true, version: 4, updatedAt: '2026-11-21T10:00:00Z',
  fields: [
    field('kind', 'select', { required: true, options: [{ value: 'ssh', label: 'SSH' }, { value: 'bucket', label: 'Bucket' }], description: 'How builds are copied.' }),
    field('host', 'text', { placeholder: 'deploy.example.com', conditional: { field: 'kind', value: 'ssh' } }),
    field('bucket_url', 'url', { conditional: { field: 'kind', value: ['bucket'] } }),
    field('retries', 'number', { min: 0, max: 5, step: 1, default: 2 }),
    field('paths', 'array', { items: field('', 'text') }),
    field('steps', 'array', { items: field('', 'select', { options: [{ value: 'build', label: 'build' }, { value: 'test', label: 'test' }, { value: 'upload', label: 'upload' }] }) }),
    field('region', 'text', { locked: true, default: 'eu-west-1' }),
    field('token_ref', 'text', { role: 'secret', pattern: '^vault://[a-z0-9._-]+/[A-Za-z0-9._-]+$' }),
    field('owner', 'object', { properties: [field('name', 'text'), field('email', 'text')] }),
    field('notes', 'textarea'),
  ],
  hidden: [], values: { kind: 'ssh', host: 'staging.example.com', paths: ['dist', 'public'], steps: ['build'], token_ref: 'vault://deploy/staging' },
  choices: {}, secrets: { token_ref: true }, submitLabel: 'Save', ...over,
});

async function openForm(theme = 'dark', model = form()) {
  const page = await suite.browser.newPage({ viewport: { width: 900, height: 1100 } });
  const errors = [];
  page.on('pageerror', e => errors.push(e.message));
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  await page.addInitScript(vscodeApiShim);
  await page.goto(suite.harness.settingsUrl(theme));
  await page.waitForFunction(() => window.__posted.some(m => m.type === 'ready'));
  await fromHost(page, { type: 'form', form: model });
  await page.locator('.settings-heading', { hasText: model.title }).waitFor();
  return { page, errors };
}
const posted = page => page.evaluate(() => window.__posted.filter(m => m.type !== 'ready'));
const row = (page, name) => page.locator(`.settings-field[data-field="${name}"]`);

test('a form from any template: conditional fields, array items, locked and secret fields, and only changes saved', async () => {
  const { page, errors } = await openForm();
  assert.deepEqual(await page.evaluate(() => window.__state), { target: 'record:r1' }, 'the target is kept for a reload');
  assert.equal(await row(page, 'host').isVisible(), true);
  assert.equal(await row(page, 'bucket_url').isVisible(), false);
  await row(page, 'kind').locator('select').selectOption('bucket');
  assert.equal(await row(page, 'host').isVisible(), false, 'a field whose condition fails goes at once');
  assert.equal(await row(page, 'bucket_url').isVisible(), true, 'a list-valued condition holds for any of its values');
  await row(page, 'kind').locator('select').selectOption('ssh');

  // The locked field: read-only, and says why.
  assert.equal(await row(page, 'region').locator('input').isDisabled(), true);
  assert.match(await row(page, 'region').innerText(), /Locked by the template "Deploy target"/);
  assert.equal(await row(page, 'region').locator('input').inputValue(), 'eu-west-1', 'the default is shown');
  assert.match(await row(page, 'retries').innerText(), /Default: 2\./);

  // Array items: add, move up, remove; an array of options is check boxes.
  await row(page, 'paths').getByRole('button', { name: 'Add to paths' }).click();
  await page.keyboard.type('assets');
  await row(page, 'paths').getByRole('button', { name: 'Move up (paths item 3)' }).click();
  await row(page, 'paths').getByRole('button', { name: 'Remove (paths item 1)' }).click();
  await row(page, 'steps').getByLabel('test').check();
  // A group is named by its label; clicking that label toggles none of its boxes.
  await page.getByRole('group', { name: 'steps' }).waitFor();
  await page.getByRole('group', { name: 'paths' }).waitFor();
  await row(page, 'steps').locator('.field-label').click();
  assert.equal(await row(page, 'steps').getByLabel('build').isChecked(), true);

  // The secret: masked, sent to the host once, never drawn; the host's answer says it is set.
  const secret = row(page, 'token_ref').locator('input[type="password"]');
  assert.equal(await row(page, 'token_ref').locator('.secret-state').innerText(), 'Set');
  await secret.fill('tok_webview_test_123');
  await secret.press('Enter');
  assert.equal(await secret.inputValue(), '', 'the box is emptied once the secret is sent');
  assert.deepEqual((await posted(page)).at(-1), { type: 'setSecret', field: 'token_ref', value: 'tok_webview_test_123' });
  await fromHost(page, { type: 'secretSet', field: 'token_ref', ref: 'vault://deploy/staging-2' });

  await row(page, 'owner').getByLabel('name').fill('Ops');
  await row(page, 'retries').locator('input').fill('3');
  await row(page, 'retries').locator('input').press('Enter');
  const save = (await posted(page)).at(-1);
  assert.deepEqual(save, {
    type: 'save', title: 'Staging', overwrite: false,
    fields: { retries: 3, paths: ['assets', 'public'], steps: ['build', 'test'], token_ref: 'vault://deploy/staging-2', owner: { name: 'Ops' } },
  }, 'only what changed is sent; the locked field and the hidden one are not');
  assert.ok(!(await page.content()).includes('tok_webview_test_123'), 'the secret is nowhere in the page');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the sidecar\'s errors show beside their fields; a conflict offers Reload and Overwrite; Escape asks, again reverts, then closes', async () => {
  const { page } = await openForm();
  await row(page, 'retries').locator('input').fill('9');
  await fromHost(page, { type: 'errors', fields: { retries: 'must be at most 5', 'paths[1]': 'must not be empty', zone: 'is unknown' }, message: 'Nothing was saved: correct the fields marked below.' });
  assert.equal(await row(page, 'retries').locator('.field-error').innerText(), 'must be at most 5');
  assert.equal(await row(page, 'paths').locator('.field-error').innerText(), 'Item 2 must not be empty');
  assert.match(await page.locator('.settings-banner').innerText(), /Nothing was saved.*zone is unknown/);
  assert.equal(await page.evaluate(() => document.activeElement?.closest('.settings-field')?.dataset.field), 'retries', 'the first field in error has the focus');
  await page.screenshot({ path: path.join(screenshots, 'settings-webview-errors-dark.png') });

  await fromHost(page, { type: 'conflict', message: 'This record was changed elsewhere.' });
  await page.getByRole('button', { name: 'Save your changes over the other one' }).click();
  assert.equal((await posted(page)).at(-1).overwrite, true);

  await row(page, 'retries').locator('input').press('Escape');
  assert.match(await page.locator('.settings-banner').innerText(), /Drop what you typed and have not saved\?/);
  assert.equal(await row(page, 'retries').locator('input').inputValue(), '9', 'Escape asks before it drops the unsaved change');
  await page.keyboard.press('Escape');
  assert.equal(await row(page, 'retries').locator('input').inputValue(), '2', 'Escape again drops the unsaved change');
  await page.keyboard.press('Escape');
  assert.deepEqual((await posted(page)).at(-1), { type: 'close' });
  await page.close();
});

test('a new record\'s form: Escape closes only the open drop-down, then asks before it drops what was typed', async () => {
  const newForm = form({
    mode: 'create', title: 'New Deploy target', version: undefined, updatedAt: undefined, values: {}, secrets: {}, submitLabel: 'Create',
    choices: { host: [{ value: 'staging.example.com', label: 'Staging' }, { value: 'prod.example.com', label: 'Production' }] },
  });
  for (const theme of ['light', 'dark', 'hcDark', 'hcLight']) {
    const { page, errors } = await openForm(theme, newForm);
    const closed = async () => (await posted(page)).some(m => m.type === 'close');
    await row(page, 'kind').locator('select').selectOption('ssh');
    const host = row(page, 'host').locator('input');
    await host.click();
    await host.pressSequentially('stag');
    // The box's suggestions are open: Escape closes them, and nothing else happens.
    await host.press('Escape');
    assert.equal(await closed(), false, 'Escape on the suggestions closed the form');
    assert.equal(await page.locator('.settings-banner').isVisible(), false);
    assert.equal(await host.inputValue(), 'stag');
    // Then Escape asks; Keep Editing keeps all that was typed.
    await host.press('Escape');
    assert.match(await page.locator('.settings-banner').innerText(), /Drop what you typed and have not saved\?/);
    await page.screenshot({ path: path.join(screenshots, `settings-webview-ask-to-drop-${theme}.png`) });
    await page.getByRole('button', { name: 'Go on editing' }).click();
    assert.equal(await page.locator('.settings-banner').isVisible(), false);
    assert.equal(await host.inputValue(), 'stag');
    assert.equal(await closed(), false);
    // Cancel asks too; Drop Changes closes the new record's form.
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Drop the unsaved changes' }).click();
    assert.equal(await closed(), true, 'Drop Changes did not close the form');
    assert.deepEqual(errors, [], theme);
    await page.close();
  }
});

test('the form in light, dark and both high-contrast themes', async () => {
  for (const theme of ['light', 'dark', 'hcDark', 'hcLight']) {
    const { page, errors } = await openForm(theme);
    await page.screenshot({ path: path.join(screenshots, `settings-webview-${theme}.png`), fullPage: true });
    assert.deepEqual(errors, [], theme);
    await page.close();
  }
});

test('a template saved while its form is open redraws the form and keeps what the user typed; Reload drops it', async () => {
  const { page } = await openForm();
  await row(page, 'retries').locator('input').fill('4');
  const changed = form();
  changed.fields.push(field('schedule', 'datetime', { auto: true, label: 'Schedule' }));
  await fromHost(page, { type: 'form', form: changed, keepEdits: true });
  await row(page, 'schedule').waitFor();
  assert.equal(await row(page, 'retries').locator('input').inputValue(), '4', 'the unsaved value survives the redraw');
  assert.match(await row(page, 'schedule').innerText(), /Set to the time of saving/);
  await fromHost(page, { type: 'form', form: changed });
  await row(page, 'retries').locator('input').waitFor();
  assert.equal(await row(page, 'retries').locator('input').inputValue(), '2', 'a reload shows the record as stored');
  await page.close();
});

test('Run Task in a Form picks the provider by name: the instance field is a picker of the instances, never a box for codex://providers/<slug>', async () => {
  const runForm = form({
    values: {},
    fields: [field('provider_ref', 'text', { role: 'instance', label: 'Provider', required: true, description: 'The provider instance that runs the task.' }), field('model_id', 'text', { role: 'model' })],
    choices: { provider_ref: [{ value: 'codex://providers/work-openai', label: 'Work OpenAI', icon: 'server' }, { value: 'env:groq', label: 'Groq (environment key)', icon: 'server' }] },
    submitLabel: 'Run',
  });
  const { page, errors } = await openForm('dark', runForm);
  const picker = row(page, 'provider_ref').locator('select');
  assert.equal(await row(page, 'provider_ref').locator('input').count(), 0, 'the provider is still a text box');
  assert.deepEqual(await picker.locator('option').allInnerTexts(), ['Choose…', 'Work OpenAI', 'Groq (environment key)']);
  assert.doesNotMatch(await row(page, 'provider_ref').innerText(), /codex:\/\//, 'the user reads a reference');
  await picker.selectOption({ label: 'Work OpenAI' });
  assert.deepEqual((await posted(page)).filter(m => m.type === 'models').at(-1), { type: 'models', instance: 'codex://providers/work-openai' });
  await row(page, 'model_id').locator('input').fill('gpt-5');
  await row(page, 'model_id').locator('input').press('Enter');
  assert.deepEqual((await posted(page)).at(-1).fields, { provider_ref: 'codex://providers/work-openai', model_id: 'gpt-5' });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a box the template marks role model (whatever its name) suggests the models of the instance the form names, asked again when the instance changes', async () => {
  const runForm = form({
    values: { provider_ref: 'codex://providers/work' },
    fields: [
      // The instance box is known by its role, whatever its name or pattern.
      field('provider_ref', 'text', { role: 'instance' }),
      field('checkpoint', 'text', { role: 'model' }),
      field('model_id', 'text'),
    ],
    choices: { provider_ref: [{ value: 'codex://providers/work', label: 'Work', icon: 'server' }, { value: 'env:anthropic', label: 'Anthropic (environment key)', icon: 'server' }] },
  });
  const { page, errors } = await openForm('dark', runForm);
  const asked = async () => (await posted(page)).filter(m => m.type === 'models');
  assert.deepEqual(await asked(), [{ type: 'models', instance: 'codex://providers/work' }], 'the named instance\'s models are asked at once');
  await fromHost(page, { type: 'models', instance: 'codex://providers/work', models: [{ value: 'gpt-5', label: 'GPT-5' }, { value: 'gpt-5-mini', label: '' }] });
  const options = () => page.locator('.settings-field[data-field="checkpoint"] datalist option').evaluateAll(os => os.map(o => o.value));
  assert.deepEqual(await options(), ['gpt-5', 'gpt-5-mini']);

  await row(page, 'provider_ref').locator('select').selectOption({ label: 'Anthropic (environment key)' });
  assert.deepEqual((await asked()).at(-1), { type: 'models', instance: 'env:anthropic' });
  // A late answer for the former instance is dropped.
  await fromHost(page, { type: 'models', instance: 'codex://providers/work', models: [{ value: 'stale', label: '' }] });
  await fromHost(page, { type: 'models', instance: 'env:anthropic', models: [{ value: 'claude-sonnet-4-5', label: 'Claude Sonnet 4.5' }] });
  assert.deepEqual(await options(), ['claude-sonnet-4-5']);
  // Free text still goes: a model the list lacks is saved as typed.
  await row(page, 'checkpoint').locator('input').fill('my-finetune');
  await row(page, 'checkpoint').locator('input').press('Enter');
  assert.deepEqual((await posted(page)).at(-1).fields, { provider_ref: 'env:anthropic', checkpoint: 'my-finetune' });
  assert.equal(await row(page, 'model_id').locator('datalist').count(), 0, 'a field named model_id without the role is a plain box');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the home shows each record\'s tags; a tag\'s chip or the drop-down asks for the records with that tag', async () => {
  const page = await suite.browser.newPage({ viewport: { width: 900, height: 700 } });
  await page.addInitScript(vscodeApiShim);
  await page.goto(suite.harness.settingsUrl('dark'));
  await page.waitForFunction(() => window.__posted.some(m => m.type === 'ready'));
  const group = { templateId: 'task-docs-writer', name: 'Docs writer', description: 'Writes docs.', looks: {}, newLabel: 'Run Task', more: false,
    records: [{ id: 'r1', title: 'Write the guide', detail: 'codex://tasks/write-the-guide', tags: ['docs', 'agent'] }, { id: 'r2', title: 'Untagged', detail: 'codex://tasks/untagged', tags: [] }] };
  await fromHost(page, { type: 'home', groups: [group], tags: ['agent', 'docs'] });
  const chips = title => page.locator('.home-record', { hasText: title }).locator('.home-tag').allInnerTexts();
  await page.locator('.home-record', { hasText: 'Write the guide' }).waitFor();
  assert.deepEqual(await chips('Write the guide'), ['docs', 'agent'], 'a record shows its tags in their order');
  assert.deepEqual(await chips('Untagged'), [], 'a record without tags shows no chip');
  await page.screenshot({ path: path.join(screenshots, 'settings-home-tags-dark.png') });
  await page.getByRole('button', { name: 'Show only the records tagged docs' }).click();
  assert.deepEqual((await posted(page)).at(-1), { type: 'filterTag', tag: 'docs' });
  await page.locator('.home-tag-filter').selectOption('agent');
  assert.deepEqual((await posted(page)).at(-1), { type: 'filterTag', tag: 'agent' });
  await fromHost(page, { type: 'home', groups: [], tags: ['agent', 'docs'], tag: 'gone' });
  await page.locator('.home-empty', { hasText: 'No record is tagged gone.' }).waitFor();
  assert.equal(await page.locator('.home-tag-filter').inputValue(), 'gone');
  await page.locator('.home-tag-filter').selectOption('');
  const all = (await posted(page)).at(-1);
  assert.equal(all.type, 'filterTag');
  assert.equal(all.tag, undefined, 'All tags clears the filter');
  await page.close();
});

test("a provider's form shows Credential kind only for providers whose key is one of two kinds (Anthropic's API, Azure), a user's own included", async () => {
  const { credentialShownWhereItCounts } = await loadSource('extension/src/providers/credentialField.ts');
  // The shipped template's two fields, as templates/get gives them.
  const spec = JSON5.parse(fs.readFileSync(path.join(repoRoot, 'templates/llm-provider.json5'), 'utf8')).fields;
  const dto = (name) => field(name, spec[name].type, { label: spec[name].label, conditional: spec[name].conditional, options: spec[name].options?.map(o => (typeof o === 'string' ? { value: o, label: o } : o)) });
  const catalog = [
    { id: 'openai', type: 'openai' }, { id: 'groq', type: 'openai-compatible' }, { id: 'anthropic', type: 'anthropic' },
    { id: 'azure', type: 'azure' }, { id: 'my-gateway', type: 'anthropic', source: 'user' },
  ].map(p => ({ name: p.id, defaultEndpoint: null, modelCount: 1, source: 'shipped', supported: true, ...p }));
  const provider = (values) => form({
    templateId: 'llm-provider', templateName: 'LLM provider', values, secrets: {},
    fields: credentialShownWhereItCounts([dto('catalog_provider_id'), dto('endpoint'), dto('credential')], catalog, values),
  });

  const { page, errors } = await openForm('dark', provider({ catalog_provider_id: 'openai' }));
  assert.equal(await row(page, 'endpoint').isVisible(), true);
  assert.equal(await row(page, 'credential').isVisible(), false, 'an OpenAI key is sent one way only');
  const shownFor = async (id) => {
    await row(page, 'catalog_provider_id').locator('input').fill(id);
    return row(page, 'credential').isVisible();
  };
  assert.deepEqual([await shownFor('anthropic'), await shownFor('groq'), await shownFor('my-gateway'), await shownFor('azure')], [true, false, true, true]);
  assert.match(await row(page, 'credential').innerText(), /Credential kind/);
  assert.deepEqual(errors, []);
  await page.close();

  // A record that names a kind already keeps it in view, to be seen and cleared.
  const named = await openForm('dark', provider({ catalog_provider_id: 'groq', credential: 'auth_token' }));
  assert.equal(await row(named.page, 'credential').isVisible(), true);
  await named.page.close();
});

test("seed 004's template through every door: Fill in a Form opens on the provider picked and shows only the fields the template applies to it", async () => {
  // The design notes' llm-provider.json5 as templates/get gives it: its own conditions, untouched.
  const notes = JSON5.parse(fs.readFileSync(path.join(repoRoot, 'tests/fixtures/templates/design-notes/llm-provider.json5'), 'utf8'));
  const fields = notes.fields.map(({ name, type, options, ...rest }) => field(name, type, { ...rest, options: options?.map(o => ({ value: o, label: o })) }));
  const { page, errors } = await openForm('dark', form({
    mode: 'create', templateId: 'llm-provider', templateName: notes.name, title: `New ${notes.name}`, version: undefined, updatedAt: undefined,
    fields, values: { provider_type: 'openai' }, secrets: {}, submitLabel: 'Create',
  }));
  const shown = async () => (await Promise.all(['endpoint', 'api_key_ref', 'cli_path'].map(async name => [name, await row(page, name).isVisible()]))).filter(([, visible]) => visible).map(([name]) => name);

  assert.equal(await row(page, 'provider_type').locator('select').inputValue(), 'openai', 'the form opens on the provider picked');
  assert.deepEqual(await shown(), ['api_key_ref'], 'OpenAI: no endpoint, no CLI path');
  await row(page, 'provider_type').locator('select').selectOption('ollama');
  assert.deepEqual(await shown(), ['endpoint'], 'Ollama: the endpoint, no key');
  await row(page, 'endpoint').locator('input').fill('http://127.0.0.1:11999/v1');
  await row(page, 'provider_type').locator('select').selectOption('claude-code');
  assert.deepEqual(await shown(), ['cli_path']);
  await row(page, 'provider_type').locator('select').selectOption('ollama');
  assert.equal(await row(page, 'endpoint').locator('input').inputValue(), 'http://127.0.0.1:11999/v1', 'what was typed waits while the field is hidden');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a catalog form\'s error in one model\'s number is said in words and outlines only that box, not every field of the row', async () => {
  const modelFields = [field('id', 'text', { label: 'Model id', required: true }), field('context_window', 'number', { label: 'Context window (tokens)', min: 1, step: 1 }), field('max_output', 'number', { label: 'Max output (tokens)', min: 1, step: 1 })];
  const catalogForm = form({
    templateId: 'catalog', templateName: 'Custom catalog', title: 'My gateway', secrets: {},
    fields: [field('models', 'array', { label: 'Models', items: field('', 'object', { properties: modelFields }) })],
    values: { models: [{ id: 'gw-small', context_window: 1.5, max_output: 4096 }, { id: 'gw-large', context_window: 200000 }] },
  });
  const { page, errors } = await openForm('dark', catalogForm);
  // What the sidecar says of the first model's context window (FieldValueRules' step rule).
  await fromHost(page, { type: 'errors', fields: { models: '[0].context_window must be a whole number, 1 or more' }, message: 'Nothing was saved: correct the fields marked below.' });
  const models = row(page, 'models');
  assert.equal(await models.locator('.field-error').innerText(), 'Item 1, Context window (tokens) must be a whole number, 1 or more');
  const outlined = await models.locator('.settings-input').evaluateAll(boxes => boxes.map(b => b.closest('.has-error') !== null));
  assert.deepEqual(outlined, [false, true, false, false, false, false], 'not only the faulty box is outlined');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.id), await models.locator('.settings-input').nth(1).evaluate(b => b.getAttribute('aria-label') ?? b.id), 'the faulty box has not the focus');
  await page.screenshot({ path: path.join(screenshots, 'settings-webview-item-error-dark.png') });
  // Saved again with no error: nothing stays outlined.
  await fromHost(page, { type: 'errors', fields: {}, message: undefined });
  assert.equal(await models.locator('.has-error').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a custom catalog's form offers Delete Catalog… beside History and Undo, and asks the host to run it on the record", async () => {
  const catalogForm = form({
    templateId: 'catalog', templateName: 'Custom catalog', title: 'My gateway', secrets: {}, values: {},
    fields: [field('provider_id', 'text', { label: 'Provider id' })],
    actions: [{ command: 'plue.catalogs.delete', label: 'Delete Catalog…', icon: 'trash', title: 'Delete this custom catalog (asks first; Undo brings it back)' }],
  });
  const { page, errors } = await openForm('dark', catalogForm);
  const remove = page.getByRole('button', { name: 'Delete this custom catalog (asks first; Undo brings it back)' });
  assert.equal(await remove.innerText(), 'Delete Catalog…');
  await remove.click();
  assert.deepEqual((await posted(page)).at(-1), { type: 'action', command: 'plue.catalogs.delete' });
  assert.deepEqual(errors, []);
  await page.close();

  // Another kind's form has no such button.
  const plain = await openForm('dark', form());
  assert.equal(await plain.page.getByRole('button', { name: /Delete Catalog/ }).count(), 0);
  await plain.page.close();
});
