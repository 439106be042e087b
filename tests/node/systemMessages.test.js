// System-role messages (session/addSystem, the composer's `/system <text>`) in the real sidecar process, against one
// loopback server that speaks each wire as the service does: the message is stored with role "system", no turn starts,
// and the next turn's request carries it as that wire's system content: OpenAI's `system` message where it stands,
// Anthropic's `system` text (never a turn of its `messages`), Ollama's `system` role.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { startSidecar } = require('./support/sidecar');

const vaultKey = Buffer.alloc(32, 7).toString('base64');
const sse = (event, data) => `${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`;

/** Each wire's route and a one-piece answer in its stream format. */
const wires = {
  openai: {
    route: '/v1/chat/completions',
    type: 'text/event-stream',
    stream: () => [
      sse(null, { id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'Bonjour.' }, finish_reason: null }] }),
      sse(null, { id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 } }),
      'data: [DONE]\n\n',
    ],
  },
  anthropic: {
    route: '/v1/messages',
    type: 'text/event-stream',
    stream: () => [
      sse('message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-system', content: [], stop_reason: null, usage: { input_tokens: 10, output_tokens: 1 } } }),
      sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
      sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Bonjour.' } }),
      sse('content_block_stop', { type: 'content_block_stop', index: 0 }),
      sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2 } }),
      sse('message_stop', { type: 'message_stop' }),
    ],
  },
  ollama: {
    route: '/api/chat',
    type: 'application/x-ndjson',
    stream: () => [
      `${JSON.stringify({ model: 'llama-system', created_at: '2025-01-01T00:00:00Z', message: { role: 'assistant', content: 'Bonjour.' }, done: false })}\n`,
      `${JSON.stringify({ model: 'llama-system', created_at: '2025-01-01T00:00:00Z', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: 9, eval_count: 2 })}\n`,
    ],
  },
};

/** One loopback server for the three wires; every request is kept with its parsed body. */
async function fakeWires() {
  const requests = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const [name, wire] = Object.entries(wires).find(([, w]) => req.method === 'POST' && req.url.split('?')[0] === w.route) ?? [];
      requests.push({ wire: name, path: req.url, body: body ? JSON.parse(body) : null });
      // Ollama's model details (its context window), read before a turn.
      if (req.url === '/api/show') { res.writeHead(200, { 'content-type': 'application/json' }).end('{"model_info":{"llama.context_length":8192}}'); return; }
      if (!wire) { res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no such route"}'); return; }
      res.writeHead(200, { 'content-type': wire.type });
      for (const chunk of wire.stream()) res.write(chunk);
      res.end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${server.address().port}`, requests, close: () => server.close() };
}

const SYSTEM = 'Answer in French, in one sentence.';

/** Each wire's instance and what its request must hold: the system text as that wire's system content. */
const cases = [
  {
    wire: 'openai', instance: (endpoint) => ({ catalogProviderId: 'openai-compatible', endpoint: `${endpoint}/v1`, local: true }), model: 'gpt-system',
    check: (body) => {
      const roles = body.messages.map((m) => m.role);
      const at = body.messages.findIndex((m) => m.role === 'system' && m.content === SYSTEM);
      assert.ok(at >= 0, `a system message carries the text: ${JSON.stringify(body.messages)}`);
      assert.ok(at < roles.lastIndexOf('user'), 'it comes before the question it was added before');
    },
  },
  {
    wire: 'anthropic', instance: (endpoint) => ({ catalogProviderId: 'anthropic', endpoint, apiKey: 'loopback-system-key' }), model: 'claude-system',
    check: (body) => {
      const system = typeof body.system === 'string' ? body.system : (body.system ?? []).map((b) => b.text).join('\n\n');
      assert.ok(system.includes(SYSTEM), `the system text carries it: ${JSON.stringify(body.system)}`);
      assert.deepEqual([...new Set(body.messages.map((m) => m.role))], ['user'], 'no system turn among the messages');
      assert.ok(!JSON.stringify(body.messages).includes(SYSTEM), 'nor its text');
    },
  },
  {
    wire: 'ollama', instance: (endpoint) => ({ catalogProviderId: 'ollama', endpoint }), model: 'llama-system',
    check: (body) => {
      assert.ok(body.messages.some((m) => m.role === 'system' && m.content === SYSTEM), `a system message carries the text: ${JSON.stringify(body.messages)}`);
    },
  },
];

for (const c of cases) {
  test(`a system message added to a chat is sent on the ${c.wire} wire as its system content`, async (t) => {
    const fake = await fakeWires();
    const s = startSidecar();
    t.after(async () => { fake.close(); await s.stop(); });
    await s.initialize({ vaultKey });
    const instance = await s.connection.sendRequest('instances/create', { displayName: `System ${c.wire}`, ...c.instance(fake.endpoint) });
    const session = await s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: c.model, allowUnlisted: true });
    const told = [];
    s.connection.onNotification('session/messageUpdated', (p) => told.push(p.message ?? p));

    const added = await s.connection.sendRequest('session/addSystem', { sessionId: session.id, text: `  ${SYSTEM}\n` });
    assert.equal(added.role, 'system');
    assert.equal(added.status, 'complete');
    assert.deepEqual(added.parts.map((p) => [p.kind, p.text]), [['text', SYSTEM]], 'the text, trimmed');
    assert.equal(fake.requests.filter((r) => r.wire === c.wire).length, 0, 'adding it starts no turn');

    const answer = await s.connection.sendRequest('session/send', { sessionId: session.id, text: 'Say hello.' });
    assert.equal(answer.status, 'complete', `the turn completed: ${JSON.stringify(answer)}; stderr: ${s.stderr().slice(-1500)}`);
    const asked = fake.requests.filter((r) => r.wire === c.wire && JSON.stringify(r.body).includes('Say hello.'));
    assert.equal(asked.length, 1, `one turn request; the fake saw ${JSON.stringify(fake.requests.map((r) => r.path))}`);
    c.check(asked[0].body);

    const page = await s.connection.sendRequest('session/messages', { id: session.id });
    assert.deepEqual(page.messages.map((m) => m.role), ['system', 'user', 'assistant'], 'kept in the chat where it was added');
  });
}

test('session/addSystem refuses empty text and an unknown chat, saying what to do', async (t) => {
  const s = startSidecar();
  t.after(() => s.stop());
  await s.initialize({ vaultKey });
  const instance = await s.connection.sendRequest('instances/create', { displayName: 'Local', catalogProviderId: 'ollama', endpoint: 'http://127.0.0.1:9' });
  const session = await s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'llama-system', allowUnlisted: true });
  await assert.rejects(s.connection.sendRequest('session/addSystem', { sessionId: session.id, text: '   ' }), (e) => e.code === -32602 && /write what the system message says/.test(e.message));
  await assert.rejects(s.connection.sendRequest('session/addSystem', { sessionId: 'no-such-chat', text: 'x' }), (e) => e.code === -33001);
  const page = await s.connection.sendRequest('session/messages', { id: session.id });
  assert.equal(page.messages.length, 0, 'nothing was stored');
});
