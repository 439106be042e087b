// Item 5 of the trust work ("every denial seen, for every program and every child"): what the sandbox's proxy refuses
// an agent hook, the Claude Code CLI's own Bash and an ACP agent's reaches the chat it belongs to as a denial card, as
// a bash call's does: a hook's on its notice (outcome "sandbox"), a hosted agent's on the result of the tool call that
// was refused. "Allow this once" lets it through (the next hooks of the chat; the agent's proxy until it restarts),
// "Always for this workspace" records a grant. The real sidecar, real bubblewrap, the real claude CLI and Zed's ACP
// adapter against a loopback Anthropic API. Skipped, saying why, where bwrap is missing.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { fakeOpenAI, scratch, startSidecar } from '../faults/support/processes.mjs';
import { stdioMcpScript } from './support/mcpScript.js';

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

test('agentDenialCards: a hook the sandbox refused a host is a denial card; Allow this once lets its next run reach it, Always for this workspace every later one', { skip, timeout: 180_000 }, async (t) => {
  const dir = fs.realpathSync(scratch(t, 'plue-hook-card-'));
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  const other = await answering(t, 'other-server-answer');
  const openai = await fakeOpenAI(t, () => ({ words: ['ok'] }));
  const s = startSidecar(t, { home: path.join(dir, 'home') });
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  // The workspace's policy: an allow-list without the loopback server, so the hook's connection goes to the proxy, which refuses it.
  await s.request('codex/create', { templateId: 'sandbox-policy', title: 'Example only', fields: {
    filesystem: 'workspace-write', home: 'hidden', network: 'allow-list', allowed_hosts: ['example.test'], folders: [workspace] } });
  const out = path.join(workspace, 'hook-out.txt');
  await s.request('codex/create', { templateId: 'agent-hook', title: 'Fetch', fields: {
    event: 'UserPromptSubmit', command: `curl -sS -m 10 http://127.0.0.1:${other}/ > hook-out.txt 2>&1; true`, timeout_seconds: 30 } });
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-hook-card-key' });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-hook', allowUnlisted: true });
  const send = async (text) => {
    const answer = await s.request('session/send', { sessionId: chat.id, text });
    assert.equal(answer.status, 'complete', answer.error);
    return (await partsOf(s, chat.id)).filter((p) => p.kind === 'hook' && p.outcome === 'sandbox');
  };
  const host = `127.0.0.1:${other}`;

  const [denied] = await send('first');
  assert.ok(denied, 'the hook\'s denial is not a card');
  assert.deepEqual(denied.sandboxDenials, [{ kind: 'host', what: host }]);
  assert.match(denied.sandboxPolicy, /^Example only/);
  assert.match(denied.text, new RegExp(`The sandbox denied the hook: connecting to ${host.replace(/\./g, '\\.')}\\.`));
  assert.match(fs.readFileSync(out, 'utf8'), /Plue's sandbox denied/, 'the proxy did not refuse it');

  const once = await s.request('sandbox/allowOnce', { id: chat.id, partId: denied.id });
  assert.match(once.output, /Allowed once/);
  const allowed = (await partsOf(s, chat.id)).find((p) => p.id === denied.id);
  assert.equal(allowed.sandboxAllowed, 'once');
  assert.equal(allowed.sandboxDenials, undefined);

  assert.equal((await send('second')).length, 1, 'denied again although allowed once');
  assert.equal(fs.readFileSync(out, 'utf8'), 'other-server-answer', 'allowed once, the next run did not reach it');

  const cards = await send('third');
  assert.equal(cards.length, 2, 'allowed once held past the next run');
  const always = await s.request('sandbox/allowAlways', { id: chat.id, partId: cards[1].id });
  assert.equal(always.grants.length, 1, JSON.stringify(always));
  fs.rmSync(out);
  assert.equal((await send('fourth')).length, 2, 'denied although allowed always for this workspace');
  assert.equal(fs.readFileSync(out, 'utf8'), 'other-server-answer');
});

/**
 * A loopback Anthropic API whose model runs `command` with its own Bash tool once a turn, then says it ran; the
 * tool's results are kept in `results`.
 */
async function bashingAnthropic(t, command, results) {
  const { fakeAnthropic, lastTurn } = await import('../support/acpAgent.mjs');
  return fakeAnthropic(t, (body) => {
    if (!(body.tools ?? []).some((tool) => tool.name === 'Bash')) return { words: ['OK'] };
    const turn = lastTurn(body);
    if (turn.results.length > 0) {
      results.push(turn.results[0].text);
      return { words: ['Ran it.'] };
    }
    return { tool: 'Bash', input: { command, description: 'Fetch the page' } };
  });
}

function claudeCli() {
  const cli = process.env.PLUE_CLAUDE_CLI || path.join(os.homedir(), '.cache', 'plue-vscode', 'claude', 'node_modules', '.bin', 'claude');
  assert.ok(fs.existsSync(cli), `the claude CLI is needed (${cli}): run tests/support/install-claude.sh`);
  return cli;
}

test('agentDenialCards: a host the Claude Code CLI\'s and an ACP agent\'s Bash is refused shows on that call\'s result; allowed, the agent reaches it', { skip, timeout: 300_000 }, async (t) => {
  const { acpInstance } = await import('../support/acpAgent.mjs');
  const dir = fs.realpathSync(scratch(t, 'plue-agent-card-'));
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  const other = await answering(t, 'other-server-answer');
  const cliHome = path.join(dir, 'cli-home');
  fs.mkdirSync(cliHome);
  const s = startSidecar(t, { home: path.join(dir, 'home'), env: {
    HOME: cliHome, CLAUDE_CONFIG_DIR: path.join(cliHome, '.claude'), CLAUDE_CODE_MAX_RETRIES: '0',
    ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: '', CLAUDE_CODE_OAUTH_TOKEN: '',
  } });
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  s.connection.onRequest('permission/request', () => ({ decision: 'allow' }));
  const host = `127.0.0.1:${other}`;
  const fetch = `curl -sS -m 10 http://${host}/`;
  const results = async (id) => (await partsOf(s, id)).filter((p) => p.kind === 'tool_result');

  const check = async (chat, seen, answer) => {
    const first = await s.request('session/send', { sessionId: chat.id, text: 'Fetch the page' });
    assert.equal(first.status, 'complete', JSON.stringify(first).slice(0, 1500));
    assert.match(seen.at(-1), new RegExp(`Plue's sandbox denied ${host.replace(/\./g, '\\.')}`));
    const [denied] = await results(chat.id);
    assert.deepEqual(denied.sandboxDenials, [{ kind: 'host', what: host }], JSON.stringify(denied));
    const allowed = await s.request(answer, { id: chat.id, partId: denied.id });
    assert.match(allowed.output, /^\[Allowed by the user .*ask it to try again\.\]$/i);
    assert.equal((await results(chat.id)).find((p) => p.id === denied.id).sandboxAllowed, answer === 'sandbox/allowOnce' ? 'once' : 'workspace');
    const again = await s.request('session/send', { sessionId: chat.id, text: 'Fetch the page' });
    assert.equal(again.status, 'complete', again.error);
    assert.match(seen.at(-1), /other-server-answer/, 'allowed, the agent did not reach it');
    const still = (await results(chat.id)).filter((p) => p.sandboxDenials);
    assert.equal(still.length, 0, JSON.stringify(still));
    return allowed;
  };

  const cliSeen = [];
  const cliAnthropic = await bashingAnthropic(t, fetch, cliSeen);
  const cli = await s.request('instances/create', { displayName: 'Claude Code', catalogProviderId: 'claude-code', endpoint: cliAnthropic.endpoint,
    apiKey: 'loopback-anthropic-key-cli', cliPath: claudeCli() });
  const cliChat = await s.request('session/create', { instanceId: cli.id, modelId: 'claude-sonnet-4-5', allowUnlisted: true });
  await check(cliChat, cliSeen, 'sandbox/allowOnce');

  const acpSeen = [];
  const acpAnthropic = await bashingAnthropic(t, fetch, acpSeen);
  const agent = await acpInstance((m, p) => s.request(m, p), { endpoint: acpAnthropic.endpoint, dir });
  const acpChat = await s.request('session/create', { instanceId: agent.id, modelId: 'agent' });
  const always = await check(acpChat, acpSeen, 'sandbox/allowAlways');
  assert.equal(always.grants.length, 1, JSON.stringify(always));
});

test('agentDenialCards: what the sandbox refused an MCP server between its calls is told with its next call, on that call\'s card', { skip, timeout: 120_000 }, async (t) => {
  const dir = fs.realpathSync(scratch(t, 'plue-mcp-card-'));
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  const probe = `/etc/plue-mcp-background-${process.pid}`;
  t.after(() => fs.rmSync(probe, { force: true }));
  const server = path.join(dir, 'background-mcp.js');
  // At its start, before any call, the server writes outside the workspace (a log, say): the sandbox refuses it.
  fs.writeFileSync(server, stdioMcpScript({ name: 'background', callText: "'echoed'", prelude: `
const fs = require('node:fs');
try { fs.writeFileSync(${JSON.stringify(probe)}, 'x'); } catch (e) { process.stderr.write(e.code + '\\n'); }` }));
  const openai = await fakeOpenAI(t, ({ body }) => (JSON.parse(body).messages.at(-1).role !== 'tool' ? { calls: [{ name: 'mcp__background__echo', args: {} }] } : { words: ['done'] }));
  const s = startSidecar(t, { home: path.join(dir, 'home') });
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  s.connection.onRequest('permission/request', () => ({ decision: 'allow' }));
  await s.request('codex/create', { templateId: 'mcp-server', title: 'Background', slug: 'background', fields: { command: process.execPath, args: [server] } });
  await s.request('codex/create', { templateId: 'chat-mode', title: 'Echo', slug: 'echo', fields: { tools: ['read'], mcp_tools: ['mcp__background'] } });
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-mcp-card-key' });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-mcp', allowUnlisted: true });
  await s.request('session/setMode', { id: chat.id, mode: 'codex://modes/echo' });
  const send = async () => {
    assert.equal((await s.request('session/send', { sessionId: chat.id, text: 'echo' })).status, 'complete');
    return (await partsOf(s, chat.id)).filter((p) => p.kind === 'tool_result').at(-1);
  };

  const first = await send();
  assert.match(first.output, /^echoed/);
  assert.deepEqual(first.sandboxDenials, [{ kind: 'path', what: probe }], JSON.stringify(first));
  assert.ok(!fs.existsSync(probe));
  const second = await send();
  assert.equal(second.sandboxDenials, undefined, 'told twice');
});
