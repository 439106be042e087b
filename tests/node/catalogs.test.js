// Custom catalogs as records, through the real sidecar process and vscode-jsonrpc: a `catalog` record is a user
// catalog file that Add Provider's `catalog/list` offers at once; every change backs the file up and undo puts it
// back; files come in and go out in the project's format and Catwalk's; a file that cannot load says where.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startSidecar } = require('./support/sidecar');

const gateway = {
  provider_id: 'acme-gateway',
  provider_type: 'openai-compatible',
  endpoint: 'https://gateway.acme.example/v1',
  api_key_env: 'ACME_API_KEY',
  models: [{ id: 'acme-large', name: 'Acme Large', context_window: 200000, input_price: 2, output_price: 8 }],
};

/** A Catwalk provider file, as Catwalk writes them (snake_case; in_cached the write price, out_cached the read). */
const catwalkFile = JSON.stringify({
  id: 'zenith', name: 'Zenith', type: 'openai-compat', api_key: '$ZENITH_API_KEY', api_endpoint: 'https://api.zenith.example/v1',
  default_large_model_id: 'zenith-1',
  models: [{ id: 'zenith-1', name: 'Zenith 1', cost_per_1m_in: 1, cost_per_1m_out: 4, cost_per_1m_in_cached: 1.25, cost_per_1m_out_cached: 0.1, context_window: 128000, default_max_tokens: 8000, can_reason: false, supports_attachments: true }],
}, null, 2);

async function started(t, before) {
  const s = startSidecar();
  t.after(() => s.stop());
  before?.(s.home);
  await s.initialize({});
  const changes = [];
  s.connection.onNotification('codex/changed', (change) => changes.push(change));
  return { s, changes, call: (method, params) => s.connection.sendRequest(method, params) };
}

const ids = async (call) => (await call('catalog/list', {})).map((p) => p.id);
const backups = (home) => (fs.existsSync(path.join(home, 'catalog', 'backups')) ? fs.readdirSync(path.join(home, 'catalog', 'backups')) : []);

test('a catalog record is a provider Add Provider lists at once; an edit backs the file up, and undo and delete put it back and take it away', async (t) => {
  const { s, changes, call } = await started(t);
  const file = path.join(s.home, 'catalog', 'acme-gateway.json');

  const record = await call('codex/create', { templateId: 'catalog', title: 'Acme Gateway', fields: gateway });
  assert.ok((await ids(call)).includes('acme-gateway'), 'catalog/list offers the new provider');
  const summary = (await call('catalog/list', {})).find((p) => p.id === 'acme-gateway');
  assert.equal(summary.name, 'Acme Gateway');
  assert.deepEqual((await call('catalog/models', { providerId: 'acme-gateway' })).map((m) => [m.id, m.contextWindow, m.prices.input, m.prices.output]), [['acme-large', 200000, 2, 8]]);
  assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).apiKeyEnv, 'ACME_API_KEY');
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  assert.ok(changes.some((c) => c.id === record.id && c.kind === 'catalog'), 'codex/changed told the record');
  assert.deepEqual(backups(s.home), [], 'nothing to back up before the first save');

  const edited = await call('codex/update', { id: record.id, version: record.version, title: 'Acme Gateway EU', fields: { endpoint: 'https://eu.gateway.acme.example/v1' } });
  assert.equal((await call('catalog/list', {})).find((p) => p.id === 'acme-gateway').defaultEndpoint, 'https://eu.gateway.acme.example/v1');
  assert.equal(backups(s.home).length, 1, 'the file before the edit is kept');
  const backup = JSON.parse(fs.readFileSync(path.join(s.home, 'catalog', 'backups', backups(s.home)[0]), 'utf8'));
  assert.equal(backup.defaultEndpoint, 'https://gateway.acme.example/v1');

  await call('codex/undo', { id: edited.id });
  assert.equal((await call('catalog/list', {})).find((p) => p.id === 'acme-gateway').name, 'Acme Gateway', 'undo wrote the file back as it was');
  assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).defaultEndpoint, 'https://gateway.acme.example/v1');

  await call('codex/delete', { id: record.id });
  assert.ok(!(await ids(call)).includes('acme-gateway'), 'a deleted record takes its provider away');
  assert.ok(!fs.existsSync(file));
  await call('codex/undo', { id: record.id });
  assert.ok((await ids(call)).includes('acme-gateway'), 'undo of the delete brings it back');
  assert.ok(backups(s.home).length >= 3, 'each change backed the file up first');
});

test('a catalog record meets the catalog rules at save: each problem beside its field, nothing written', async (t) => {
  const { s, call } = await started(t, (home) => {
    fs.mkdirSync(path.join(home, 'catalog'), { recursive: true });
    fs.writeFileSync(path.join(home, 'catalog', 'mine.json'), JSON.stringify({ id: 'mine', name: 'Mine', type: 'openai-compatible', defaultEndpoint: 'https://mine.example/v1', models: [{ id: 'm', name: 'M' }] }));
  });
  const refused = await call('codex/create', { templateId: 'catalog', title: 'Clash', fields: { ...gateway, provider_id: 'mine', default_model: 'nope' } }).then(() => null, (e) => e);
  assert.equal(refused?.code, -32602);
  assert.match(refused.data.fields.provider_id, /'mine' is already a catalog provider of yours/);
  assert.match(refused.data.fields.default_model, /'nope' is not one of the provider's models/);
  assert.deepEqual(fs.readdirSync(path.join(s.home, 'catalog')), ['mine.json'], 'nothing was written');
});

test('catalog/import takes a Catwalk file and Plue\'s; catalog/export gives either back', async (t) => {
  const { call } = await started(t);
  const imported = await call('catalog/import', { text: catwalkFile, fileName: '/somewhere/zenith.json' });
  assert.equal(imported.templateId, 'catalog');
  assert.equal(imported.title, 'Zenith');
  assert.deepEqual(imported.fields.models[0], { id: 'zenith-1', name: 'Zenith 1', context_window: 128000, max_output: 8000, input_price: 1, output_price: 4, cache_read_price: 0.1, cache_write_price: 1.25, supports_attachments: true });
  assert.equal(imported.fields.api_key_env, 'ZENITH_API_KEY');
  assert.ok((await ids(call)).includes('zenith'), 'an imported catalog is offered at once');

  const catwalk = JSON.parse((await call('catalog/export', { id: imported.id, format: 'catwalk' })).text);
  assert.deepEqual(JSON.parse(catwalkFile), { ...catwalk, models: catwalk.models.map((m) => ({ can_reason: false, ...m })) }, 'Catwalk out is Catwalk in');
  const plue = await call('catalog/export', { id: imported.id });
  assert.equal(plue.fileName, 'zenith.json');
  assert.equal(JSON.parse(plue.text).models[0].prices.cacheRead, 0.1);

  await call('codex/delete', { id: imported.id });
  const again = await call('catalog/import', { text: plue.text, fileName: 'zenith.json' });
  assert.deepEqual(again.fields, imported.fields, 'Plue\'s format round-trips');

  const broken = await call('catalog/import', { text: '{ "id": "x",\n  "models": [ }', fileName: 'broken.json' }).then(() => null, (e) => e);
  assert.equal(broken?.code, -32602);
  assert.match(broken.message, /broken\.json is not a catalog provider file \(line 2, column 15\): this is not valid JSON here/);
  // In the user's words with where, never the JSON library's: a file cut off, a value of the wrong kind.
  const cut = await call('catalog/import', { text: '{ "id": "x",\n  "models": [ { "id": "m"', fileName: 'cut.json' }).then(() => null, (e) => e);
  assert.match(cut?.message ?? '', /^cut\.json is not a catalog provider file: the file ends early at line 2: an object, a list or a quoted text is not closed; close it/);
  const wrong = await call('catalog/import', { text: '{ "id": "x", "name": "X", "type": "openai",\n  "models": [ { "id": "m", "name": "M", "contextWindow": "200k" } ] }', fileName: 'wrong.json' })
    .then(() => null, (e) => e);
  assert.match(wrong?.message ?? '', /^wrong\.json is not a catalog provider file \(line 2, column \d+\): models\[0\]\.contextWindow (must be a whole number|has a value of the wrong kind)/);
  for (const e of [broken, cut, wrong]) assert.doesNotMatch(e.message, /Plue\.Protocol|Path: \$|LineNumber|depth to be zero|BytePosition/);
  const other = await call('codex/create', { templateId: 'mcp-server', title: 'Tool', fields: { command: 'npx' } });
  await assert.rejects(call('catalog/export', { id: other.id }), /not a custom catalog/);
});

test('a catalog file that cannot load is told with its line by catalog/problems; a Catwalk file in the folder loads', async (t) => {
  const { s, call } = await started(t, (home) => {
    fs.mkdirSync(path.join(home, 'catalog'), { recursive: true });
    fs.writeFileSync(path.join(home, 'catalog', 'broken.json'), '{\n  "id": "broken",\n  "name": "Broken",\n  "models": [,]\n}\n');
    fs.writeFileSync(path.join(home, 'catalog', 'zenith.json'), catwalkFile);
  });
  const problems = await call('catalog/problems', {});
  assert.equal(problems.length, 1);
  assert.equal(problems[0].file, path.join(s.home, 'catalog', 'broken.json'));
  assert.equal(problems[0].line, 4);
  assert.equal(problems[0].severity, 'error');
  assert.ok((await ids(call)).includes('zenith'), 'a Catwalk file in the user catalog is read, not skipped');
  assert.equal((await call('catalog/models', { providerId: 'zenith' }))[0].prices.cacheWrite, 1.25);
});

test('a catalog record another window makes is offered here once its codex/changed arrives', async (t) => {
  const here = await started(t);
  assert.ok(!(await ids(here.call)).includes('acme-gateway'), 'this window has read its catalog already');
  const other = startSidecar({ home: here.s.home });
  t.after(() => other.stop());
  await other.initialize({});
  const told = new Promise((resolve) => here.s.connection.onNotification('codex/changed', (change) => { if (change.kind === 'catalog') resolve(change); }));

  await other.connection.sendRequest('codex/create', { templateId: 'catalog', title: 'Acme Gateway', fields: gateway });

  await told;
  assert.ok((await ids(here.call)).includes('acme-gateway'), 'the other window\'s provider is offered here');
});
