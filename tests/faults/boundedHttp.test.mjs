// Every HTTP call the sidecar makes is bounded (issue 46): a remote MCP server whose answer to one request is a
// 200 MB stream (server-sent events or one JSON body) is cut at the streamed cap with an error in words, and the
// sidecar's memory stays bounded; a model provider answering a chat request with 307 or 308 to another origin does not
// get the request, its key or its body, re-sent there: the other host sees nothing and the user is told why.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { scratch, startSidecar } from './support/processes.mjs';
import { sendHuge } from './support/fakeProvider.mjs';
import { record } from './support/wire.mjs';
import { startRemoteMcp } from '../support/remoteMcp.mjs';

const MiB = 1024 * 1024;
const peakMiB = (pid) => Math.round(Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024);

/** A loopback server that keeps every request it gets (method, path, headers, body) and answers 200 with `{}`. */
async function catcher(t) {
  const caught = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => { caught.push({ method: req.method, url: req.url, headers: req.headers, body }); res.writeHead(200, { 'content-type': 'application/json' }); res.end('{}'); });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => { server.closeAllConnections(); server.close(); });
  return { base: `http://127.0.0.1:${server.address().port}`, caught };
}

/** The remote server's tools/list answered with `bytes` of one message, as `type` (SSE or JSON); returns mcp/tools' error. */
async function hugeToolList(t, type, bytes) {
  const staticToken = `loopback_bounded_${Date.now().toString(36)}_Xy3`;
  const remote = await startRemoteMcp({
    staticToken,
    hostile: {
      mcp(message, res) {
        if (message.method !== 'tools/list') return false;
        res.writeHead(200, { 'content-type': type, 'mcp-session-id': 'loopback-session' });
        const start = `{"jsonrpc":"2.0","id":${JSON.stringify(message.id)},"result":{"tools":[{"name":"flood","inputSchema":{"type":"object"},"description":"`;
        const [before, after] = type === 'text/event-stream' ? [`event: message\ndata: ${start}`, '"}]}}\n\n'] : [start, '"}]}}'];
        sendHuge(res, before, bytes, after).then(() => res.end());
        return true;
      },
    },
  });
  t.after(() => remote.close());
  const s = startSidecar(t, { home: path.join(scratch(t, 'plue-bounded-mcp-'), 'home') });
  await s.initialize({ vaultKey: Buffer.alloc(32, 3).toString('base64') });
  await s.request('vault/store', { ref: 'vault://hostile/token', value: staticToken });
  const server = await s.request('codex/create', {
    templateId: 'mcp-server', title: 'Hostile', slug: 'hostile',
    fields: { transport: 'http', url: remote.url, headers: ['Authorization: Bearer vault://hostile/token'], trusted: true },
  });
  const started = Date.now();
  const error = await s.request('mcp/tools', { id: server.id }).then(() => null, (e) => e);
  return { s, error, ms: Date.now() - started };
}

for (const type of ['text/event-stream', 'application/json']) {
  test(`an MCP server answering tools/list with 200 MB (${type}) is cut at 64 MiB with an error in words; memory stays bounded`, { timeout: 180_000 }, async (t) => {
    const { s, error, ms } = await hugeToolList(t, type, 200 * MiB);
    assert.ok(error, 'mcp/tools fails');
    assert.equal(error.code, -33005, error.message);
    assert.match(error.message, /sent more than 64 MiB in one answer; Plue stopped reading it/);
    const peak = peakMiB(s.pid);
    record(t, `200 MB ${type} answer: peak ${peak} MiB, refused after ${ms} ms`);
    // Holding the answer whole would take well over 400 MiB (200 MB of bytes, twice that as text).
    assert.ok(peak < 400, `peak memory ${peak} MiB`);
    assert.ok(await s.request('plue/status', {}), 'the sidecar still answers');
  });
}

/** Instances of each wire and the header its key travels in. */
const wires = [
  { catalogProviderId: 'openai', endpoint: (base) => `${base}/v1`, path: '/v1/chat/completions', header: 'authorization' },
  { catalogProviderId: 'anthropic', endpoint: (base) => base, path: '/v1/messages', header: 'x-api-key' },
];

for (const status of [307, 308]) {
  for (const wire of wires) {
    test(`a provider answering a chat with ${status} to another origin (${wire.catalogProviderId}): the key and the message are not re-sent there; the user is told why`, { timeout: 60_000 }, async (t) => {
      const elsewhere = await catcher(t);
      const asked = [];
      const provider = http.createServer((req, res) => {
        asked.push(req.url);
        req.resume();
        req.on('end', () => { res.writeHead(status, { location: `${elsewhere.base}${req.url}` }); res.end(); });
      });
      await new Promise((r) => provider.listen(0, '127.0.0.1', r));
      t.after(() => { provider.closeAllConnections(); provider.close(); });
      const base = `http://127.0.0.1:${provider.address().port}`;

      const s = startSidecar(t, { home: path.join(scratch(t, 'plue-bounded-redirect-'), 'home') });
      await s.initialize();
      const apiKey = `loopback-key-redirect-${status}-${Date.now().toString(36)}`;
      const instance = await s.request('instances/create', { displayName: 'Moved', catalogProviderId: wire.catalogProviderId, endpoint: wire.endpoint(base), apiKey });
      const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'model-moved', allowUnlisted: true });
      const answer = await s.request('session/send', { sessionId: chat.id, text: 'a message only the provider may read' });
      assert.deepEqual(elsewhere.caught.map((r) => `${r.method} ${r.url}`), [], 'nothing reached the other origin');
      assert.equal(answer.status, 'error', JSON.stringify(answer));
      assert.match(answer.error, new RegExp(`answered POST ${wire.path} with ${status}, a redirect to another server \\(http://127\\.0\\.0\\.1:\\d+\\)\\. Plue does not send a request's body or credentials to another server`));
      assert.ok(!answer.error.includes(apiKey), 'the error holds no key');
      // The server answered: not "cannot reach", and not asked again (a retry would meet the same redirect).
      assert.doesNotMatch(answer.error, /Cannot reach|that the server is running/);
      assert.deepEqual(asked.filter((url) => url === wire.path), [wire.path], `the provider was asked once (${asked})`);
    });
  }
}
