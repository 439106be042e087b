// Search over every chat and task (session/search) through the real sidecar: a loopback OpenAI-compatible server
// answers, the store's FTS5 index finds a chat by a word of its third message, and the filters keep what they say.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { startSidecar } = require('./support/sidecar');

/** A /v1/chat/completions server that answers every request with `answer`, streamed. */
async function fakeOpenAI(answer) {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: answer }, finish_reason: null }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${server.address().port}/v1`, close: () => server.close() };
}

const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

test('session/search finds a chat by a word of its third message, with the matching line, and filters by instance and date', async (t) => {
  const fake = await fakeOpenAI('Noted.');
  const s = startSidecar();
  t.after(async () => { fake.close(); await s.stop(); });
  await s.initialize({ vaultKey: Buffer.alloc(32, 9).toString('base64') });
  const call = (method, params) => s.connection.sendRequest(method, params);
  const work = await call('instances/create', { displayName: 'Work Loopback', catalogProviderId: 'openai', endpoint: fake.endpoint, apiKey: 'sk-node-search-0123456789' });
  const home = await call('instances/create', { displayName: 'Home Loopback', catalogProviderId: 'openai', endpoint: fake.endpoint, apiKey: 'sk-node-search-9876543210' });
  const chat = async (instance, title, texts) => {
    const session = await call('session/create', { instanceId: instance.id, modelId: 'gpt-node', allowUnlisted: true, title });
    for (const text of texts) await call('session/send', { sessionId: session.id, text });
    return session;
  };
  const trip = await chat(work, 'Planning', ['Where should we go?', 'Somewhere warm, please.', 'What about the spice markets of Zanzibar?\nAnd the beaches.']);
  const other = await chat(work, 'Parser work', ['How do I parse arithmetic?', 'And precedence?', 'Thanks, that helps.']);
  const elsewhere = await chat(home, 'Holiday list', ['A list for the trip', 'Books to read', 'Zanzibar is on it too']);

  const found = await call('session/search', { query: 'zanzibar', instanceId: work.id });
  assert.deepEqual(found.hits.map((h) => h.id), [trip.id], 'the chat whose third message says it, and no other');
  const [hit] = found.hits;
  assert.equal(hit.kind, 'chat');
  assert.equal(hit.title, 'Planning');
  assert.equal(hit.instanceName, 'Work Loopback');
  assert.equal(hit.modelId, 'gpt-node');
  assert.match(hit.snippet, /spice markets of Zanzibar/);
  assert.doesNotMatch(hit.snippet, /\n/, 'the matching line is one line');
  const { messages } = await call('session/messages', { id: trip.id });
  const third = messages.filter((m) => m.role === 'user')[2];
  assert.equal(hit.messageId, third.id);

  // Without the instance filter both chats that say it; a prefix finds it too; case and accents do not matter.
  assert.deepEqual((await call('session/search', { query: 'ZANZ' })).hits.map((h) => h.id).sort(), [trip.id, elsewhere.id].sort());
  assert.deepEqual((await call('session/search', { query: 'zanzibar', instanceId: home.id })).hits.map((h) => h.id), [elsewhere.id]);
  assert.deepEqual((await call('session/search', { query: 'precedence' })).hits.map((h) => h.id), [other.id]);
  assert.deepEqual((await call('session/search', { query: 'nothing says kumquat' })).hits, []);

  // A title matches as well as content.
  const titled = await call('session/search', { query: 'holiday' });
  assert.deepEqual(titled.hits.map((h) => h.id), [elsewhere.id]);
  assert.equal(titled.hits[0].titleMatched, true);

  // Dates: changed today, not tomorrow nor before yesterday.
  assert.equal((await call('session/search', { query: 'zanzibar', from: day(0) })).hits.length, 2);
  assert.equal((await call('session/search', { query: 'zanzibar', from: day(1) })).hits.length, 0);
  assert.equal((await call('session/search', { query: 'zanzibar', to: day(-1) })).hits.length, 0);
  assert.equal((await call('session/search', { query: 'zanzibar', from: day(-1), to: day(1) })).hits.length, 2);
  await assert.rejects(call('session/search', { query: 'zanzibar', from: 'last week' }), (e) => e.code === -32602 && /is not a date; write it as 2026-11-25/.test(e.message));

  // An empty query lists what the filters keep, newest first; sort oldest turns it round.
  assert.deepEqual((await call('session/search', { query: '', instanceId: work.id })).hits.map((h) => h.id), [other.id, trip.id]);
  assert.deepEqual((await call('session/search', { query: ' ', instanceId: work.id, sort: 'oldest' })).hits.map((h) => h.id), [trip.id, other.id]);
  // Words that would be FTS5 operators are only words.
  assert.deepEqual((await call('session/search', { query: 'spice AND "markets' })).hits.map((h) => h.id), [trip.id]);
  // A renamed chat is found by its new title.
  await call('session/rename', { id: other.id, title: 'Operator precedence' });
  assert.deepEqual((await call('session/search', { query: 'operator' })).hits.map((h) => h.id), [other.id]);
  // Tags and modes filter too.
  assert.equal((await call('session/search', { query: 'zanzibar', tag: 'nope' })).hits.length, 0);
  const mode = (await call('session/get', { id: trip.id })).mode;
  if (mode) assert.deepEqual((await call('session/search', { query: 'zanzibar', instanceId: work.id, mode })).hits.map((h) => h.id), [trip.id]);
  assert.equal((await call('session/search', { query: 'zanzibar', mode: 'no-such-mode' })).hits.length, 0);
});
