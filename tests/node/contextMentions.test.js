// @url and @codebase through the real sidecar: a loopback page is fetched (in a trusted workspace only) and reduced to
// its text, a temp workspace is searched for a word, and what they attach reaches a loopback OpenAI-compatible server.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { startSidecar, tempHome } = require('./support/sidecar');

/** A /v1/chat/completions server that answers "ok" and keeps each request's last user message as one text. */
async function fakeOpenAI() {
  const requests = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const parsed = JSON.parse(body || '{}');
      const lastUser = [...(parsed.messages ?? [])].reverse().find((m) => m.role === 'user');
      requests.push(typeof lastUser?.content === 'string' ? lastUser.content : (lastUser?.content ?? []).map((c) => c.text ?? '').join('\n'));
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'ok' }, finish_reason: null }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${server.address().port}/v1`, requests, close: () => { server.closeAllConnections(); server.close(); } };
}

/** A loopback site: /page.html (HTML with a script and a style), /missing (404), /image.png (not text), /big.txt (past the text cap), /huge.txt (past the size cap). */
async function site() {
  const fetched = [];
  const server = http.createServer((req, res) => {
    fetched.push(req.url);
    if (req.url === '/page.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html><head><title>T</title><style>body { color: red }</style></head><body>'
        + '<script>var secretScript = "do-not-send";</script><h1>Widget&nbsp;guide</h1>\n\n\n<p>Turn the   <b>knob</b> &amp; wait.</p>'
        + '<!-- hidden comment --><ul><li>First</li><li>Second</li></ul></body></html>');
    } else if (req.url === '/image.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(Buffer.alloc(64));
    } else if (req.url === '/huge.txt') {
      // No Content-Length (chunked): the reader counts what arrives.
      res.writeHead(200, { 'content-type': 'text/plain' });
      for (let i = 0; i < 40; i++) res.write('x'.repeat(64 * 1024));
      res.end();
    } else if (req.url === '/big.txt') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('word '.repeat(20_000));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('no');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${server.address().port}`, fetched, close: () => { server.closeAllConnections(); server.close(); } };
}

async function chatOn(s, endpoint) {
  const instance = await s.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint, apiKey: 'sk-node-context-0123456789' });
  return s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'gpt-node', allowUnlisted: true });
}

async function started(t, { trusted, folders = [] }) {
  const fake = await fakeOpenAI();
  const pages = await site();
  const s = startSidecar();
  t.after(async () => { fake.close(); pages.close(); await s.stop(); });
  await s.initialize({ vaultKey: Buffer.alloc(32, 5).toString('base64'), trusted, workspaceFolders: folders });
  const session = await chatOn(s, fake.endpoint);
  return { s, fake, pages, session };
}

test('@url in a trusted workspace attaches the page reduced to text: no script, no style, no tags, entities decoded', async (t) => {
  const { s, fake, pages, session } = await started(t, { trusted: true });
  const url = `${pages.base}/page.html`;

  const answer = await s.connection.sendRequest('session/send', { sessionId: session.id, text: 'summarise it', attachments: [{ kind: 'url', path: url }] });

  assert.equal(answer.status, 'complete');
  const sent = fake.requests[0];
  assert.match(sent, /Widget guide\n+Turn the knob & wait\.\n+First\n+Second\n/);
  assert.doesNotMatch(sent, /secretScript|do-not-send|color: red|<p>|<b>|hidden comment|&amp;/);
  const stored = await s.connection.sendRequest('session/messages', { id: session.id });
  const part = stored.messages[0].parts.find((p) => p.kind === 'file');
  assert.equal(part.path, url);
  assert.match(part.note, /^\d+ B of text$/);
});

test('mentions keep the sentence: "Summarise @url please" reaches the provider as a whole sentence naming the page, with the page attached', async (t) => {
  const { s, fake, pages, session } = await started(t, { trusted: true });
  const url = `${pages.base}/page.html`;
  // The composer writes a chosen mention as words where its @ was (composer.ts); the chip is the attachment.
  const text = `Summarise the page ${url} please`;

  const answer = await s.connection.sendRequest('session/send', { sessionId: session.id, text, attachments: [{ kind: 'url', path: url }] });

  assert.equal(answer.status, 'complete');
  assert.ok(fake.requests[0].includes(text), `the provider read: ${fake.requests[0].slice(0, 200)}`);
  assert.match(fake.requests[0], /Widget guide/);
  const stored = await s.connection.sendRequest('session/messages', { id: session.id });
  assert.equal(stored.messages[0].parts.find((p) => p.kind === 'text').text, text);
});

test('@url answers what went wrong in the user\'s words: not found, not text, too big, and a page past the cap is cut with the cut said', async (t) => {
  const { s, fake, pages, session } = await started(t, { trusted: true });
  const send = (url) => s.connection.sendRequest('session/send', { sessionId: session.id, text: 'read', attachments: [{ kind: 'url', path: url }] });

  await assert.rejects(send(`${pages.base}/missing`), (e) => e.code === -32602 && /was not found \(the server answered 404\)/.test(e.message));
  await assert.rejects(send(`${pages.base}/image.png`), (e) => e.code === -32602 && /is image\/png, not a page or text/.test(e.message));
  await assert.rejects(send(`${pages.base}/huge.txt`), (e) => e.code === -32602 && /is larger than 2 MiB, more than @url reads\. Save the part you need/.test(e.message));
  await assert.rejects(send('ftp://example.com/x'), (e) => e.code === -32602 && /not a web address/.test(e.message));
  assert.equal(fake.requests.length, 0, 'nothing reached the provider');
  assert.equal((await s.connection.sendRequest('session/messages', { id: session.id })).messages.length, 0, 'nothing was stored');

  await send(`${pages.base}/big.txt`);
  const stored = await s.connection.sendRequest('session/messages', { id: session.id });
  const part = stored.messages[0].parts.find((p) => p.kind === 'file');
  assert.match(part.note, /97\.7 KiB of text, cut to the first 39\.1 KiB/);
  assert.match(fake.requests[0], /\[Cut: the page's text is 97\.7 KiB; only its first 39\.1 KiB is attached\.\]/);
});

test('@url in an untrusted workspace is refused with how to trust it, and the page is never fetched', async (t) => {
  const { s, fake, pages, session } = await started(t, { trusted: false });

  await assert.rejects(
    s.connection.sendRequest('session/send', { sessionId: session.id, text: 'read', attachments: [{ kind: 'url', path: `${pages.base}/page.html` }] }),
    (e) => e.code === -32602 && /only in a trusted workspace/.test(e.message) && /Manage Workspace Trust/.test(e.message));
  assert.deepEqual(pages.fetched, []);
  assert.equal(fake.requests.length, 0);
});

test('@codebase for a word defined in one file attaches that file\'s chunk with its lines, and not the other files', async (t) => {
  const folder = path.join(tempHome(), 'workspace');
  fs.mkdirSync(path.join(folder, 'src'), { recursive: true });
  const filler = Array.from({ length: 30 }, (_, i) => `// line ${i + 1}`);
  fs.writeFileSync(path.join(folder, 'src', 'gears.ts'), [...filler.slice(0, 20), 'export function frobnicateGears(n: number) {', '  return n * 2;', '}', ...filler.slice(0, 10).map((l) => l.replace('line', 'tail'))].join('\n'));
  fs.writeFileSync(path.join(folder, 'src', 'other.ts'), 'export const unrelated = 1;\n');
  fs.writeFileSync(path.join(folder, 'README.md'), '# Nothing to see\n');
  const { s, fake, session } = await started(t, { trusted: false, folders: [folder] });

  await s.connection.sendRequest('session/send', { sessionId: session.id, text: 'explain it', attachments: [{ kind: 'codebase', path: 'where is frobnicateGears defined?' }] });

  const sent = fake.requests[0];
  assert.match(sent, /src\/gears\.ts lines 17-25 \(1 match of frobnicateGears\)/);
  assert.match(sent, /export function frobnicateGears\(n: number\) \{\n {2}return n \* 2;/);
  assert.doesNotMatch(sent, /unrelated|Nothing to see|\/\/ line 16\n|\/\/ tail 3\n/);
  const stored = await s.connection.sendRequest('session/messages', { id: session.id });
  const part = stored.messages[0].parts.find((p) => p.kind === 'file');
  assert.equal(part.path, '@codebase frobnicateGears');
  assert.equal(part.note, '1 chunk for "frobnicateGears": src/gears.ts:17-25');

  await assert.rejects(
    s.connection.sendRequest('session/send', { sessionId: session.id, text: 'and this', attachments: [{ kind: 'codebase', path: 'zzqqxnothing' }] }),
    (e) => e.code === -32602 && /found nothing for "zzqqxnothing"/.test(e.message));
});
