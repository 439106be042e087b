// Chat through the real sidecar process: a loopback OpenAI-compatible server answers, slowly when
// the test needs time, and the sidecar is killed mid-stream to prove nothing streamed is lost.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { startSidecar, within } = require('./support/sidecar');

/** A /v1/chat/completions server that streams `words`, one every `gapMs`, then [DONE]. */
async function fakeOpenAI(words, gapMs) {
  const requests = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', async () => {
      requests.push({ path: req.url, auth: req.headers.authorization, body: JSON.parse(body || '{}') });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const word of words) {
        if (res.destroyed) return;
        res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: word }, finish_reason: null }] })}\n\n`);
        await new Promise((r) => setTimeout(r, gapMs));
      }
      res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${server.address().port}/v1`, requests, close: () => server.close() };
}

async function chatOn(s, endpoint) {
  const instance = await s.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint, apiKey: 'sk-node-chat-0123456789' });
  return s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'gpt-node', allowUnlisted: true });
}

test('a chat streams deltas from the chosen instance and model, and keeps the answer', async (t) => {
  const fake = await fakeOpenAI(['Hello', ', ', 'world'], 5);
  const s = startSidecar();
  t.after(async () => { fake.close(); await s.stop(); });
  await s.initialize({ vaultKey: Buffer.alloc(32, 3).toString('base64') });
  const session = await chatOn(s, fake.endpoint);
  const deltas = [];
  s.connection.onNotification('session/partDelta', (p) => deltas.push(p.delta));

  const answer = await s.connection.sendRequest('session/send', { sessionId: session.id, text: 'greet me' });

  assert.equal(answer.status, 'complete');
  assert.equal(answer.parts[0].text, 'Hello, world');
  assert.equal(deltas.join(''), 'Hello, world');
  assert.equal(fake.requests[0].path, '/v1/chat/completions');
  assert.equal(fake.requests[0].body.model, 'gpt-node');
  assert.equal(fake.requests[0].auth, 'Bearer sk-node-chat-0123456789');

  // The panel opens on the latest page and asks for earlier ones before the oldest it holds.
  const latest = await s.connection.sendRequest('session/messages', { id: session.id, limit: 1 });
  assert.deepEqual(latest.messages.map((m) => m.role), ['assistant']);
  assert.equal(latest.hasMore, true);
  const earlier = await s.connection.sendRequest('session/messages', { id: session.id, limit: 1, beforeSeq: latest.messages[0].seq });
  assert.deepEqual(earlier.messages.map((m) => m.parts[0].text), ['greet me']);
  assert.equal(earlier.hasMore, false);
});

test('a sidecar killed mid-stream loses at most a moment of text, and the message is marked interrupted', async (t) => {
  const words = Array.from({ length: 200 }, (_, i) => `w${i} `);
  const fake = await fakeOpenAI(words, 20);
  const vaultKey = Buffer.alloc(32, 4).toString('base64');
  const first = startSidecar();
  t.after(() => { fake.close(); return first.stop(); });
  await first.initialize({ vaultKey });
  const session = await chatOn(first, fake.endpoint);
  let received = '';
  let lastDeltaAt = 0;
  first.connection.onNotification('session/partDelta', (p) => { received += p.delta; lastDeltaAt = Date.now(); });
  first.connection.sendRequest('session/send', { sessionId: session.id, text: 'count slowly' }).catch(() => {});
  await within(10_000, new Promise((resolve) => { const timer = setInterval(() => { if (received.length > 60) { clearInterval(timer); resolve(); } }, 10); }), 'deltas');

  first.child.kill('SIGKILL');
  const killedAt = Date.now();
  await first.exited;

  const second = startSidecar({ home: first.home });
  t.after(() => second.stop());
  await second.initialize({ vaultKey });
  const { messages } = await within(10_000, (async () => {
    // Recovery runs right after initialize; give it a moment.
    for (let i = 0; i < 50; i++) {
      const result = await second.connection.sendRequest('session/messages', { id: session.id });
      if (result.messages[1]?.status === 'interrupted') return result;
      await new Promise((r) => setTimeout(r, 100));
    }
    return second.connection.sendRequest('session/messages', { id: session.id });
  })(), 'recovery');
  const answer = messages[1];
  assert.equal(answer.status, 'interrupted');
  const kept = answer.parts.find((p) => p.kind === 'text')?.text ?? '';
  assert.ok(received.startsWith(kept), 'what was kept is what was streamed');
  // Deltas arrive every 20 ms; a flush every 100 ms means at most ~250 ms (a dozen deltas) can be missing.
  const missing = received.slice(kept.length);
  const lostMs = missing.split(' ').filter(Boolean).length * 20;
  t.diagnostic(`kill -9 mid-stream: ${missing.length} chars (~${lostMs} ms of text) streamed but not kept`);
  assert.ok(lostMs <= 250 + (killedAt - lastDeltaAt), `lost ${missing.length} chars (~${lostMs} ms of text): kept "${kept.slice(-20)}", received "${received.slice(-20)}"`);
  assert.ok(kept.length > 0, 'something was kept');
});
