// A remote MCP server through the real sidecar process: Streamable HTTP on 127.0.0.1 behind a loopback OAuth server.
// Testing the record signs in once (mcp/authorize opens the sign-in page, which this test follows as a browser
// would, back to the sidecar's loopback listener); a task's tool call then runs on the token, which is kept in the
// vault and nowhere else (the home's files, the log, RPC results); an expired token is refreshed without a sign-in;
// once every token is revoked, the tool call fails saying to sign in again, and nothing opens the browser.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fakeOpenAI, filesUnder, leaks, scratch, startSidecar, until } from '../faults/support/processes.mjs';
import { signInLikeABrowser, startRemoteMcp } from '../support/remoteMcp.mjs';

/** A task whose goal is `ECHO <text>` calls the remote echo once, then says done. */
function script({ body }) {
  const messages = JSON.parse(body).messages;
  const goal = String(messages.find((m) => m.role === 'user')?.content ?? '');
  const text = /ECHO (\S+)/.exec(goal)?.[1];
  return messages.some((m) => m.role === 'tool') ? { words: ['done'] } : { calls: [{ name: 'mcp__remote__echo', args: { text } }] };
}

test('a remote MCP server behind OAuth: one sign-in, tools on the token, the token in the vault only, refresh, then a clear sign-in error', { timeout: 120_000 }, async (t) => {
  const dir = scratch(t, 'plue-remote-mcp-');
  const home = path.join(dir, 'home');
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  const remote = await startRemoteMcp();
  t.after(() => remote.close());
  const openai = await fakeOpenAI(t, script);

  const s = startSidecar(t, { home });
  await s.initialize({ vaultKey: Buffer.alloc(32, 9).toString('base64'), workspaceFolders: [workspace], trusted: true });
  const rpcResults = [];
  const call = async (method, params) => { const result = await s.request(method, params); rpcResults.push([method, JSON.stringify(result)]); return result; };
  const authorizations = [];
  const browser = [];
  s.connection.onRequest('mcp/authorize', (p) => {
    authorizations.push(p);
    // The client opens the browser and answers at once; the browser comes back to the sidecar on its own.
    browser.push(signInLikeABrowser(p.url));
    return { opened: true };
  });

  const record = await call('codex/create', { templateId: 'mcp-server', title: 'Remote', slug: 'remote', fields: { transport: 'http', url: remote.url, trusted: true } });
  assert.equal(record.fields.command, undefined, 'a remote server has no command');

  // Testing it signs in: discovery, dynamic registration, the browser step, the code exchanged with PKCE.
  const tools = await call('mcp/tools', { id: record.id });
  assert.deepEqual(tools.tools.map((x) => x.agentName), ['mcp__remote__echo']);
  assert.equal(authorizations.length, 1);
  assert.deepEqual([authorizations[0].server, authorizations[0].title], ['remote', 'Remote']);
  assert.ok(authorizations[0].url.startsWith(`${remote.issuer}/authorize?`), authorizations[0].url);
  const back = await browser[0];
  assert.equal(back.status, 200);
  assert.match(back.text, /Signed in/);
  assert.match(back.redirectedTo, /^http:\/\/127\.0\.0\.1:\d+\/callback\?/);
  assert.deepEqual([remote.seen.registrations, remote.seen.authorizations, remote.seen.grants], [1, 1, ['authorization_code']]);
  assert.ok((await call('vault/list', {})).includes('vault://mcp-oauth/remote'), 'the tokens are under the server in the vault');

  const instance = await call('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-remote-mcp-key' });
  const echo = async (text) => {
    const task = await call('task/start', { templateId: 'task', prompt: `ECHO ${text}`, providerRef: instance.id, modelId: 'gpt-5-mini', fields: { mcp_tools: ['mcp__remote'] } });
    await until(async () => ['completed', 'failed'].includes((await s.request('task/get', { id: task.id })).status), `task ${text} ends`, 60_000, s.stderr);
    const request = openai.requests.findLast((r) => r.body.includes(`ECHO ${text}`));
    return JSON.parse(request.body).messages.find((m) => m.role === 'tool')?.content;
  };

  // A task's tool call runs on the token the sign-in stored, without another sign-in.
  assert.equal(await echo('one'), 'remote echo: one');
  assert.equal(remote.seen.calls.at(-1).token, remote.issued[0], 'the call carried the signed-in access token');

  // An access token the server no longer takes is refreshed (the refresh token grant) and the call goes on; so is
  // one past its lifetime (1 s now). Nobody is asked to sign in.
  const before = remote.seen.grants.length;
  remote.accessSeconds = 1;
  remote.expireAccess();
  assert.equal(await echo('two'), 'remote echo: two');
  assert.deepEqual(remote.seen.grants.slice(before), ['refresh_token']);
  await new Promise((r) => setTimeout(r, 1_100));
  assert.equal(await echo('three'), 'remote echo: three');
  assert.deepEqual(remote.seen.grants.slice(before), ['refresh_token', 'refresh_token']);
  assert.equal(remote.seen.calls.at(-1).token, remote.issued.at(-2), 'the call carried the newest access token');
  assert.equal(authorizations.length, 1, 'a refresh needs no sign-in');

  // Revoked: the refresh fails, and the tool's error says to sign in again; the browser is not opened for a task.
  remote.revokeAll();
  const failed = await echo('four');
  assert.match(failed, /needs you to sign in \(again\): run Plue: Test MCP Server/);
  assert.equal(authorizations.length, 1);

  // Every token issued (and the client secret) is in the vault only: not in the home's other files, the log, or any
  // RPC result; nor is a code.
  await s.stop();
  const places = [
    ...filesUnder(home).filter(([file]) => path.basename(file) !== 'vault.bin').map(([file, bytes]) => [path.relative(home, file), bytes]),
    ['stderr', s.stderr()],
    ...rpcResults,
  ];
  assert.ok(filesUnder(home).some(([file]) => path.basename(file) === 'vault.bin'), 'the vault holds them');
  assert.deepEqual(leaks(places, remote.secrets), []);
  assert.deepEqual(leaks(filesUnder(home), remote.secrets), [], 'the vault holds them encrypted');
});

test('a remote MCP server with a header from the vault: no sign-in, the secret sent to that server only and kept nowhere else', { timeout: 60_000 }, async (t) => {
  const dir = scratch(t, 'plue-remote-mcp-header-');
  const home = path.join(dir, 'home');
  const staticToken = `loopback_static_${Date.now().toString(36)}_Qw7`;
  const remote = await startRemoteMcp({ staticToken });
  t.after(() => remote.close());
  const s = startSidecar(t, { home });
  await s.initialize({ vaultKey: Buffer.alloc(32, 9).toString('base64') });
  s.connection.onRequest('mcp/authorize', () => assert.fail('a server given its token in a header asks for no sign-in'));

  await s.request('vault/store', { ref: 'vault://remote/static', value: staticToken });
  const record = await s.request('codex/create', {
    templateId: 'mcp-server', title: 'Keyed', slug: 'keyed',
    fields: { transport: 'http', url: remote.url, headers: ['Authorization: Bearer vault://remote/static'] },
  });
  assert.deepEqual(record.fields.headers, ['Authorization: Bearer vault://remote/static']);
  const tools = await s.request('mcp/tools', { id: record.id });
  assert.deepEqual(tools.tools.map((x) => x.name), ['echo']);
  assert.deepEqual([remote.seen.unauthorized, remote.seen.registrations], [0, 0]);

  // A missing secret is named, with the fix.
  const broken = await s.request('codex/create', {
    templateId: 'mcp-server', title: 'Broken', slug: 'broken',
    fields: { transport: 'http', url: remote.url, headers: ['Authorization: Bearer vault://remote/missing'] },
  });
  await assert.rejects(s.request('mcp/tools', { id: broken.id }), /header Authorization: the vault no longer holds its secret; set the header again/);

  await s.stop();
  const places = [...filesUnder(home).filter(([file]) => path.basename(file) !== 'vault.bin'), ['stderr', s.stderr()], ['record', JSON.stringify(record)]];
  assert.deepEqual(leaks(places, [staticToken]), []);
});

test('a remote MCP server that accepts client ID metadata documents knows Plue by the one the record names: no registration, the same sign-in', { timeout: 60_000 }, async (t) => {
  const dir = scratch(t, 'plue-remote-mcp-cimd-');
  const document = 'https://example.com/oauth/plue-client.json';
  const remote = await startRemoteMcp({ clientDocuments: { [document]: { client_name: 'Plue', redirect_uris: ['http://127.0.0.1/callback'] } } });
  t.after(() => remote.close());
  const s = startSidecar(t, { home: path.join(dir, 'home') });
  await s.initialize({ vaultKey: Buffer.alloc(32, 9).toString('base64') });
  const browser = [];
  s.connection.onRequest('mcp/authorize', (p) => { browser.push(signInLikeABrowser(p.url)); return { opened: true }; });

  const record = await s.request('codex/create', {
    templateId: 'mcp-server', title: 'Documented', slug: 'documented',
    fields: { transport: 'http', url: remote.url, oauth_client_metadata_url: document },
  });
  const tools = await s.request('mcp/tools', { id: record.id });

  assert.deepEqual(tools.tools.map((x) => x.name), ['echo']);
  assert.match((await browser[0]).text, /Signed in/);
  assert.deepEqual([remote.seen.registrations, remote.seen.clientIds, remote.seen.grants], [0, [document], ['authorization_code']]);

  // Not an HTTPS URL: refused by the template, with the field named.
  await assert.rejects(s.request('codex/create', {
    templateId: 'mcp-server', title: 'Plain', slug: 'plain', fields: { transport: 'http', url: remote.url, oauth_client_metadata_url: 'http://example.com/c.json' },
  }), /oauth_client_metadata_url/);
});
