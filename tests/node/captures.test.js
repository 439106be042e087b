// Captures: what the real sidecar answers, checked in under tests/fixtures/captures for the webview tests,
// which render it as the panel would. Each is made again here and must match; after a deliberate change
// to the wire, `PLUE_UPDATE_CAPTURES=1 node --test tests/node/captures.test.js` writes them anew.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { startSidecar } = require('./support/sidecar');

const dir = path.resolve(__dirname, '..', 'fixtures', 'captures');

/** A /v1/chat/completions server that streams one answer with its token usage (and no price anywhere). */
async function fakeOpenAI() {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (body) => res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', ...body })}\n\n`);
      chunk({ choices: [{ index: 0, delta: { content: 'Use a **recursive descent** parser.' }, finish_reason: null }] });
      chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
      chunk({ choices: [], usage: { prompt_tokens: 1200, completion_tokens: 340, total_tokens: 1540 } });
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${server.address().port}/v1`, close: () => server.close() };
}

/** Ids, times and latencies differ on each run: each distinct one becomes a stable stand-in. */
function stable(value) {
  const names = new Map();
  const name = (kind, original) => {
    if (!names.has(original)) names.set(original, `${kind}-${[...names.keys()].filter((k) => names.get(k).startsWith(kind)).length + 1}`);
    return names.get(original);
  };
  const walk = (v, key) => {
    if (Array.isArray(v)) return v.map((item) => walk(item));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, k)]));
    if (typeof v === 'string' && /^(id|sessionId|instanceId|messageId)$/.test(key ?? '')) return name(key === 'instanceId' ? 'instance' : 'id', v);
    if (typeof v === 'string' && /At$/.test(key ?? '')) return '2026-11-21T10:00:00.000Z';
    if (typeof v === 'number' && key === 'latencyMs') return 1000;
    return v;
  };
  return walk(value);
}

function checkCapture(file, actual) {
  const target = path.join(dir, file);
  if (process.env.PLUE_UPDATE_CAPTURES === '1') {
    fs.writeFileSync(target, `${JSON.stringify(actual, null, 2)}\n`);
  }
  assert.deepEqual(actual, JSON.parse(fs.readFileSync(target, 'utf8')), `${file} differs from what the sidecar sends: update it (see the top of this file)`);
}

test('a chat on a model without a price: session/get and session/messages as sent', async (t) => {
  const fake = await fakeOpenAI();
  const s = startSidecar();
  t.after(async () => { fake.close(); await s.stop(); });
  await s.initialize({ vaultKey: Buffer.alloc(32, 5).toString('base64') });
  const instance = await s.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: fake.endpoint, apiKey: 'sk-node-capture-0123456789' });
  const created = await s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'gpt-node-unpriced', title: 'Parse arithmetic', allowUnlisted: true });
  await s.connection.sendRequest('session/send', { sessionId: created.id, text: 'How should I parse arithmetic?' });

  const session = await s.connection.sendRequest('session/get', { id: created.id });
  const page = await s.connection.sendRequest('session/messages', { id: created.id, limit: 200 });

  checkCapture('unknown-cost-chat.json', stable({ session, messages: page.messages, hasMore: page.hasMore }));
});
