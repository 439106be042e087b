// Codex records through the real sidecar process and vscode-jsonrpc: identity under concurrency (every acknowledged
// record exists, with its key; no raw database error), and the design notes' provider template keeping what it is given.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { startSidecar } = require('./support/sidecar');

const fakeOpenAI = pathToFileURL(path.resolve(__dirname, '../e2e/support/fakeOpenAI.mjs')).href;
const vaultKey = Buffer.alloc(32, 7).toString('base64');

/** Every call's outcome: its result, or its error's code and message (none may be -32603, an internal error). */
async function settle(calls) {
  return Promise.all(calls.map((call) => call.then((value) => ({ value }), (e) => ({ code: e.code, message: e.message }))));
}

test('50 chats and 50 same-name provider instances created at once: every acknowledged one exists, each instance with its own key', async (t) => {
  const s = startSidecar();
  t.after(() => s.stop());
  await s.initialize({ vaultKey });
  const call = (method, params) => s.connection.sendRequest(method, params);
  const instance = await call('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: 'http://127.0.0.1:9/v1', apiKey: 'sk-first' });

  const [sessions, instances] = await Promise.all([
    settle(Array.from({ length: 50 }, () => call('session/create', { instanceId: instance.id, modelId: 'gpt-node', title: 'Same title', allowUnlisted: true }))),
    settle(Array.from({ length: 50 }, (_, i) => call('instances/create', { displayName: 'Same name', catalogProviderId: 'openai', apiKey: `sk-same-${i}` }))),
  ]);

  assert.deepEqual([...sessions, ...instances].filter((r) => r.code !== undefined), [], 'no create failed (and none with -32603)');
  const listed = new Set((await call('session/list', {})).map((x) => x.id));
  assert.ok(sessions.every((r) => listed.has(r.value.id)), 'every acknowledged chat exists');
  const stored = await call('instances/list', {});
  for (const { value } of instances) {
    const again = stored.find((x) => x.id === value.id);
    assert.ok(again, `${value.ref} exists`);
    assert.equal(again.hasKey, true, `${value.ref} has its key`);
  }
  assert.equal(new Set(instances.map((r) => r.value.apiKeyRef)).size, 50, 'each instance names its own vault entry');
  assert.equal((await call('vault/list', {})).filter((ref) => ref.startsWith('vault://openai/same-name')).length, 50);
});

test('codex/changed tells every committed change: this sidecar its own at once, the other sidecar on the same home too', async (t) => {
  const first = startSidecar();
  t.after(() => first.stop());
  await first.initialize({ vaultKey });
  const second = startSidecar({ home: first.home });
  t.after(() => second.stop());
  await second.initialize({ vaultKey });
  const heard = { first: [], second: [] };
  first.connection.onNotification('codex/changed', (p) => heard.first.push(p));
  second.connection.onNotification('codex/changed', (p) => heard.second.push(p));
  const until = async (list, predicate, what) => {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      const found = list.find(predicate);
      if (found) return found;
    }
    assert.fail(`not told: ${what}`);
  };

  const created = await first.connection.sendRequest('instances/create', { displayName: 'Shared', catalogProviderId: 'openai', apiKey: 'sk-shared' });
  const own = await until(heard.first, (p) => p.id === created.id, 'the creating sidecar hears its own create');
  assert.equal(own.kind, 'llm-provider');
  assert.equal(own.record.title, 'Shared');
  const other = await until(heard.second, (p) => p.id === created.id, 'the other sidecar hears the create');
  assert.deepEqual(other.record, own.record);

  await second.connection.sendRequest('codex/update', { id: created.id, version: created.version, title: 'Renamed' });
  const renamed = await until(heard.first, (p) => p.id === created.id && p.record?.title === 'Renamed', 'the first hears the rename the second made');
  assert.equal(renamed.record.version, 2);

  await second.connection.sendRequest('codex/delete', { id: created.id });
  const deleted = await until(heard.first, (p) => p.id === created.id && p.deleted, 'the first hears the delete');
  assert.equal(deleted.kind, 'llm-provider');
  assert.equal(deleted.record, undefined);
  // Told once: the first sidecar's watcher reads history in order, so by the rename it has passed its own create,
  // which it must not tell again (a second telling redraws every view, closing a hover or a menu open on it).
  assert.equal(heard.first.filter((p) => p.id === created.id && p.record?.version === 1).length, 1, 'the create was told twice');
});

test("a provider's temperature and reply length reach the wire as every chat's defaults, under the chat's own", async (t) => {
  const { startFakeOpenAI } = await import(fakeOpenAI);
  const fake = await startFakeOpenAI({ replies: [{ text: 'one', gapMs: 0 }, { text: 'two', gapMs: 0 }] });
  const s = startSidecar();
  t.after(async () => { await fake.close(); await s.stop(); });
  await s.initialize({ vaultKey });
  const call = (method, params) => s.connection.sendRequest(method, params);
  const instance = await call('instances/create', { displayName: 'Tuned', catalogProviderId: 'openai', endpoint: fake.endpoint, apiKey: 'sk-tuned' });
  await call('codex/update', { id: instance.id, version: instance.version, fields: { temperature: 0.3, max_tokens: 321 } });
  const session = await call('session/create', { instanceId: instance.id, modelId: 'loop-1', allowUnlisted: true });

  await call('session/send', { sessionId: session.id, text: 'first' });
  const first = fake.chats()[0].body;
  assert.equal(first.temperature, 0.3);
  assert.equal(first.max_completion_tokens ?? first.max_tokens, 321);

  const chat = await call('codex/get', { id: session.id });
  await call('codex/update', { id: chat.id, version: chat.version, fields: { temperature: 1.1 } });
  await call('session/send', { sessionId: session.id, text: 'second' });
  const second = fake.chats()[1].body;
  assert.equal(second.temperature, 1.1, "the chat's own temperature wins");
  assert.equal(second.max_completion_tokens ?? second.max_tokens, 321, "the provider's reply length still holds");
});
