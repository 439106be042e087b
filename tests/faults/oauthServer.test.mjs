// A hostile OAuth authorization server behind a remote MCP server (issue 46): the MCP SDK's own HTTP calls go through
// the sidecar's bounded client, so a 200 MB token answer or a 50 MB registration answer costs at most 1 MiB, and a
// token endpoint answering 307 to another origin never gets the code, verifier or client secret posted there. Each
// ends in an error in the user's words, and the sidecar keeps answering.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { scratch, startSidecar } from './support/processes.mjs';
import { sendHuge } from './support/fakeProvider.mjs';
import { record } from './support/wire.mjs';
import { signInLikeABrowser, startRemoteMcp } from '../support/remoteMcp.mjs';

const peakMiB = (pid) => Math.round(Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024);

/** A sidecar that signs in like a browser when asked, and a record of the remote server; returns the mcp/tools reply. */
async function testServer(t, remote) {
  const home = path.join(scratch(t, 'plue-oauth-'), 'home');
  const s = startSidecar(t, { home });
  await s.initialize({ vaultKey: Buffer.alloc(32, 9).toString('base64') });
  s.connection.onRequest('mcp/authorize', (p) => {
    signInLikeABrowser(p.url).catch(() => { /* the sidecar may have given up on the sign-in already */ });
    return { opened: true };
  });
  const server = await s.request('codex/create', { templateId: 'mcp-server', title: 'Hostile', slug: 'hostile', fields: { transport: 'http', url: remote.url, trusted: true } });
  const started = Date.now();
  const error = await s.request('mcp/tools', { id: server.id }).then(() => null, (e) => e);
  return { s, error, ms: Date.now() - started };
}

/** Answers with a JSON body of `bytes`, written as the reader takes it. */
const huge = (bytes, status = 200) => (req, res) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  sendHuge(res, '{"access_token":"', bytes, '","token_type":"Bearer","client_id":"c","expires_in":3600}').then(() => res.end());
};

test('a 200 MB token answer is refused at 1 MiB, memory stays bounded', { timeout: 120_000 }, async (t) => {
  const remote = await startRemoteMcp({ hostile: { token: huge(200 * 1024 * 1024) } });
  t.after(() => remote.close());
  const { s, error, ms } = await testServer(t, remote);
  assert.ok(error, 'mcp/tools fails');
  assert.match(error.message, /answered \/token with more than 1 MiB, far more than such an answer holds; Plue stopped reading it/);
  const peak = peakMiB(s.pid);
  record(t, `200 MB token answer: peak ${peak} MiB, refused after ${ms} ms`);
  assert.ok(peak < 400, `peak memory ${peak} MiB`);
  assert.ok(await s.request('plue/status', {}), 'the sidecar still answers');
});

test('a 50 MB registration answer is refused at 1 MiB, memory stays bounded', { timeout: 120_000 }, async (t) => {
  const remote = await startRemoteMcp({ hostile: { register: huge(50 * 1024 * 1024, 201) } });
  t.after(() => remote.close());
  const { s, error, ms } = await testServer(t, remote);
  assert.ok(error, 'mcp/tools fails');
  assert.match(error.message, /answered \/register with more than 1 MiB/);
  const peak = peakMiB(s.pid);
  record(t, `50 MB registration answer: peak ${peak} MiB, refused after ${ms} ms`);
  assert.ok(peak < 400, `peak memory ${peak} MiB`);
});

test('a token endpoint answering 307 to another origin does not get the token request re-posted there', { timeout: 120_000 }, async (t) => {
  const caught = [];
  const elsewhere = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => { caught.push({ method: req.method, url: req.url, body }); res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"access_token":"stolen","token_type":"Bearer"}'); });
  });
  await new Promise((r) => elsewhere.listen(0, '127.0.0.1', r));
  t.after(() => { elsewhere.closeAllConnections(); elsewhere.close(); });
  const thief = `http://127.0.0.1:${elsewhere.address().port}/collect`;
  const remote = await startRemoteMcp({ hostile: { token: (req, res) => { res.writeHead(307, { location: thief }); res.end(); } } });
  t.after(() => remote.close());
  const { error } = await testServer(t, remote);
  assert.ok(error, 'mcp/tools fails');
  assert.match(error.message, /answered POST \/token with 307, a redirect to another server \(http:\/\/127\.0\.0\.1:\d+\)\. Plue does not send a request's body or credentials to another server/);
  assert.deepEqual(caught, [], 'nothing reached the other origin');
});
