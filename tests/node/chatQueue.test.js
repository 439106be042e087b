// Typing while a chat answers: the real sidecar and a slow loopback OpenAI-compatible server. A message sent while a
// turn streams waits in the chat's queue (in the store) and reaches the provider only when the turn ends; a steer sends
// it at once; a queued message can be edited and removed, and survives a killed sidecar.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { startSidecar, within } = require('./support/sidecar');

/** A /v1/chat/completions server that streams `words` one every `gapMs`; it notes each request's last user text, when it came and when its answer ended. */
async function slowOpenAI(words, gapMs) {
  const requests = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', async () => {
      const parsed = JSON.parse(body || '{}');
      const lastUser = [...(parsed.messages ?? [])].reverse().find((m) => m.role === 'user');
      const text = typeof lastUser?.content === 'string' ? lastUser.content : (lastUser?.content ?? []).map((c) => c.text ?? '').join('');
      const entry = { text, at: Date.now(), endedAt: undefined };
      requests.push(entry);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const word of words) {
        if (res.destroyed) { entry.endedAt = Date.now(); return; }
        res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: word }, finish_reason: null }] })}\n\n`);
        await new Promise((r) => setTimeout(r, gapMs));
      }
      res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
      res.end('data: [DONE]\n\n');
      entry.endedAt = Date.now();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${server.address().port}/v1`, requests, close: () => { server.closeAllConnections(); server.close(); } };
}

async function chatOn(s, endpoint) {
  const instance = await s.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint, apiKey: 'sk-node-queue-0123456789' });
  return s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'gpt-node', allowUnlisted: true });
}

async function until(ms, check, what) {
  return within(ms, (async () => {
    for (;;) {
      const value = await check();
      if (value) return value;
      await new Promise((r) => setTimeout(r, 20));
    }
  })(), what);
}

/** Starts a turn and resolves once its first delta arrived, with `answer`, its request. */
async function streaming(s, sessionId, text) {
  let started = false;
  s.connection.onNotification('session/partDelta', () => { started = true; });
  const answer = s.connection.sendRequest('session/send', { sessionId, text });
  answer.catch(() => {});
  await until(10_000, () => started, 'the first delta');
  return { answer }; // not the promise itself: an async function would wait for it

}

test('a message sent while the chat answers is queued, and reaches the provider only after the turn ends', async (t) => {
  const fake = await slowOpenAI(Array.from({ length: 30 }, (_, i) => `w${i} `), 100);
  const s = startSidecar();
  t.after(async () => { fake.close(); await s.stop(); });
  await s.initialize({ vaultKey: Buffer.alloc(32, 5).toString('base64') });
  const session = await chatOn(s, fake.endpoint);
  const told = [];
  s.connection.onNotification('session/queueChanged', (p) => told.push(p));

  const { answer: first } = await streaming(s, session.id, 'first question');
  const second = s.connection.sendRequest('session/send', { sessionId: session.id, text: 'second question' });

  const queued = await until(5_000, async () => {
    const list = await s.connection.sendRequest('session/queue', { sessionId: session.id });
    return list.length > 0 ? list : undefined;
  }, 'the queued message');
  assert.deepEqual(queued.map((q) => q.text), ['second question']);
  assert.equal(queued[0].sessionId, session.id);
  assert.equal(fake.requests.length, 1, 'the queued message is not sent while the turn streams');
  // Told, though not necessarily before session/queue answered: the notification is written beside the request's answer.
  await until(5_000, () => told.some((p) => p.sessionId === session.id && p.added?.text === 'second question' && p.count === 1), 'session/queueChanged told the client');

  const firstAnswer = await first;
  assert.equal(firstAnswer.status, 'complete');
  const secondAnswer = await within(10_000, second, 'the queued message\'s answer');
  assert.equal(secondAnswer.status, 'complete');
  assert.deepEqual(fake.requests.map((r) => r.text), ['first question', 'second question']);
  assert.ok(fake.requests[1].at >= fake.requests[0].endedAt, 'the queued message reached the provider after the first answer ended');
  assert.deepEqual(await s.connection.sendRequest('session/queue', { sessionId: session.id }), []);
  await until(5_000, () => told.some((p) => p.removed === queued[0].id && p.count === 0), 'its leaving the queue told');
  const { messages } = await s.connection.sendRequest('session/messages', { id: session.id });
  assert.deepEqual(messages.filter((m) => m.role === 'user').map((m) => m.parts[0].text), ['first question', 'second question']);
});

/** The sidecar's resident memory in bytes, read from /proc (Linux). */
function residentBytes(pid) {
  const line = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line.split(/\s+/)[1]) * 1024;
}

test('QueueLimit: 1,000 messages of 1 KB queue in the order written with small notifications; the next is refused', async (t) => {
  const fake = await slowOpenAI(Array.from({ length: 1200 }, (_, i) => `w${i} `), 100); // 2 minutes unless stopped
  const s = startSidecar();
  t.after(async () => { fake.close(); await s.stop(); });
  await s.initialize({ vaultKey: Buffer.alloc(32, 9).toString('base64') });
  const session = await chatOn(s, fake.endpoint);
  let toldBytes = 0;
  let toldCount = 0;
  s.connection.onNotification('session/queueChanged', (p) => { toldBytes += Buffer.byteLength(JSON.stringify(p)); toldCount = p.count; });
  let peakRss = 0;
  const sampler = setInterval(() => { try { peakRss = Math.max(peakRss, residentBytes(s.child.pid)); } catch { /* exited */ } }, 100);
  t.after(() => clearInterval(sampler));

  await streaming(s, session.id, 'a long answer');
  const limit = 1_000;
  const text = (i) => `${String(i).padStart(4, '0')} ${'x'.repeat(1019)}`; // 1 KB each
  // Written one after another on the connection without waiting: the queue must keep that order.
  const sends = Array.from({ length: limit }, (_, i) => s.connection.sendRequest('session/send', { sessionId: session.id, text: text(i) }));
  for (const send of sends) send.catch(() => {});
  await until(60_000, () => toldCount === limit, 'all 1,000 queued');

  const askedAt = Date.now();
  await s.connection.sendRequest('plue/status');
  const statusMs = Date.now() - askedAt;
  await assert.rejects(s.connection.sendRequest('session/send', { sessionId: session.id, text: text(limit) }),
    (e) => e.code === -33002 && /1,000 messages are already waiting/.test(e.message) && /remove some/.test(e.message));

  const queued = await s.connection.sendRequest('session/queue', { sessionId: session.id });
  assert.equal(queued.length, limit, 'the refused one was not queued');
  const order = queued.map((q) => Number(q.text.slice(0, 4)));
  assert.deepEqual(order, Array.from({ length: limit }, (_, i) => i), 'queued in the order written');
  peakRss = Math.max(peakRss, residentBytes(s.child.pid));
  t.diagnostic(`queue notifications ${(toldBytes / 1e6).toFixed(2)} MB, peak RSS ${(peakRss / 1e6).toFixed(0)} MB, plue/status ${statusMs} ms`);
  assert.ok(toldBytes < 5e6, `the client heard ${toldBytes} bytes of queue notifications`);
  assert.ok(peakRss < 300e6, `the sidecar reached ${peakRss} bytes`);
  assert.ok(statusMs < 1_000, `plue/status took ${statusMs} ms with 1,000 queued`);
  await s.connection.sendRequest('session/cancel', { sessionId: session.id });
});

test('Send now (a steer) stops the running answer where it is and sends the queued message at once', async (t) => {
  const fake = await slowOpenAI(Array.from({ length: 300 }, (_, i) => `w${i} `), 50); // 15 s unless stopped
  const s = startSidecar();
  t.after(async () => { fake.close(); await s.stop(); });
  await s.initialize({ vaultKey: Buffer.alloc(32, 6).toString('base64') });
  const session = await chatOn(s, fake.endpoint);

  const { answer: first } = await streaming(s, session.id, 'write a long essay');
  const steer = s.connection.sendRequest('session/send', { sessionId: session.id, text: 'shorter, please' });
  const [queued] = await until(5_000, async () => {
    const list = await s.connection.sendRequest('session/queue', { sessionId: session.id });
    return list.length > 0 ? list : undefined;
  }, 'the queued message');
  const steeredAt = Date.now();
  const result = await s.connection.sendRequest('session/steer', { id: queued.id });
  assert.equal(result.interrupted, true);

  const firstAnswer = await within(5_000, first, 'the stopped answer');
  assert.equal(firstAnswer.status, 'cancelled');
  assert.ok(firstAnswer.parts.find((p) => p.kind === 'text')?.text.length > 0, 'what arrived before the steer is kept');
  await until(5_000, () => fake.requests.length === 2, 'the steer reaching the provider');
  assert.equal(fake.requests[1].text, 'shorter, please');
  assert.ok(fake.requests[1].at - steeredAt < 3_000, `the steer reached the provider ${fake.requests[1].at - steeredAt} ms after Send now`);
  // The steer's own request answers with its turn; stop that one too (it streams for 15 s).
  await s.connection.sendRequest('session/cancel', { sessionId: session.id });
  assert.equal((await within(5_000, steer, 'the steer\'s answer')).status, 'cancelled');
});

test('a queued message can be edited before it is sent, and removed (its request fails as cancelled)', async (t) => {
  const fake = await slowOpenAI(Array.from({ length: 20 }, (_, i) => `w${i} `), 60);
  const s = startSidecar();
  t.after(async () => { fake.close(); await s.stop(); });
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64') });
  const session = await chatOn(s, fake.endpoint);

  const { answer: first } = await streaming(s, session.id, 'one');
  const edited = s.connection.sendRequest('session/send', { sessionId: session.id, text: 'two' });
  // Sent after 'two' is queued: two requests in flight at once may reach the queue in either order.
  await until(5_000, async () => ((await s.connection.sendRequest('session/queue', { sessionId: session.id })).length === 1 ? true : undefined), 'the first queued');
  const removed = s.connection.sendRequest('session/send', { sessionId: session.id, text: 'three' });
  removed.catch(() => {});
  const queued = await until(5_000, async () => {
    const list = await s.connection.sendRequest('session/queue', { sessionId: session.id });
    return list.length === 2 ? list : undefined;
  }, 'two queued messages');
  assert.deepEqual(queued.map((q) => q.text), ['two', 'three']);

  const changed = await s.connection.sendRequest('session/queueEdit', { id: queued[0].id, text: 'two, changed' });
  assert.equal(changed.text, 'two, changed');
  await assert.rejects(s.connection.sendRequest('session/queueEdit', { id: queued[0].id, text: '  ' }), (e) => e.code === -32602);
  assert.deepEqual(await s.connection.sendRequest('session/queueRemove', { id: queued[1].id }), { deleted: true });
  await assert.rejects(removed, (e) => e.code === -32800 && /taken out of the queue/.test(e.message));
  assert.deepEqual(await s.connection.sendRequest('session/queueRemove', { id: queued[1].id }), { deleted: false });

  await first;
  assert.equal((await within(10_000, edited, 'the edited message\'s answer')).status, 'complete');
  assert.deepEqual(fake.requests.map((r) => r.text), ['one', 'two, changed']);
  await assert.rejects(s.connection.sendRequest('session/queueEdit', { id: queued[0].id, text: 'too late' }), (e) => e.code === -33001);
});

test('a queued message survives a killed sidecar: the next one lists it, and Send now sends it', async (t) => {
  const fake = await slowOpenAI(Array.from({ length: 300 }, (_, i) => `w${i} `), 50);
  const vaultKey = Buffer.alloc(32, 8).toString('base64');
  const first = startSidecar();
  t.after(() => { fake.close(); return first.stop(); });
  await first.initialize({ vaultKey });
  const session = await chatOn(first, fake.endpoint);
  await streaming(first, session.id, 'long answer');
  first.connection.sendRequest('session/send', { sessionId: session.id, text: 'after the restart' }).catch(() => {});
  await until(5_000, async () => (await first.connection.sendRequest('session/queue', { sessionId: session.id })).length === 1, 'the queued message');

  first.child.kill('SIGKILL');
  await first.exited;

  const second = startSidecar({ home: first.home });
  t.after(() => second.stop());
  await second.initialize({ vaultKey });
  const queued = await second.connection.sendRequest('session/queue', { sessionId: session.id });
  assert.deepEqual(queued.map((q) => q.text), ['after the restart']);
  assert.equal(fake.requests.length, 1, 'nothing is sent by itself after the restart');

  let done;
  const finished = new Promise((resolve) => { done = resolve; });
  second.connection.onNotification('session/messageUpdated', (p) => { if (p.message.role === 'assistant' && p.message.status !== 'streaming') done(p.message); });
  const result = await second.connection.sendRequest('session/steer', { id: queued[0].id });
  assert.equal(result.interrupted, false);
  await until(5_000, () => fake.requests.length === 2, 'the queued message reaching the provider');
  assert.equal(fake.requests[1].text, 'after the restart');
  assert.deepEqual(await second.connection.sendRequest('session/queue', { sessionId: session.id }), []);
  await second.connection.sendRequest('session/cancel', { sessionId: session.id });
  await within(5_000, finished, 'the answer to end');
});
