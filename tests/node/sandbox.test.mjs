// The sandbox through the real sidecar process and bubblewrap (docs/SANDBOX.md): under workspace-write a chat's
// `bash` call writes its workspace and nothing else (not the home, not /etc, not the Plue home), cannot read the vault
// or plue.db, reaches a loopback server on the workspace policy's allow-list while one not on it is refused (403 from
// the sidecar's proxy, the host named in the tool result); a stdio MCP server runs under the same policy; a sub-task
// can neither widen its parent's policy nor its auto_approve. A denied call's result carries what was denied: Allow
// this once runs that call again widened, Always for this workspace makes a grant later calls run under. An ACP agent
// and a stdio MCP server run under their chat's policy (one server per policy); a task's view carries its policy and
// denials. Skipped, saying why, only where bwrap is missing.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { committedRepository, fakeOpenAI, git, killedWithItsTree, scratch, startSidecar, until } from '../faults/support/processes.mjs';
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

/**
 * Shell lines that try each of `ports` on 127.0.0.1 past the proxy, as a program that ignores its variables: curl told
 * not to use it, and a raw connection (bash's /dev/tcp). Each prints "direct|raw <port> failed" where it cannot connect.
 */
const pastTheProxy = (...ports) => ports.map((port) => `curl -sS -m 5 --noproxy '*' http://127.0.0.1:${port}/ || echo "direct ${port} failed"; `
  + `(exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null && echo "raw ${port} reached" || echo "raw ${port} failed"`).join('; ');

/** A chat message's text, whether a string or parts. */
const textOf = (message) => typeof message.content === 'string' ? message.content : message.content.map((c) => c.text).join('');

/** The model makes the tool call `call(text)` gives for the user's text and answers "done" to its result, kept in `results`. */
function toolScript(results, call) {
  return ({ body }) => {
    const last = JSON.parse(body).messages.at(-1);
    if (last.role === 'tool') {
      results.push(textOf(last));
      return { words: ['done'] };
    }
    return call(textOf(last));
  };
}

/** The model runs the user's text as a bash command (a task's goal after "CHILD: "; a parent's "PARENT…" runs true). */
function bashScript(results) {
  return toolScript(results, (text) => {
    const goal = /CHILD: (.*)/s.exec(text);
    return { bash: goal ? goal[1] : text.replace(/^PARENT.*/s, 'true') };
  });
}

/** A chat on a loopback OpenAI instance with only `bash`; `run(command)` sends it and gives the tool's result. */
async function bashChat(s, openai, results) {
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-sandbox-key' });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-sandbox', allowUnlisted: true });
  await s.request('codex/update', { id: chat.id, version: chat.version, fields: { available_tools: ['bash'] } });
  return async (command) => {
    assert.equal((await s.request('session/send', { sessionId: chat.id, text: command })).status, 'complete');
    return results.at(-1);
  };
}

test('workspace-write: bash writes only its workspace, cannot read the vault or plue.db, reaches only allowed hosts; an MCP server is confined too', { skip, timeout: 120_000 }, async (t) => {
  const dir = scratch(t, 'plue-sandbox-');
  const userHome = path.join(dir, 'user');
  // The workspace in the (hidden) home: bound back, writable.
  const workspace = path.join(userHome, 'ws');
  const home = path.join(dir, 'home');
  fs.mkdirSync(workspace, { recursive: true });
  const allowed = await answering(t, 'allowed-host-answer');
  const refused = await answering(t, 'refused-host-answer');
  const results = [];
  const openai = await fakeOpenAI(t, bashScript(results));
  const s = startSidecar(t, { home, env: { HOME: userHome } });
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  s.connection.onRequest('permission/request', () => ({ decision: 'allow' }));
  await s.request('vault/store', { ref: 'vault://sandbox/probe.TOKEN', value: 'loopback-sandbox-vault-value' });
  assert.ok(fs.existsSync(path.join(home, 'vault.bin')) && fs.existsSync(path.join(home, 'plue.db')));
  // The workspace's policy: workspace-write, home hidden, only the allowed server reachable.
  await s.request('codex/create', { templateId: 'sandbox-policy', title: 'Loopback only', fields: {
    filesystem: 'workspace-write', home: 'hidden', network: 'allow-list', allowed_hosts: [`127.0.0.1:${allowed}`], folders: [workspace] } });
  const run = await bashChat(s, openai, results);

  const writes = await run(`touch ~/outside-home; touch /etc/plue-sandbox-probe; touch ${home}/outside-plue-home; echo in > inside.txt; echo wrote`);
  assert.match(writes, /wrote/);
  assert.equal(fs.readFileSync(path.join(workspace, 'inside.txt'), 'utf8'), 'in\n', 'the workspace is writable');
  assert.ok(!fs.existsSync(path.join(userHome, 'outside-home')), 'the home is not written');
  assert.ok(!fs.existsSync('/etc/plue-sandbox-probe'), '/etc is not written');
  assert.ok(!fs.existsSync(path.join(home, 'outside-plue-home')), 'the Plue home is not written');
  assert.match(writes, /\/etc\/plue-sandbox-probe': Read-only file system/);
  assert.match(writes, /The sandbox \(Loopback only \(home hidden, hosts 127\.0\.0\.1:\d+\)\) denied: \/etc\/plue-sandbox-probe \(outside the workspace\)/);

  const reads = await run(`cat ${home}/vault.bin; head -c 16 ${home}/plue.db; ls ${home}; echo read`);
  assert.match(reads, /vault\.bin: No such file or directory/);
  assert.match(reads, /plue\.db' for reading: No such file or directory/);
  assert.doesNotMatch(reads, /SQLite format|loopback-sandbox-vault-value/);

  // Through the proxy, then past it as a program that ignores the proxy variables does: the sandbox's own loopback
  // has no server, the host's is out of reach.
  const hosts = await run(`curl -sS -m 10 http://127.0.0.1:${allowed}/; echo; curl -sS -m 10 http://127.0.0.1:${refused}/; echo; ${pastTheProxy(allowed, refused)}`);
  assert.match(hosts, /allowed-host-answer/);
  assert.doesNotMatch(hosts, /refused-host-answer/);
  assert.match(hosts, new RegExp(`direct ${allowed} failed`), 'the listed server is reached only through the proxy');
  assert.match(hosts, new RegExp(`direct ${refused} failed`));
  assert.match(hosts, new RegExp(`raw ${refused} failed`));
  assert.equal((hosts.match(/allowed-host-answer/g) ?? []).length, 1, hosts);
  assert.match(hosts, new RegExp(`Plue's sandbox denied 127\\.0\\.0\\.1:${refused}`));
  assert.match(hosts, new RegExp(`denied: connecting to 127\\.0\\.0\\.1:${refused}\\.`));

  // A stdio MCP server, started by the sidecar under the workspace's policy: it writes where it is told at start.
  const server = path.join(dir, 'mcp.js');
  fs.writeFileSync(server, stdioMcpScript({ name: 'confined', prelude: `
const fs = require('node:fs');
for (const file of [process.env.INSIDE, process.env.OUTSIDE]) { try { fs.writeFileSync(file, 'x'); } catch (e) { process.stderr.write(e.code + '\\n'); } }` }));
  const inside = path.join(workspace, 'mcp-inside.txt');
  const outside = path.join(dir, 'mcp-outside.txt');
  const record = await s.request('codex/create', { templateId: 'mcp-server', title: 'Confined', slug: 'confined', fields: {
    command: process.execPath, args: [server], env: [`INSIDE=${inside}`, `OUTSIDE=${outside}`] } });
  assert.deepEqual((await s.request('mcp/tools', { id: record.id })).tools.map((tool) => tool.name), ['echo']);
  assert.ok(fs.existsSync(inside), 'the MCP server writes its workspace');
  assert.ok(!fs.existsSync(outside), 'the MCP server cannot write outside it');
});

test("workspace-write: bash cannot write its repository's git config or hooks (the sidecar's own git runs there unconfined) nor swap its .git, and still commits", { skip, timeout: 120_000 }, async (t) => {
  const dir = scratch(t, 'plue-sandbox-git-');
  const workspace = path.join(dir, 'ws');
  const home = path.join(dir, 'home');
  fs.mkdirSync(workspace, { recursive: true });
  const git = (...args) => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: workspace, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
  fs.writeFileSync(path.join(workspace, 'a.txt'), 'a\n');
  git('init', '--quiet');
  git('add', '--all');
  git('commit', '--quiet', '-m', 'first');
  const config = fs.readFileSync(path.join(workspace, '.git', 'config'), 'utf8');
  const results = [];
  const openai = await fakeOpenAI(t, bashScript(results));
  const s = startSidecar(t, { home, env: { HOME: path.join(dir, 'user') } });
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  s.connection.onRequest('permission/request', () => ({ decision: 'allow' }));
  await s.request('codex/create', { templateId: 'sandbox-policy', title: 'Workspace', fields: {
    filesystem: 'workspace-write', home: 'hidden', network: 'none', folders: [workspace] } });
  const run = await bashChat(s, openai, results);

  const marker = path.join(dir, 'ran');
  const tries = await run([
    `git config core.fsmonitor 'touch ${marker}'; echo config=$?`,
    `printf '#!/bin/sh\\ntouch ${marker}\\n' > .git/hooks/post-commit; echo hook=$?`,
    `mv .git .git-old; echo swap=$?`,
    `echo b > b.txt && git add b.txt && git -c user.name=Agent -c user.email=agent@example.com commit --quiet -m second; echo commit=$?`,
  ].join('; '));
  assert.match(tries, /config=[1-9]/, 'the git config is read-only');
  assert.match(tries, /hook=1/, 'the hooks are read-only');
  assert.match(tries, /swap=1/, '.git cannot be renamed away');
  assert.match(tries, /commit=0/, 'a commit still works');
  assert.equal(fs.readFileSync(path.join(workspace, '.git', 'config'), 'utf8'), config);
  assert.ok(!fs.existsSync(path.join(workspace, '.git', 'hooks', 'post-commit')));
  assert.ok(fs.existsSync(path.join(workspace, '.git', 'HEAD')) && !fs.existsSync(path.join(workspace, '.git-old')));
  assert.match(git('log', '--format=%s'), /^second\nfirst\n$/);
  // The sidecar's own git in that repository (a checkpoint, git status) runs nothing the agent named.
  git('status', '--short');
  assert.ok(!fs.existsSync(marker));
});

test('a sub-task can neither widen its parent\'s sandbox policy nor its auto_approve', { skip, timeout: 120_000 }, async (t) => {
  const dir = scratch(t, 'plue-sandbox-tree-');
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  const results = [];
  const openai = await fakeOpenAI(t, bashScript(results));
  const s = startSidecar(t, { home: path.join(dir, 'home') });
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  const asked = [];
  s.connection.onRequest('permission/request', (p) => { asked.push(p.tool); return { decision: 'allow' }; });
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-sandbox-tree-key' });
  const parent = await s.request('task/start', { templateId: 'task', prompt: 'PARENT: nothing to run', providerRef: instance.id, modelId: 'gpt-sandbox',
    allowUnlisted: true, fields: { available_tools: ['bash', 'write'], auto_approve: ['bash'], sandbox_policy: 'sandbox-read-only', max_depth: 1 } });
  await until(async () => (await s.request('task/get', { id: parent.id })).status === 'completed', 'the parent completes', 60_000);

  // The child asks for more than its parent has: no sandbox, and write run without asking.
  const child = await s.request('task/start', { templateId: 'task', prompt: 'CHILD: touch child.txt; echo ran', providerRef: instance.id, modelId: 'gpt-sandbox',
    allowUnlisted: true, parentId: parent.id, fields: { available_tools: ['bash', 'write'], auto_approve: ['bash', 'write'], sandbox_policy: 'sandbox-off' } });
  await until(async () => (await s.request('task/get', { id: child.id })).status === 'completed', 'the child completes', 60_000);
  const record = await s.request('codex/get', { id: child.id });
  assert.deepEqual(record.fields.auto_approve, ['bash'], "the child's auto_approve is within its parent's");
  assert.ok(!fs.existsSync(path.join(workspace, 'child.txt')), "the child ran under its parent's read-only policy");
  assert.match(results.at(-1), /child\.txt': Read-only file system/);
  assert.deepEqual(asked, [], 'bash ran without asking, as the parent allows');
});

/**
 * A folder outside the workspace that a sandboxed command sees read-only: under the repository, unless the repository
 * lies where the sandbox hides (the system temp folders are private to it, the home is hidden): a write there lands
 * in the sandbox's private copy, which is said but is no denial to allow (docs/SANDBOX.md).
 */
const repository = fs.realpathSync(path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..'));
const hiddenFrom = ['/tmp', '/var/tmp', os.homedir()].map((p) => fs.existsSync(p) ? fs.realpathSync(p) : p)
  .find((place) => repository === place || repository.startsWith(`${place}/`));
const skipOutside = skip || (hiddenFrom ? `the repository lies in ${hiddenFrom}, which the sandbox hides: no folder outside the workspace is left in sight to write to` : false);

function outsideFolder(t) {
  const base = path.join(repository, 'artifacts');
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, 'sandbox-outside-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return fs.realpathSync(dir);
}

/** A trusted workspace, a folder outside it, a loopback provider running the bash script, and the sidecar with its instance. */
async function deniedSetUp(t, prefix) {
  const dir = scratch(t, prefix);
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  const outside = outsideFolder(t);
  const results = [];
  const openai = await fakeOpenAI(t, bashScript(results));
  const s = startSidecar(t, { home: path.join(dir, 'home') });
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  s.connection.onRequest('permission/request', () => ({ decision: 'allow' }));
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-sandbox-denied-key' });
  return { s, instance, outside, workspace };
}

test('a denied write shows on its result part; Allow this once runs that call again with the path writable, the next call is denied again; Always for this workspace is a grant later calls run under', { skip: skipOutside, timeout: 180_000 }, async (t) => {
  const { s, instance, outside } = await deniedSetUp(t, 'plue-sandbox-allow-');
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-sandbox', allowUnlisted: true });
  await s.request('codex/update', { id: chat.id, version: chat.version, fields: { available_tools: ['bash'] } });
  const target = path.join(outside, 'out.txt');
  const write = async (n) => {
    const answer = await s.request('session/send', { sessionId: chat.id, text: `echo ${n} > ${target}; echo tried` });
    assert.equal(answer.status, 'complete');
    const { messages } = await s.request('session/messages', { id: chat.id });
    return messages.flatMap((m) => m.parts).filter((p) => p.kind === 'tool_result').at(-1);
  };

  const first = await write(1);
  assert.ok(!fs.existsSync(target), 'the write outside the workspace was stopped');
  assert.deepEqual(first.sandboxDenials, [{ kind: 'path', what: target }], JSON.stringify(first));
  assert.match(first.sandboxPolicy, /Workspace write/);

  const once = await s.request('sandbox/allowOnce', { id: chat.id, partId: first.id });
  assert.equal(fs.readFileSync(target, 'utf8'), '1\n', 'allowed once, the call wrote');
  assert.deepEqual(once.denials, []);
  assert.deepEqual(once.grants, []);
  const { messages } = await s.request('session/messages', { id: chat.id });
  const rerun = messages.flatMap((m) => m.parts).find((p) => p.id === first.id);
  assert.equal(rerun.sandboxAllowed, 'once');
  assert.equal(rerun.sandboxDenials, undefined, 'the card no longer offers to allow it');
  assert.match(rerun.output, /tried[\s\S]*allowed this once/);

  const second = await write(2);
  assert.equal(fs.readFileSync(target, 'utf8'), '1\n', 'the next identical call is denied again');
  assert.deepEqual(second.sandboxDenials, [{ kind: 'path', what: target }]);

  const always = await s.request('sandbox/allowAlways', { id: chat.id, partId: second.id });
  assert.equal(fs.readFileSync(target, 'utf8'), '2\n', 'allowed always, the call wrote');
  assert.deepEqual(always.grants.map((g) => [g.scope, g.tool, g.sandboxPath, g.what]), [['workspace', 'bash', target, `bash may write ${target}`]]);
  const listed = await s.request('permissions/list', {});
  assert.ok(listed.grants.some((g) => g.id === always.grants[0].id && g.current), 'the grant is listed where grants are');

  const third = await write(3);
  assert.equal(fs.readFileSync(target, 'utf8'), '3\n', 'a later call runs under the widened workspace policy');
  assert.equal(third.sandboxDenials, undefined);

  await s.request('permissions/reset', { id: always.grants[0].id });
  const fourth = await write(4);
  assert.equal(fs.readFileSync(target, 'utf8'), '3\n', 'revoked, the path is read-only again');
  assert.deepEqual(fourth.sandboxDenials, [{ kind: 'path', what: target }]);
});

test("an ACP agent runs under its chat's policy: a read-only mode's agent cannot write the workspace, a workspace-write chat's can", { skip, timeout: 240_000 }, async (t) => {
  const { acpInstance, fakeAnthropic, writingAgent } = await import('../support/acpAgent.mjs');
  const dir = fs.realpathSync(scratch(t, 'plue-sandbox-acp-'));
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  const anthropic = await fakeAnthropic(t, writingAgent({
    'write read-only': path.join(workspace, 'read-only.txt'),
    'write writable': path.join(workspace, 'writable.txt'),
  }));
  const s = startSidecar(t, { home: path.join(dir, 'home') });
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  s.connection.onRequest('permission/request', () => ({ decision: 'allow' }));
  const instance = await acpInstance((m, p) => s.request(m, p), { endpoint: anthropic.endpoint, dir });
  await s.request('codex/create', { templateId: 'chat-mode', title: 'Look only', slug: 'look-only', fields: {
    tools: ['read', 'write', 'edit'], sandbox_policy: 'sandbox-read-only' } });
  const chatIn = async (mode) => {
    const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'agent' });
    const record = await s.request('codex/get', { id: chat.id });
    await s.request('codex/update', { id: chat.id, version: record.version, fields: { available_tools: ['read', 'write', 'edit'] } });
    await s.request('session/setMode', { id: chat.id, mode });
    return chat;
  };
  const texts = (message) => message.parts.filter((p) => p.kind === 'text').map((p) => p.text).join('');

  const looking = await chatIn('codex://modes/look-only');
  const denied = await s.request('session/send', { sessionId: looking.id, text: 'write read-only' });
  assert.equal(denied.status, 'complete', denied.error);
  assert.ok(!fs.existsSync(path.join(workspace, 'read-only.txt')), "the read-only chat's agent wrote nothing");
  assert.match(texts(denied), /sandbox .*denied writing/i, texts(denied));

  const working = await chatIn('mode-agent');
  const wrote = await s.request('session/send', { sessionId: working.id, text: 'write writable' });
  assert.equal(wrote.status, 'complete', wrote.error);
  assert.ok(fs.existsSync(path.join(workspace, 'writable.txt')), `the workspace-write chat's agent wrote: ${texts(wrote)} ${JSON.stringify(wrote.parts).slice(0, 1500)}`);
});

/**
 * A loopback Anthropic API whose model runs `command(its endpoint)` with its own Bash tool once, then says it ran; the
 * tool's result is kept in `results`. That the turn completes says the agent reached this, its own endpoint.
 */
async function bashingAnthropic(t, command, results) {
  const { fakeAnthropic, lastTurn } = await import('../support/acpAgent.mjs');
  const server = await fakeAnthropic(t, (body) => {
    if (!(body.tools ?? []).some((tool) => tool.name === 'Bash')) return { words: ['OK'] };
    const turn = lastTurn(body);
    if (turn.results.length > 0) {
      results.push(turn.results[0].text);
      return { words: ['Ran it.'] };
    }
    return { tool: 'Bash', input: { command: command(server.endpoint), description: 'Probe the network' } };
  });
  return server;
}

/** The real claude CLI, as tests/node/claudeModes.test.mjs finds it. */
function claudeCli() {
  const cli = process.env.PLUE_CLAUDE_CLI || path.join(os.homedir(), '.cache', 'plue-vscode', 'claude', 'node_modules', '.bin', 'claude');
  assert.ok(fs.existsSync(cli), `the claude CLI is needed (${cli}): run tests/support/install-claude.sh`);
  return cli;
}

/** What an agent's Bash call past its sandbox's proxy got: its own endpoint and another loopback server both out of reach. */
function assertOnlyItsEndpoint(output, endpoint, other) {
  const own = new URL(endpoint).port;
  assert.doesNotMatch(output, /other-server-answer/, output);
  assert.match(output, new RegExp(`Plue's sandbox denied 127\\.0\\.0\\.1:${other}`), output);
  for (const port of [own, other]) {
    assert.match(output, new RegExp(`direct ${port} failed`), output);
    assert.match(output, new RegExp(`raw ${port} failed`), output);
  }
}

test('the Claude Code CLI and an ACP agent reach their own endpoint through the proxy and nothing else: a Bash call they make reaches no other loopback server, nor theirs past the proxy', { skip, timeout: 300_000 }, async (t) => {
  const { acpInstance } = await import('../support/acpAgent.mjs');
  const dir = fs.realpathSync(scratch(t, 'plue-sandbox-agents-'));
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
  const probe = (endpoint) => `curl -sS -m 10 http://127.0.0.1:${other}/; echo; ${pastTheProxy(new URL(endpoint).port, other)}`;
  const texts = (message) => message.parts.filter((p) => p.kind === 'text').map((p) => p.text).join('');

  // The Claude Code CLI (the real one tests/support/install-claude.sh installs), its endpoint the workspace policy's only allowed host.
  const cliResults = [];
  const cliAnthropic = await bashingAnthropic(t, probe, cliResults);
  const cli = await s.request('instances/create', { displayName: 'Claude Code', catalogProviderId: 'claude-code', endpoint: cliAnthropic.endpoint,
    apiKey: 'loopback-anthropic-key-cli', cliPath: claudeCli() });
  const cliChat = await s.request('session/create', { instanceId: cli.id, modelId: 'claude-sonnet-4-5', allowUnlisted: true });
  const cliAnswer = await s.request('session/send', { sessionId: cliChat.id, text: 'Probe the network' });
  assert.equal(cliAnswer.status, 'complete', JSON.stringify(cliAnswer).slice(0, 1500));
  assert.match(texts(cliAnswer), /Ran it/, 'the CLI reached its own endpoint for the answer after the tool');
  assert.equal(cliResults.length, 1, JSON.stringify(cliAnswer).slice(0, 1500));
  assertOnlyItsEndpoint(cliResults[0], cliAnthropic.endpoint, other);

  // An ACP agent (Zed's Claude Code adapter), its endpoint the URL its own variables hold.
  const acpResults = [];
  const acpAnthropic = await bashingAnthropic(t, probe, acpResults);
  const agent = await acpInstance((m, p) => s.request(m, p), { endpoint: acpAnthropic.endpoint, dir });
  const acpChat = await s.request('session/create', { instanceId: agent.id, modelId: 'agent' });
  const acpAnswer = await s.request('session/send', { sessionId: acpChat.id, text: 'Probe the network' });
  assert.equal(acpAnswer.status, 'complete', acpAnswer.error);
  assert.match(texts(acpAnswer), /Ran it/, `the agent reached its own endpoint: ${JSON.stringify(acpAnswer).slice(0, 1500)}`);
  assert.equal(acpResults.length, 1, JSON.stringify(acpAnswer).slice(0, 1500));
  assertOnlyItsEndpoint(acpResults[0], acpAnthropic.endpoint, other);
});

test('an allow-list command, started through the bridge, gets its built environment and the proxy only, and it and what it started stop when the sidecar is killed', { skip, timeout: 120_000 }, async (t) => {
  const dir = fs.realpathSync(scratch(t, 'plue-sandbox-bridge-'));
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  const ticks = path.join(workspace, 'ticks');
  const seen = path.join(workspace, 'env.txt');
  // The command writes what it was given, then forks a writer and waits on it, as a build or a server would.
  const openai = await fakeOpenAI(t, ({ body }) => (body.includes('"tool"')
    ? { words: ['done'] }
    : { bash: `env > ${seen}; (while true; do echo tick >> ${ticks}; sleep 0.05; done) & wait` }));
  const s = startSidecar(t, { home: path.join(dir, 'home'), env: { PLUE_PROBE_SIDECAR_ONLY: 'the-sidecars-own-setting', NO_PROXY: 'example.test' } });
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  await s.request('codex/create', { templateId: 'sandbox-policy', title: 'Example only', fields: {
    filesystem: 'workspace-write', home: 'hidden', network: 'allow-list', allowed_hosts: ['example.test'], folders: [workspace] } });
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-sandbox-bridge-key' });
  await s.request('task/start', { templateId: 'task', prompt: 'work', providerRef: instance.id, modelId: 'gpt-sandbox',
    allowUnlisted: true, fields: { available_tools: ['bash'], auto_approve: ['bash'] } });
  await until(() => fs.existsSync(ticks) && fs.readFileSync(ticks, 'utf8').length > 20, 'the command writing', 30_000);

  const env = fs.readFileSync(seen, 'utf8');
  assert.match(env, /^HTTPS_PROXY=http:\/\/127\.0\.0\.1:\d+$/m, 'the bridge pointed the command at its listener');
  assert.match(env, /^TMPDIR=\/tmp$/m);
  assert.doesNotMatch(env, /PLUE_PROBE_SIDECAR_ONLY|the-sidecars-own-setting/, "the sidecar's own environment reached the command");
  assert.doesNotMatch(env, /^NO_PROXY=/m, 'loopback goes through the proxy too');
  await killedWithItsTree(s, ticks);
});

test("a task's view carries its sandbox policy and what the sandbox denied it, each once", { skip: skipOutside, timeout: 120_000 }, async (t) => {
  const { s, instance, outside } = await deniedSetUp(t, 'plue-sandbox-task-');
  const target = path.join(outside, 'task.txt');
  const task = await s.request('task/start', { templateId: 'task', prompt: `CHILD: echo a > ${target}; echo b > ${target}; echo tried`, providerRef: instance.id, modelId: 'gpt-sandbox',
    allowUnlisted: true, fields: { available_tools: ['bash'], auto_approve: ['bash'] } });
  await until(async () => (await s.request('task/get', { id: task.id })).status === 'completed', 'the task completes', 60_000);
  const view = await s.request('task/get', { id: task.id });
  assert.match(view.sandboxPolicy, /^Workspace write \(home hidden, no network\)$/);
  assert.deepEqual(view.sandboxDenials, [{ kind: 'path', what: target }]);
  assert.ok(!fs.existsSync(target));
});

test('a stdio MCP server runs once per distinct policy: a read-only chat\'s instance cannot write the workspace, a workspace-write chat\'s can', { skip, timeout: 180_000 }, async (t) => {
  const { descendants, procView } = await import('../faults/support/processes.mjs');
  const dir = scratch(t, 'plue-sandbox-mcp-');
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  const server = path.join(dir, 'policy-mcp.js');
  // At start it writes a file named after its process into the workspace, where its policy lets it.
  fs.writeFileSync(server, stdioMcpScript({ name: 'policy', callText: "'echoed'", prelude: `
const fs = require('node:fs');
try { fs.writeFileSync(process.env.WORKSPACE + '/mcp-' + process.pid + '.txt', 'x'); } catch (e) { process.stderr.write(e.code + '\\n'); }` }));
  const results = [];
  const openai = await fakeOpenAI(t, ({ body }) => {
    const last = JSON.parse(body).messages.at(-1);
    if (last.role !== 'tool') return { calls: [{ name: 'mcp__policy__echo', args: {} }] };
    results.push(JSON.stringify(last.content));
    return { words: ['done'] };
  });
  const s = startSidecar(t, { home: path.join(dir, 'home') });
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  s.connection.onRequest('permission/request', () => ({ decision: 'allow' }));
  await s.request('codex/create', { templateId: 'mcp-server', title: 'Policy', slug: 'policy', fields: { command: process.execPath, args: [server], env: [`WORKSPACE=${workspace}`] } });
  await s.request('codex/create', { templateId: 'chat-mode', title: 'Look only', slug: 'look-only', fields: { tools: ['read'], mcp_tools: ['mcp__policy'], sandbox_policy: 'sandbox-read-only' } });
  await s.request('codex/create', { templateId: 'chat-mode', title: 'Work', slug: 'work', fields: { tools: ['read'], mcp_tools: ['mcp__policy'], sandbox_policy: 'sandbox-workspace-write' } });
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-sandbox-mcp-key' });
  // bwrap's own processes and the sandbox's bridge (which watches the server) carry the command line too: the servers are the others.
  const servers = () => descendants(s.child.pid).map(procView).filter((p) => p.comm !== 'bwrap' && !p.comm.startsWith('plue-sandbox') && p.cmdline.toString().includes('policy-mcp.js'));
  const written = () => fs.readdirSync(workspace).filter((f) => f.startsWith('mcp-'));
  for (const mode of ['codex://modes/look-only', 'codex://modes/work', 'codex://modes/look-only']) {
    const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-sandbox', allowUnlisted: true });
    await s.request('session/setMode', { id: chat.id, mode });
    assert.equal((await s.request('session/send', { sessionId: chat.id, text: 'echo' })).status, 'complete');
    assert.match(results.at(-1) ?? '', /echoed/, `the MCP tool ran in ${mode}`);
  }
  assert.equal(servers().length, 2, 'one server under read-only, one under workspace-write, the second read-only chat sharing the first');
  assert.equal(written().length, 1, 'only the workspace-write instance wrote the workspace');
});

test("the command line's children run under the workspace's policy: plue ask's bash call writes its workspace and nothing else, and plue status says the sandbox is active", { skip, timeout: 180_000 }, async (t) => {
  const { plue } = (await import('node:module')).createRequire(import.meta.url)('./support/plue.js');
  const dir = fs.realpathSync(scratch(t, 'plue-sandbox-cli-'));
  const userHome = path.join(dir, 'user');
  const workspace = path.join(dir, 'ws');
  const home = path.join(dir, 'home');
  fs.mkdirSync(userHome);
  fs.mkdirSync(workspace);
  const probe = '/etc/plue-sandbox-cli-probe';
  t.after(() => fs.rmSync(probe, { force: true }));
  const results = [];
  const openai = await fakeOpenAI(t, bashScript(results));
  const vaultKey = Buffer.alloc(32, 7).toString('base64');
  // The instance and a grant that lets bash run unasked (plue ask has no terminal to ask on), made by a window's sidecar.
  const s = startSidecar(t, { home, env: { PLUE_VAULT_KEY: vaultKey } });
  await s.initialize({ vaultKey, workspaceFolders: [workspace], trusted: true });
  await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-sandbox-cli-key', defaultModel: 'gpt-sandbox' });
  await s.request('codex/create', { templateId: 'tool-grant', title: 'allow bash', fields: { scope: 'workspace', folders: [workspace], tool: 'bash', decision: 'allow' } });

  const env = { HOME: userHome, PLUE_VAULT_KEY: vaultKey };
  const run = await plue(['ask', `touch ~/cli-home; touch ${probe}; touch ${home}/cli-plue-home; cat ${home}/vault.bin; echo in > cli-inside.txt; echo ran`, '-i', 'Loopback', '--trust'],
    { home, cwd: workspace, env, vaultKey });
  assert.equal(run.code, 0, run.stderr);
  assert.match(results.at(-1) ?? '', /ran/, run.stdout);
  assert.equal(fs.readFileSync(path.join(workspace, 'cli-inside.txt'), 'utf8'), 'in\n', 'the workspace is writable');
  assert.ok(!fs.existsSync(path.join(userHome, 'cli-home')), 'the home is not written');
  assert.ok(!fs.existsSync(probe), '/etc is not written');
  assert.ok(!fs.existsSync(path.join(home, 'cli-plue-home')), 'the Plue home is not written');
  assert.match(results.at(-1), /plue-sandbox-cli-probe': Read-only file system/);
  assert.match(results.at(-1), /vault\.bin: No such file or directory/);

  const status = await plue(['status'], { home, cwd: workspace, env, vaultKey });
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /sandbox {4}active: Workspace write \(home hidden, no network\)/);
});

test("agent hooks run under their chat's or task's policy: a hook writes its workspace and nothing else, cannot read the vault, and writes nothing under a read-only task", { skip, timeout: 180_000 }, async (t) => {
  const dir = fs.realpathSync(scratch(t, 'plue-sandbox-hooks-'));
  const userHome = path.join(dir, 'user');
  const workspace = path.join(dir, 'ws');
  const home = path.join(dir, 'home');
  const probe = '/etc/plue-sandbox-hook-probe';
  t.after(() => fs.rmSync(probe, { force: true }));
  // The hook's script lies in the home, which the sandbox hides: the command names it, so it is shown to the hook.
  const script = path.join(userHome, '.claude', 'hooks', 'probe.sh');
  fs.mkdirSync(path.dirname(script), { recursive: true });
  fs.writeFileSync(script, `touch "$HOME/hook-home" 2>&1; touch ${probe} 2>&1; touch ${home}/hook-plue-home 2>&1; cat ${home}/vault.bin 2>&1 | head -c 300; echo; { echo in > hook-inside.txt; } 2>&1; echo HOOK-RAN\n`);
  fs.mkdirSync(path.join(workspace, '.claude'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.claude', 'settings.json'), JSON.stringify({
    hooks: { UserPromptSubmit: [{ hooks: [{ type: 'command', command: 'bash ~/.claude/hooks/probe.sh' }] }] } }));
  const openai = await fakeOpenAI(t, () => ({ words: ['ok'] }));
  const s = startSidecar(t, { home, env: { HOME: userHome } });
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  await s.request('vault/store', { ref: 'vault://sandbox/hook.TOKEN', value: 'loopback-sandbox-hook-vault-value' });
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-sandbox-hook-key' });
  /** What the hook printed, which the model was sent as context with the last request. */
  const context = () => {
    const user = JSON.parse(openai.requests.at(-1)?.body ?? '{"messages":[]}').messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
    return typeof user === 'string' ? user : user.map((c) => c.text ?? '').join('');
  };
  const inside = path.join(workspace, 'hook-inside.txt');

  // A chat, under the workspace's policy (workspace-write).
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-sandbox', allowUnlisted: true });
  assert.equal((await s.request('session/send', { sessionId: chat.id, text: 'hello' })).status, 'complete');
  assert.match(context(), /HOOK-RAN/, 'the hook ran, its script read from the hidden home');
  assert.equal(fs.readFileSync(inside, 'utf8'), 'in\n', 'the hook writes its workspace');
  assert.ok(!fs.existsSync(path.join(userHome, 'hook-home')), 'the home is not written');
  assert.ok(!fs.existsSync(probe), '/etc is not written');
  assert.ok(!fs.existsSync(path.join(home, 'hook-plue-home')), 'the Plue home is not written');
  assert.match(context(), /plue-sandbox-hook-probe': Read-only file system/);
  assert.match(context(), /vault\.bin: No such file or directory/);

  // A task under read-only: its hook writes nothing, the workspace included.
  fs.rmSync(inside);
  const task = await s.request('task/start', { templateId: 'task', prompt: 'nothing to do', providerRef: instance.id, modelId: 'gpt-sandbox',
    allowUnlisted: true, fields: { available_tools: [], sandbox_policy: 'sandbox-read-only' } });
  await until(async () => !['queued', 'running', 'waiting-approval'].includes((await s.request('task/get', { id: task.id })).status), 'the task ends', 60_000);
  assert.match(context(), /HOOK-RAN/);
  assert.ok(!fs.existsSync(inside), "the read-only task's hook did not write the workspace");
  assert.match(context(), /hook-inside\.txt: Read-only file system/);
});

test('Allow this once runs the call between its PreToolUse and PostToolUse hooks, as any call', { skip: skipOutside, timeout: 120_000 }, async (t) => {
  const { s, instance, outside, workspace } = await deniedSetUp(t, 'plue-sandbox-allow-hooks-');
  const pre = path.join(workspace, 'pre.jsonl');
  await s.request('codex/create', { templateId: 'agent-hook', title: 'Log calls', fields: { event: 'PreToolUse', matcher: 'Bash', command: `cat >> ${pre}; echo >> ${pre}`, timeout_seconds: 30 } });
  await s.request('codex/create', { templateId: 'agent-hook', title: 'Say after', fields: { event: 'PostToolUse', matcher: 'Bash', command: 'echo POST-HOOK-SAYS >&2; exit 2', timeout_seconds: 30 } });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-sandbox', allowUnlisted: true });
  await s.request('codex/update', { id: chat.id, version: chat.version, fields: { available_tools: ['bash'] } });
  const target = path.join(outside, 'hooked.txt');
  assert.equal((await s.request('session/send', { sessionId: chat.id, text: `echo 1 > ${target}` })).status, 'complete');
  const { messages } = await s.request('session/messages', { id: chat.id });
  const denied = messages.flatMap((m) => m.parts).filter((p) => p.kind === 'tool_result').at(-1);
  assert.deepEqual(denied.sandboxDenials, [{ kind: 'path', what: target }]);
  const calls = () => fs.readFileSync(pre, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line).tool_input.command);
  assert.deepEqual(calls(), [`echo 1 > ${target}`]);

  const once = await s.request('sandbox/allowOnce', { id: chat.id, partId: denied.id });
  assert.equal(fs.readFileSync(target, 'utf8'), '1\n', 'allowed once, the call wrote');
  assert.deepEqual(calls(), [`echo 1 > ${target}`, `echo 1 > ${target}`], 'PreToolUse ran before the call run again');
  assert.match(once.output, /\[A PostToolUse hook says: POST-HOOK-SAYS\]/, 'PostToolUse ran after it');
});

test('a bubblewrap that cannot make a sandbox here (user namespaces turned off) is said in the status with what to do, and bash still runs instead of every call failing', { skip: process.platform !== 'linux' && 'the sandbox is Linux-only (bubblewrap)', timeout: 120_000 }, async (t) => {
  const dir = fs.realpathSync(scratch(t, 'plue-sandbox-broken-'));
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  // What bwrap prints where unprivileged user namespaces are refused (Ubuntu 24.04's AppArmor default).
  const broken = path.join(dir, 'bwrap');
  fs.writeFileSync(broken, "#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n", { mode: 0o755 });
  const results = [];
  const openai = await fakeOpenAI(t, bashScript(results));
  const s = startSidecar(t, { home: path.join(dir, 'home'), env: { PLUE_BWRAP: broken } });
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  s.connection.onRequest('permission/request', () => ({ decision: 'allow' }));
  const { sandbox } = await s.request('plue/status', {});
  assert.equal(sandbox.active, false, 'a sandbox that cannot start is not called active');
  assert.match(sandbox.reason, /^bubblewrap cannot make a sandbox on this machine \(bwrap: setting up uid map: Permission denied\), so commands the agent runs are not sandboxed: allow unprivileged user namespaces/);
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-sandbox-broken-key' });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-sandbox', allowUnlisted: true });
  await s.request('codex/update', { id: chat.id, version: chat.version, fields: { available_tools: ['bash'] } });
  assert.equal((await s.request('session/send', { sessionId: chat.id, text: 'echo ran-without-the-sandbox' })).status, 'complete');
  assert.match(results.at(-1) ?? '', /ran-without-the-sandbox/, 'the command ran rather than failing in a sandbox that cannot start');
});

/** The model calls `search` for the user's text. */
function searchScript(results) {
  return toolScript(results, (pattern) => ({ calls: [{ name: 'search', args: { pattern } }] }));
}

test("the search tool's ripgrep runs in the chat's sandbox: a Plue home inside the workspace stays hidden from it, the workspace's files are found", { skip, timeout: 120_000 }, async (t) => {
  const dir = scratch(t, 'plue-sandbox-rg-');
  const workspace = path.join(dir, 'ws');
  // The Plue home inside the workspace, under a name ripgrep does not skip as hidden.
  const home = path.join(workspace, 'plue-home');
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'a.txt'), 'needle-in-workspace\n');
  const results = [];
  const openai = await fakeOpenAI(t, searchScript(results));
  const s = startSidecar(t, { home, env: { HOME: path.join(dir, 'user') } });
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  fs.writeFileSync(path.join(home, 'notes.txt'), 'needle-in-plue-home\n');
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-sandbox-rg-key' });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-sandbox', allowUnlisted: true });
  await s.request('codex/update', { id: chat.id, version: chat.version, fields: { available_tools: ['search'] } });
  assert.equal((await s.request('session/send', { sessionId: chat.id, text: 'needle-in' })).status, 'complete');
  assert.match(results.at(-1), /a\.txt:1:needle-in-workspace/, 'the workspace is searched');
  assert.doesNotMatch(results.at(-1), /needle-in-plue-home/, 'the Plue home is not');
});

test("the sidecar's git for a task's worktree runs in the task's sandbox: a filter driver it runs cannot write outside the task's places, and its changes still come back", { skip, timeout: 180_000 }, async (t) => {
  const dir = scratch(t, 'plue-sandbox-taskgit-');
  const workspace = path.join(dir, 'ws');
  const userHome = path.join(dir, 'user');
  committedRepository(workspace);
  fs.writeFileSync(path.join(workspace, '.gitattributes'), '* filter=probe\n');
  git(workspace, 'add', '--all');
  git(workspace, '-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '--quiet', '-m', 'attributes');
  // A driver in the user's global config (as git-lfs is), kept by the sidecar's git: it leaves a mark where it ran.
  const marker = path.join(dir, 'filter-ran');
  fs.mkdirSync(userHome);
  fs.writeFileSync(path.join(userHome, '.gitconfig'), `[filter "probe"]\n\tclean = "touch ${marker}; cat"\n\tsmudge = "touch ${marker}; cat"\n`);
  const openai = await fakeOpenAI(t, ({ body }) => JSON.parse(body).messages.at(-1).role === 'tool' ? { words: ['done'] }
    : { calls: [{ name: 'write', args: { path: 'b.txt', content: 'b\n' } }] });
  const s = startSidecar(t, { home: path.join(dir, 'home'), env: { HOME: userHome } });
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-sandbox-taskgit-key' });
  const writer = async (policy) => {
    const task = await s.request('task/start', { templateId: 'task', prompt: 'write b', providerRef: instance.id, modelId: 'gpt-sandbox', allowUnlisted: true,
      fields: { available_tools: ['write'], auto_approve: ['write'], isolation: 'worktree', sandbox_policy: policy } });
    await until(async () => (await s.request('task/get', { id: task.id })).status === 'completed', 'the task completes', 60_000);
    const review = await s.request('task/changes', { id: task.id });
    assert.match(review.patch, /^\+b$/m, 'its changes come back');
    return task;
  };

  await writer('sandbox-workspace-write');
  assert.ok(!fs.existsSync(marker), 'the driver ran in the sandbox: nothing outside the task\'s places was written');
  // The same task unconfined: the driver does run and write (the check above can fail).
  await writer('sandbox-off');
  assert.ok(fs.existsSync(marker), 'unconfined, the driver writes where it likes');
});
