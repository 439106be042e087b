// Enabling an instance tests it, over the real sidecar (vscode-jsonrpc) and the real `plue` command line, against a
// loopback OpenAI-compatible provider: one that refuses the key (401) leaves the instance enabled but failed, saying
// why and what mends it; one that takes the key reports it works. Disabling makes no call.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { startSidecar, root } = require('./support/sidecar');
const { plue, tempHome } = require('./support/plue');

const fakeOpenAI = async (options) => (await import(path.join(root, 'tests', 'e2e', 'support', 'fakeOpenAI.mjs'))).startFakeOpenAI(options);
const rightKey = 'sk-enable-right-0123456789';
const wrongKey = 'sk-enable-wrong-0123456789';

test('instances/setEnabled: enabling tests the instance; a refused key leaves it enabled and failed, a taken one works', async (t) => {
  const fake = await fakeOpenAI({ models: ['loop-1', 'loop-2'], authorize: (auth) => auth === `Bearer ${rightKey}` });
  t.after(() => fake.close());
  const sidecar = startSidecar({ env: { PLUE_VAULT_KEY: Buffer.alloc(32, 3).toString('base64') } });
  t.after(() => sidecar.stop());
  await sidecar.initialize();
  const call = (method, params) => sidecar.connection.sendRequest(method, params);

  const created = await call('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: fake.endpoint, apiKey: wrongKey, enabled: false });
  assert.equal(created.lastTest, undefined);
  assert.equal(fake.requests.length, 0, 'creating a disabled instance calls nothing');

  const refused = await call('instances/setEnabled', { id: created.id, enabled: true });
  assert.equal(refused.enabled, true, 'a failed test does not undo the enabling');
  assert.equal(refused.lastTest?.ok, false, JSON.stringify(refused.lastTest));
  assert.equal(refused.lastTest.fix, 'key');
  assert.match(refused.lastTest.error, /rejected the API key/);
  assert.doesNotMatch(JSON.stringify(refused), new RegExp(wrongKey));
  assert.deepEqual(fake.requests.map((r) => [r.method, r.url, r.auth]), [['GET', '/v1/models', `Bearer ${wrongKey}`]]);
  assert.deepEqual((await call('instances/get', { id: created.id })).lastTest, refused.lastTest, 'kept as its last test');

  const disabled = await call('instances/setEnabled', { id: created.id, enabled: false });
  assert.equal(disabled.enabled, false);
  assert.equal(fake.requests.length, 1, 'disabling calls nothing');

  await call('instances/update', { id: created.id, version: disabled.version, apiKey: rightKey });
  const works = await call('instances/setEnabled', { id: created.id, enabled: true });
  assert.equal(works.enabled, true);
  assert.equal(works.lastTest?.ok, true, JSON.stringify(works.lastTest));
  assert.equal(works.lastTest.modelCount, 2);
  assert.equal(works.lastTest.error, undefined);
  assert.equal(fake.requests.at(-1).auth, `Bearer ${rightKey}`);

  await assert.rejects(call('instances/setEnabled', { id: 'no-such-instance', enabled: true }), (e) => e.code === -33001);
});

test('plue instances enable: a refused key says so with what to do and exits 1, still enabled; a taken key says it works', async (t) => {
  let accepted = rightKey;
  const fake = await fakeOpenAI({ authorize: (auth) => auth === `Bearer ${accepted}` });
  t.after(() => fake.close());
  const home = tempHome();
  const added = await plue(['instances', 'add', 'openai', '--name', 'Loopback', '--endpoint', fake.endpoint, '-m', 'loop-1', '--key-stdin'], { home, input: `${rightKey}\n` });
  assert.equal(added.code, 0, added.stderr);
  assert.equal((await plue(['instances', 'disable', 'Loopback'], { home })).code, 0);

  accepted = 'sk-another-key-entirely';
  const refused = await plue(['instances', 'enable', 'Loopback'], { home });
  assert.equal(refused.code, 1, refused.stderr);
  assert.match(refused.stderr, /Enabling Loopback and testing it/);
  assert.match(refused.stderr, /Loopback is enabled, but does not work: .*rejected the API key.*; set another key with `plue instances key "Loopback"`/);
  assert.doesNotMatch(refused.stderr + refused.stdout, new RegExp(rightKey));
  const listed = JSON.parse((await plue(['instances', 'list', '--json'], { home })).stdout);
  assert.equal(listed[0].enabled, true);
  assert.equal(listed[0].lastTest.ok, false);

  accepted = rightKey;
  const json = await plue(['instances', 'enable', 'Loopback', '--json'], { home });
  assert.equal(json.code, 0, json.stderr);
  assert.equal(JSON.parse(json.stdout).lastTest.ok, true);
  const works = await plue(['instances', 'enable', 'Loopback'], { home });
  assert.equal(works.code, 0, works.stderr);
  assert.match(works.stdout, /Loopback is enabled: it works \(\d+ ms\)\./);
});

test('an edit a test does not try (name, timeouts, a sampling default, enabling) keeps the last test; an endpoint, key, provider or model makes the instance untested', async (t) => {
  const fake = await fakeOpenAI({ models: ['loop-1'], authorize: (auth) => auth === `Bearer ${rightKey}` });
  t.after(() => fake.close());
  const sidecar = startSidecar({ env: { PLUE_VAULT_KEY: Buffer.alloc(32, 3).toString('base64') } });
  t.after(() => sidecar.stop());
  await sidecar.initialize();
  const call = (method, params) => sidecar.connection.sendRequest(method, params);
  const created = await call('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: fake.endpoint, apiKey: rightKey });
  const tested = await call('instances/test', { id: created.id });
  assert.equal(tested.ok, true, JSON.stringify(tested));

  const edit = async (fields, title) => {
    const record = await call('codex/get', { id: created.id });
    await call('codex/update', { id: created.id, version: record.version, fields, title });
    return (await call('instances/get', { id: created.id })).lastTest;
  };
  assert.deepEqual(await edit({ timeout_ms: 30_000, stall_timeout_ms: 90_000, retry_max_attempts: 1 }, 'Loopback renamed'), tested, 'timeouts, retries and a name');
  assert.deepEqual(await edit({ temperature: 0.2, max_tokens: 500, local: true }), tested, 'sampling defaults and local');
  await call('instances/setEnabled', { id: created.id, enabled: false });
  assert.deepEqual((await call('instances/get', { id: created.id })).lastTest, tested, 'disabling');

  assert.equal(await edit({ default_model: 'loop-1' }), undefined, 'a model the test did not try');
  await call('instances/test', { id: created.id });
  assert.equal(await edit({ endpoint: `${fake.endpoint}/` }), undefined, 'another endpoint');
});
