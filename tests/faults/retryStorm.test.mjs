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

// Issue 46: with a fallback answering, the limited instance still gets 2 requests per chat; each new chat's title
// request went to it too (the chat's own instance), 78 requests for 20 chats. The title is asked of the model that
// answered: the fallback.
test('20 chats in a 429 storm with a fallback: 2 chat requests each to the limited server, titles from the fallback', { timeout: 120_000 }, async (t) => {
  const limited = [];
  const answered = [];
  const serve = (log, answer) => http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      log.push({ url: req.url, title: body.includes('Write a title'), body });
      answer(req, res, body);
    });
  });
  const rateLimited = serve(limited, (req, res) => {
    res.writeHead(429, { 'content-type': 'application/json' });
    res.end('{"error":{"message":"Rate limit reached","type":"requests"}}');
  });
  const words = (text) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`
    + `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } })}\n\ndata: [DONE]\n\n`;
  const backup = serve(answered, (req, res, body) => {
    if (req.url.endsWith('/models')) { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"object":"list","data":[{"id":"gpt-5.5","object":"model"}]}'); return; }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(words(body.includes('Write a title') ? 'Storm title' : 'From the fallback'));
  });
  for (const server of [rateLimited, backup]) {
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    t.after(() => { server.closeAllConnections(); server.close(); });
  }
  const s = startSidecar(t);
  await s.initialize();
  const endpoint = (server) => `http://127.0.0.1:${server.address().port}/v1`;
  const fallback = await s.request('instances/create', { displayName: 'Backup', catalogProviderId: 'openai', endpoint: endpoint(backup), apiKey: 'sk-backup-0123456789' });
  const instance = await s.request('instances/create', {
    displayName: 'Storm', catalogProviderId: 'openai', endpoint: endpoint(rateLimited), apiKey: 'sk-storm-0123456789',
    retry: { maxAttempts: 2, baseDelayMs: 10 }, fallbacks: [{ providerRef: fallback.ref, modelId: 'gpt-5.5' }],
  });

  const chats = [];
  for (let i = 0; i < 20; i++) chats.push(await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-5.5' }));
  const replies = await Promise.all(chats.map((c, i) => s.request('session/send', { sessionId: c.id, text: `chat ${i}` }, 60_000)));
  for (const reply of replies) assert.equal(reply.status, 'complete', reply.error);
  // Titles are asked in the background once each answer is there: wait until every chat has one.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const titled = (await s.request('session/list', {})).filter((x) => x.title === 'Storm title').length;
    if (titled === 20) break;
    await new Promise((r) => setTimeout(r, 200));
  }

  const chatRequests = limited.filter((r) => r.url.endsWith('/chat/completions'));
  const titles = (log) => log.filter((r) => r.title).length;
  record(t, `limited server: ${chatRequests.length} chat requests for 20 chats (${titles(limited)} of them titles); fallback: ${titles(answered)} titles`);
  assert.equal(titles(limited), 0, 'no title request went to the limited server');
  assert.equal(chatRequests.length, 40, 'maxAttempts 2: 2 chat requests per chat');
  assert.equal(titles(answered), 20, 'each chat was titled by the fallback that answered it');
});
