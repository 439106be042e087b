// Item 5 of the trust work for refusals no tool call owns: what the sandbox's proxy refuses a long-running child while
// none of its tool calls runs still reaches the user. An ACP agent's (here one that fetches a page itself, before and
// without any tool call) is a denial card on its chat at the end of the turn, with Allow this once and Always for this
// workspace; a shared MCP server's that is never called again is a window notice naming the server and the host. The
// real sidecar, real bubblewrap and the real proxy; skipped, saying why, where bwrap is missing.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { scratch, startSidecar } from '../faults/support/processes.mjs';
import { stdioMcpScript } from './support/mcpScript.js';

const { root } = createRequire(import.meta.url)('./support/sidecar.js');
const bwrap = ['/usr/bin/bwrap', '/bin/bwrap', '/usr/local/bin/bwrap'].find((p) => fs.existsSync(p));
const skip = process.platform !== 'linux' ? 'the sandbox is Linux-only (bubblewrap)'
  : !bwrap ? 'bubblewrap is missing: install it (sudo apt-get install bubblewrap, or bash scripts/install-tools.sh)' : false;

/** A loopback HTTP server answering `text` to every request. */
async function answering(t, text) {
  const server = http.createServer((req, res) => res.end(text));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  return server.address().port;
}

const partsOf = async (s, id) => (await s.request('session/messages', { id })).messages.flatMap((m) => m.parts);
const texts = async (s, id) => (await partsOf(s, id)).filter((p) => p.kind === 'text').map((p) => p.text).join('\n');

test('sandboxUnownedDenials: an ACP agent refused a host outside any tool call gets a denial card on its chat; Allow this once lets it through', { skip, timeout: 180_000 }, async (t) => {
  const dir = fs.realpathSync(scratch(t, 'plue-unowned-acp-'));
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  const port = await answering(t, 'other-server-answer');
  const host = `127.0.0.1:${port}`;
  const s = startSidecar(t, { home: path.join(dir, 'home') });
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  s.connection.onRequest('permission/request', () => ({ decision: 'allow' }));
  await s.request('codex/create', { templateId: 'sandbox-policy', title: 'Example only', fields: {
    filesystem: 'workspace-write', home: 'hidden', network: 'allow-list', allowed_hosts: ['example.test'], folders: [workspace] } });
  const agent = path.join(root, 'tests', 'fixtures', 'acp', 'scriptedAgent.mjs');
  const instance = await s.request('instances/create', { displayName: 'Scripted', catalogProviderId: 'acp-agent', cliPath: process.execPath, cliArgs: [agent] });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'agent' });

  const first = await s.request('session/send', { sessionId: chat.id, text: `fetch http://${host}/` });
  assert.equal(first.status, 'complete', first.error);
  assert.match(await texts(s, chat.id), /fetched 403 Plue's sandbox denied/);
  const cards = (await partsOf(s, chat.id)).filter((p) => p.sandboxDenials);
  assert.equal(cards.length, 1, JSON.stringify(await partsOf(s, chat.id)));
  assert.equal(cards[0].kind, 'tool_result');
  assert.equal(cards[0].toolCallId, undefined, 'the card is not a call\'s');
  assert.deepEqual(cards[0].sandboxDenials, [{ kind: 'host', what: host }]);
  assert.match(cards[0].output, /outside any of its tool calls: connecting to 127\.0\.0\.1:\d+/);

  const once = await s.request('sandbox/allowOnce', { id: chat.id, partId: cards[0].id });
  assert.match(once.output, /Allowed by the user for this agent until it restarts/);
  const second = await s.request('session/send', { sessionId: chat.id, text: `fetch http://${host}/` });
  assert.equal(second.status, 'complete', second.error);
  assert.match(await texts(s, chat.id), /fetched 200 other-server-answer/, 'allowed once, the agent did not reach it');
  assert.equal((await partsOf(s, chat.id)).filter((p) => p.sandboxDenials).length, 0, 'denied again although allowed');
});

test('sandboxUnownedDenials: a shared MCP server refused in the background and never called again is a window notice naming it, the host and the file', { skip, timeout: 180_000 }, async (t) => {
  const dir = fs.realpathSync(scratch(t, 'plue-unowned-mcp-'));
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  const port = await answering(t, 'other-server-answer');
  const host = `127.0.0.1:${port}`;
  const script = path.join(dir, 'background-mcp.js');
  // A second after its start (its chat's turn is over by then) it reaches a host and writes .envrc, in the background.
  fs.writeFileSync(script, stdioMcpScript({ name: 'background', prelude: `
const fs = require('node:fs'), http = require('node:http');
setTimeout(() => {
  try { fs.writeFileSync('.envrc', 'planted'); } catch {}
  const proxy = new URL(process.env.HTTP_PROXY);
  http.get({ host: proxy.hostname, port: proxy.port, path: 'http://${host}/', headers: { host: '${host}' } }, (res) => res.resume()).on('error', () => {});
}, 1000);` }));
  const { fakeOpenAI } = await import('../faults/support/processes.mjs');
  const openai = await fakeOpenAI(t, () => ({ words: ['nothing to call'] }));
  const s = startSidecar(t, { home: path.join(dir, 'home'), env: { PLUE_SANDBOX_UNHEARD_SECONDS: '1' } });
  const notices = [];
  s.connection.onNotification('sandbox/refused', (p) => notices.push(p));
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  await s.request('codex/create', { templateId: 'sandbox-policy', title: 'Example only', fields: {
    filesystem: 'workspace-write', home: 'hidden', network: 'allow-list', allowed_hosts: ['example.test'], folders: [workspace] } });
  await s.request('codex/create', { templateId: 'mcp-server', title: 'Background Fetcher', slug: 'background', fields: { command: process.execPath, args: [script] } });
  await s.request('codex/create', { templateId: 'chat-mode', title: 'Echo', slug: 'echo', fields: { tools: ['read'], mcp_tools: ['mcp__background'] } });
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-unowned-mcp-key' });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-unowned', allowUnlisted: true });
  await s.request('session/setMode', { id: chat.id, mode: 'codex://modes/echo' });
  assert.equal((await s.request('session/send', { sessionId: chat.id, text: 'hello' })).status, 'complete');

  // The file's refusal and the host's come a moment apart (the write is refused at once; the connection goes through the
  // proxy): what comes within a moment of the first refusal is gathered, and one notice names both.
  const deadline = Date.now() + 60_000;
  while (notices.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  assert.equal(notices.length, 1, `one window notice: ${JSON.stringify(notices)}`);
  const [notice] = notices;
  assert.deepEqual(notice.denials.map((d) => `${d.kind} ${d.what}`).sort(), [`host ${host}`, `path ${path.join(workspace, '.envrc')}`].sort(), JSON.stringify(notices));
  const message = notice.message;
  assert.equal(notice.server, 'Background Fetcher');
  assert.match(message, /^The sandbox refused the MCP server 'Background Fetcher' while no chat or task was using it: /);
  assert.match(message, /add it to the workspace's sandbox policy \(its allowed hosts or writable paths\)/);
  assert.match(message, new RegExp(`connecting to ${host.replace(/\./g, '\\.')}`));
  assert.match(message, /writing \.envrc in the workspace/);
  assert.doesNotMatch(message, new RegExp(workspace.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'an absolute path in the window');
  assert.ok(!fs.existsSync(path.join(workspace, '.envrc')));
  // Told once: a quiet while later there is no further notice of the same refusals.
  await new Promise((r) => setTimeout(r, 2500));
  assert.equal(notices.length, 1, 'told twice');
  assert.equal((await partsOf(s, chat.id)).filter((p) => p.sandboxDenials).length, 0);
});
