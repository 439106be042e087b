// A hostile remote MCP server that echoes the credentials Plue gave it, through the real sidecar: its OAuth access
// token (signed in like a browser) or a header value from the vault, in a tool's description and in a call's result
// (raw, base64 in a Basic credential "plue:<token>", where at most the base64 groups shared with its neighbours are
// left, JSON-escaped). The credential reaches none of plue.db and the home's other files,
// the transcript, the RPC results, nor the next request the loopback model provider receives.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fakeOpenAI, filesUnder, leaks, scratch, startSidecar, until } from './support/processes.mjs';
import { signInLikeABrowser, startRemoteMcp } from '../support/remoteMcp.mjs';

/** A task calls the hostile server's echo once, then says done. */
function script({ body }) {
  const messages = JSON.parse(body).messages;
  return messages.some((m) => m.role === 'tool') ? { words: ['done'] } : { calls: [{ name: 'mcp__hostile__echo', args: { text: 'hello' } }] };
}

/** Runs one task on the hostile server; every place a credential must not reach, as [where, text]. */
async function echoThrough(t, { remote, fields, before = async () => {} }) {
  const home = path.join(scratch(t, 'plue-mcp-echo-'), 'home');
  const openai = await fakeOpenAI(t, script);
  const s = startSidecar(t, { home });
  await s.initialize({ vaultKey: Buffer.alloc(32, 5).toString('base64') });
  s.connection.onRequest('mcp/authorize', (p) => { signInLikeABrowser(p.url); return { opened: true }; });
  s.connection.onRequest('permission/request', () => ({ decision: 'allow' }));
  await before(s);
  const record = await s.request('codex/create', { templateId: 'mcp-server', title: 'Hostile', slug: 'hostile', fields: { transport: 'http', url: remote.url, trusted: true, ...fields } });
  const tools = await s.request('mcp/tools', { id: record.id });
  assert.match(tools.tools[0].description, /Returns its text\. Signed in as \*\*\*\./);
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-mcp-echo-key' });
  const task = await s.request('task/start', { templateId: 'task', prompt: 'echo hello', providerRef: instance.id, modelId: 'gpt-5-mini', fields: { mcp_tools: ['mcp__hostile'] } });
  await until(async () => (await s.request('task/get', { id: task.id })).status === 'completed', 'the task completes', 60_000, s.stderr);
  const transcript = await s.request('task/messages', { id: task.id });
  const next = openai.requests.at(-1).body;
  assert.match(JSON.parse(next).messages.find((m) => m.role === 'tool').content, /^remote echo: hello \(token \*\*\*; Basic [\w+/=]{0,8}\*\*\*[\w+/=]{0,4}; \{"bearer":"\*\*\*"\}\)$/);
  assert.ok(remote.seen.calls.length > 0, 'the tool was called');
  await s.stop();
  return [
    ...filesUnder(home).filter(([file]) => path.basename(file) !== 'vault.bin').map(([file, bytes]) => [path.relative(home, file), bytes]),
    ['mcp/tools', JSON.stringify(tools)],
    ['transcript', JSON.stringify(transcript)],
    ...openai.requests.map((r, i) => [`model request ${i + 1}`, r.body]),
    ['stderr', s.stderr()],
  ];
}

test('an MCP server that echoes its OAuth access token: the token is scrubbed before it is stored, shown or sent to the model', { timeout: 120_000 }, async (t) => {
  const remote = await startRemoteMcp({ echoToken: true });
  t.after(() => remote.close());
  const places = await echoThrough(t, { remote, fields: {} });
  assert.ok(remote.issued.length > 0, 'signed in');
  assert.deepEqual(leaks(places, remote.secrets), []);
});

test('an MCP server that echoes a header value from the vault: the value is scrubbed before it is stored, shown or sent to the model', { timeout: 120_000 }, async (t) => {
  const staticToken = `hostile_static_${Date.now().toString(36)}_Zk4`;
  const remote = await startRemoteMcp({ staticToken, echoToken: true });
  t.after(() => remote.close());
  const places = await echoThrough(t, {
    remote,
    fields: { headers: ['Authorization: Bearer vault://hostile/static'] },
    before: (s) => s.request('vault/store', { ref: 'vault://hostile/static', value: staticToken }),
  });
  assert.deepEqual(leaks(places, [staticToken]), []);
});

/**
 * The hostile server's resources and prompts, as the composer's @ and / take them (mcp/resources, mcp/readResource,
 * mcp/prompts, mcp/getPrompt), then sent to the model as the extension sends them (the resource attached as a file,
 * the prompt's text as the message); every place a credential must not reach, as [where, text].
 */
async function offeringsThrough(t, { remote, fields, before = async () => {} }) {
  const home = path.join(scratch(t, 'plue-mcp-echo-offerings-'), 'home');
  const openai = await fakeOpenAI(t, [{ words: ['noted'] }]);
  const s = startSidecar(t, { home });
  await s.initialize({ vaultKey: Buffer.alloc(32, 5).toString('base64') });
  s.connection.onRequest('mcp/authorize', (p) => { signInLikeABrowser(p.url); return { opened: true }; });
  await before(s);
  const record = await s.request('codex/create', { templateId: 'mcp-server', title: 'Hostile', slug: 'hostile', fields: { transport: 'http', url: remote.url, trusted: true, ...fields } });
  // Signs in (a listing never does), as testing the server does.
  await s.request('mcp/tools', { id: record.id });
  const resources = await s.request('mcp/resources', {});
  assert.equal(resources.resources.length, 2, JSON.stringify(resources));
  assert.match(resources.resources[0].description, /^A note \(signed in as \*\*\*; link \?token=\*\*\*; \*\*\*; \{"bearer":"\*\*\*"\}\)$/);
  const read = await s.request('mcp/readResource', { server: 'hostile', uri: resources.resources[0].uri });
  assert.match(read.text, /^# Welcome\n.* \(signed in as \*\*\*; link \?token=\*\*\*; \*\*\*; \{"bearer":"\*\*\*"\}\)$/);
  const prompts = await s.request('mcp/prompts', {});
  const prompt = await s.request('mcp/getPrompt', { server: 'hostile', name: 'review', arguments: { file: 'src/a.ts' } });
  assert.match(prompt.messages[0].text, /^Review src\/a\.ts\. \(signed in as \*\*\*; .*\)$/);
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-mcp-echo-key' });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-echo', allowUnlisted: true });
  await s.request('session/send', { sessionId: chat.id, text: prompt.messages.map((m) => m.text).join('\n'), attachments: [{ kind: 'file', path: `${read.serverTitle}: Welcome note`, content: read.text, language: 'markdown' }] });
  const asked = openai.requests.at(-1).body;
  assert.ok(asked.includes('Hostile: Welcome note') && asked.includes('# Welcome'), 'the resource reached the model');
  await s.stop();
  return [
    ...filesUnder(home).filter(([file]) => path.basename(file) !== 'vault.bin').map(([file, bytes]) => [path.relative(home, file), bytes]),
    ['mcp/resources', JSON.stringify(resources)],
    ['mcp/readResource', JSON.stringify(read)],
    ['mcp/prompts', JSON.stringify(prompts)],
    ['mcp/getPrompt', JSON.stringify(prompt)],
    ...openai.requests.map((r, i) => [`model request ${i + 1}`, r.body]),
    ['stderr', s.stderr()],
  ];
}

/** What the echoing server wrote besides the forms `leaks` knows: the token JSON-escaped with its solidus. */
const escapedSolidus = (secret) => JSON.stringify(secret).slice(1, -1).replaceAll('/', '\\/');

test('an MCP server whose resources and prompts echo its OAuth access token: the token is scrubbed from them before they are stored, shown or sent to the model', { timeout: 120_000 }, async (t) => {
  const remote = await startRemoteMcp({ echoToken: true });
  t.after(() => remote.close());
  const places = await offeringsThrough(t, { remote, fields: {} });
  assert.ok(remote.issued.length > 0, 'signed in');
  assert.deepEqual(leaks(places, remote.secrets), []);
});

test('an MCP server whose resources and prompts echo a header value from the vault (raw, URL-encoded, base64, JSON-escaped): scrubbed in every form', { timeout: 120_000 }, async (t) => {
  // Characters URL encoding and JSON's solidus escape change, so each form differs from the raw value.
  const staticToken = `hostile+static/${Date.now().toString(36)}/Zk4==`;
  const remote = await startRemoteMcp({ staticToken, echoToken: true });
  t.after(() => remote.close());
  const places = await offeringsThrough(t, {
    remote,
    fields: { headers: ['Authorization: Bearer vault://hostile/static'] },
    before: (s) => s.request('vault/store', { ref: 'vault://hostile/static', value: staticToken }),
  });
  assert.deepEqual(leaks(places, [staticToken, escapedSolidus(staticToken)]), []);
});
