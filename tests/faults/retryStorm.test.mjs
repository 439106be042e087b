// A 429 storm against the real sidecar: 20 chats asked at once on an instance with retry.maxAttempts 2, its
// provider refusing every request (the model list too). Each turn may cost at most maxAttempts requests to the
// provider, whatever the concurrency: the model list is asked once for all of them, and its refusal kept a while.
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startSidecar, record } from './support/wire.mjs';

test('20 chats at once in a 429 storm: 2 chat requests each and one listing for all', { timeout: 120_000 }, async (t) => {
  const requests = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      requests.push({ url: req.url, chat: /"content":"(chat \d+)"/.exec(body)?.[1] });
      res.writeHead(429, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"Rate limit reached","type":"requests"}}');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => { server.closeAllConnections(); server.close(); });
  const s = startSidecar(t);
  await s.initialize();
  const instance = await s.request('instances/create', {
    displayName: 'Storm', catalogProviderId: 'openai', endpoint: `http://127.0.0.1:${server.address().port}/v1`, apiKey: 'sk-storm-0123456789',
    retry: { maxAttempts: 2, baseDelayMs: 10 },
  });

  // Made one after the other: chats created at the same moment collide on their slug (a record-identity finding of its own).
  const chats = [];
  for (let i = 0; i < 20; i++) chats.push(await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-storm' }));
  const replies = await Promise.all(chats.map((c, i) => s.request('session/send', { sessionId: c.id, text: `chat ${i}` }, 60_000)));

  for (const reply of replies) assert.equal(reply.status, 'error');
  const perChat = {};
  for (const r of requests) if (r.chat) perChat[r.chat] = (perChat[r.chat] ?? 0) + 1;
  assert.deepEqual(Object.values(perChat), Array(20).fill(2), JSON.stringify(perChat));
  const listings = requests.filter((r) => r.url.endsWith('/models')).length;
  assert.ok(listings <= 2, `the model list was asked ${listings} times (one listing, its 2 attempts)`);
  record(t, `requests: ${requests.length} for 20 chats (${listings} to /models)`);
});
