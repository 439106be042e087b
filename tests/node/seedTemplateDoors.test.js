// Issue 68 item 3, "Seed 004's template through every door": with the design notes' llm-provider.json5 in the Plue home,
// the real `plue` CLI and the real sidecar's codex/create obey the template's own conditions. A field it does not apply
// to the provider picked is refused in words (never stored and then ignored); an instance it allows reaches the
// loopback provider at the endpoint typed. The built-in template keeps OpenAI with a custom endpoint working.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { startSidecar } = require('./support/sidecar');
const { plue, tempHome } = require('./support/plue');

const fakeOpenAI = pathToFileURL(path.resolve(__dirname, '../e2e/support/fakeOpenAI.mjs')).href;
const fakeOllama = pathToFileURL(path.resolve(__dirname, '../e2e/support/fakeOllama.mjs')).href;
const seed004 = path.resolve(__dirname, '../fixtures/templates/design-notes/llm-provider.json5');
const vaultKey = Buffer.alloc(32, 7).toString('base64');

function withSeedTemplate(home) {
  const templates = path.join(home, 'templates');
  fs.mkdirSync(templates, { recursive: true });
  fs.copyFileSync(seed004, path.join(templates, 'llm-provider.json5'));
}

test("seed 004's template through every door: plue instances add refuses an endpoint for openai in words, before the key", async (t) => {
  const { startFakeOpenAI } = await import(fakeOpenAI);
  const fake = await startFakeOpenAI({ models: ['loop-1'] });
  t.after(() => fake.close());
  const home = tempHome();
  withSeedTemplate(home);

  const refused = await plue(['instances', 'add', 'openai', '--endpoint', fake.endpoint, '-m', 'loop-1', '--key-stdin'], { home, input: 'sk-never-read\n' });

  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /--endpoint: your provider template applies it only to ollama, not to openai: leave it out/);
  assert.doesNotMatch(refused.stderr, /provider_type|instances\/create|codex\/|\.json5/);
  assert.match((await plue(['instances', 'list'], { home })).stdout, /^No provider instances yet/);
  assert.equal(fake.requests.length, 0);
  const other = await plue(['instances', 'add', 'openrouter', '--no-key'], { home });
  assert.equal(other.code, 2);
  assert.match(other.stderr, /Your provider template offers claude-code, anthropic, openai, ollama, not openrouter/);
});

test("seed 004's template through every door: plue instances add ollama at the endpoint typed, a model outside the catalog, reaches the loopback provider", async (t) => {
  const { startFakeOllama } = await import(fakeOllama);
  const fake = await startFakeOllama({ models: ['my-own-model:7b'] });
  t.after(() => fake.close());
  const home = tempHome();
  withSeedTemplate(home);
  const endpoint = `http://127.0.0.1:${fake.port}/v1`;

  // No --no-key: the template gives ollama no key, so none is asked (an empty pipe is not read).
  const added = await plue(['instances', 'add', 'ollama', '--name', 'Local', '--endpoint', endpoint, '-m', 'my-own-model:7b'], { home });
  assert.equal(added.code, 0, added.stderr);
  const tested = await plue(['instances', 'test', 'Local'], { home });

  assert.equal(tested.code, 0, tested.stderr);
  assert.ok(fake.requests.some((r) => r.url.startsWith('/api/')), 'the test reached the endpoint typed');
  assert.match((await plue(['instances', 'list'], { home })).stdout, new RegExp(`Local\\tollama\\t${endpoint.replace(/[./]/g, '\\$&')}\\tmy-own-model:7b`));
});

test("seed 004's template through every door: codex/create refuses an endpoint for openai, and an ollama record's chat goes to the endpoint typed", async (t) => {
  const { startFakeOllama } = await import(fakeOllama);
  const fake = await startFakeOllama({ models: ['my-own-model:7b'] });
  const s = startSidecar();
  t.after(async () => { await fake.close(); await s.stop(); });
  withSeedTemplate(s.home);
  await s.initialize({ vaultKey });
  const call = (method, params) => s.connection.sendRequest(method, params);

  await assert.rejects(call('codex/create', { templateId: 'llm-provider', title: 'Form proxy', fields: { provider_type: 'openai', model: 'loop-1', endpoint: 'http://127.0.0.1:9/v1' } }),
    (e) => e.code === -32602 && /endpoint: does not apply while provider_type is "openai".*provider_type is "ollama"/.test(e.message));
  assert.equal((await call('codex/list', { templateId: 'llm-provider' })).items.length, 0, 'nothing stored');

  const endpoint = `http://127.0.0.1:${fake.port}/v1`;
  const record = await call('codex/create', { templateId: 'llm-provider', title: 'Local', fields: { provider_type: 'ollama', model: 'my-own-model:7b', endpoint } });
  const instance = await call('instances/get', { id: record.id });
  assert.equal(instance.endpoint, endpoint, 'the view shows the endpoint typed');
  const session = await call('session/create', { instanceId: record.id, modelId: 'my-own-model:7b', allowUnlisted: true });
  const answer = await call('session/send', { sessionId: session.id, text: 'hello' });
  assert.equal(answer.status, 'complete', answer.error);
  // The message's request (the chat's title may be asked of the same server beside it).
  const asked = fake.chats().filter((c) => JSON.stringify(c.body.messages).includes('hello'));
  assert.equal(asked.length >= 1, true, 'the chat did not reach the endpoint the record keeps');
  assert.ok(fake.chats().every((c) => c.body.model === 'my-own-model:7b'), 'a request went with another model');
});

test('the built-in template: plue instances add openai with a custom endpoint keeps it, and the test reaches the loopback provider there', async (t) => {
  const { startFakeOpenAI } = await import(fakeOpenAI);
  const fake = await startFakeOpenAI({ models: ['loop-1'] });
  t.after(() => fake.close());
  const home = tempHome();

  const added = await plue(['instances', 'add', 'openai', '--name', 'Proxy', '--endpoint', fake.endpoint, '-m', 'loop-1', '--key-stdin'], { home, input: 'sk-proxy-KEY-0123456789\n' });
  assert.equal(added.code, 0, added.stderr);
  const tested = await plue(['instances', 'test', 'Proxy'], { home });

  assert.equal(tested.code, 0, tested.stderr);
  assert.ok(fake.requests.some((r) => r.url === '/v1/models' || r.url === '/v1/chat/completions'), 'the test reached the endpoint typed');
});
