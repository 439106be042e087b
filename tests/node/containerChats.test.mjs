// A chat whose sandbox policy says "container" (docs/SANDBOX.md, docs/CONTAINERS.md): its bash runs in a container of
// the chat's on a real Docker engine (tests/support/docker-engine.mjs), through the real sidecar and a loopback OpenAI
// server. Issue 71, item 7: isolation on every OS.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fakeOpenAI, scratch, startSidecar, until } from '../faults/support/processes.mjs';
import { engineRequest, tinyImage, useDockerEngine } from '../support/docker-engine.mjs';

const skip = process.env.PLUE_TEST_DOCKER_HOST ? false
  : process.platform !== 'linux' || !['/usr/sbin/dockerd', '/usr/bin/dockerd'].some((p) => fs.existsSync(p)) ? 'no Docker engine: install Debian\'s docker.io (bash scripts/install-tools.sh test) or set PLUE_TEST_DOCKER_HOST'
    : process.getuid?.() !== 0 ? 'a private dockerd needs root: run as root, or set PLUE_TEST_DOCKER_HOST' : false;

const providerKey = 'sk-loopback-chat-container-0123456789';
const vaultKey = Buffer.alloc(32, 11).toString('base64');

let engine;
test.before(async () => { if (!skip) engine = await useDockerEngine(); });
test.after(async () => { await engine?.stop(); });

/** The containers of one chat (the engine is shared by the tests of this file). */
async function chatContainers(chatId) {
  const filters = encodeURIComponent(JSON.stringify({ label: [`plue.chat=${chatId}`] }));
  return JSON.parse((await engineRequest(engine.socket, 'GET', `/containers/json?all=1&filters=${filters}`)).body);
}

/** What the model was told of each command, as it read it. */
const toolOutputs = [];

/** Every command the model asks for is one bash call; the answer after it ends the turn. */
function bashEach(command) {
  return ({ body }) => {
    const messages = JSON.parse(body).messages;
    if (messages.at(-1).role !== 'tool') return { bash: command(messages) };
    toolOutputs.push(JSON.stringify(messages.at(-1).content));
    return { words: ['done'] };
  };
}

async function start(t, { dir = fs.realpathSync(scratch(t, 'plue-chat-container-')), env = {}, command, local = false, files = {} } = {}) {
  const workspace = path.join(dir, 'ws');
  const home = path.join(dir, 'home');
  fs.mkdirSync(workspace, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
    fs.writeFileSync(path.join(workspace, name), text);
  }
  // The container runs as the folder's owner, never root: as root here, the workspace is given to uid 1000.
  if (process.getuid?.() === 0) fs.chownSync(workspace, 1000, 1000);
  const openai = await fakeOpenAI(t, bashEach(command ?? (() => 'true')));
  const s = startSidecar(t, { home, env });
  await s.initialize({ vaultKey, workspaceFolders: [workspace], trusted: true });
  s.connection.onRequest('permission/request', () => ({ decision: 'allow' }));
  await s.request('codex/create', { templateId: 'docker-engine', title: 'Test engine', fields: { connection: 'host', host: engine.host } });
  // The workspace's policy: its chats' commands run in a container on the test engine.
  if (!local) await s.request('codex/create', { templateId: 'sandbox-container', title: 'In a container', fields: { engine: 'Test engine', image: tinyImage, folders: [workspace] } });
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: providerKey });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-5-mini', allowUnlisted: true });
  const record = await s.request('codex/get', { id: chat.id });
  await s.request('codex/update', { id: chat.id, version: record.version, fields: { available_tools: ['bash'] } });
  return { dir, workspace, home, s, chat };
}

async function lastResult(s, chat, text) {
  const answer = await s.request('session/send', { sessionId: chat.id, text });
  assert.equal(answer.status, 'complete');
  const { messages } = await s.request('session/messages', { id: chat.id });
  return messages.flatMap((m) => m.parts).filter((p) => p.kind === 'tool_result').at(-1);
}

const inside = (home) => 'echo HOST=$(hostname); echo UID=$(id -u); echo written > from-container.txt; '
  + `ls ${home} >/dev/null 2>&1 && echo SEES-HOME; wget -q -T 2 -O - http://127.0.0.1:1/ >/dev/null 2>&1 || echo NO-NETWORK`;

test('item 7: a chat whose policy is container runs bash inside a container of its own (its hostname, not root, no Plue home, no network), its file lands in the workspace, no key in docker inspect, and deleting the chat removes it', { skip, timeout: 240_000 }, async (t) => {
  let home;
  const { s, chat, workspace, home: h } = await start(t, { command: () => inside(home) });
  home = h;
  const result = await lastResult(s, chat, 'run it');
  assert.equal(result.isError ?? false, false, result.output);
  const host = /HOST=(\S+)/.exec(result.output)?.[1];
  assert.ok(host && host !== os.hostname(), `ran inside: ${result.output}`);
  assert.match(result.output, /UID=(\d+)/);
  assert.notEqual(/UID=(\d+)/.exec(result.output)[1], '0', 'not root');
  assert.doesNotMatch(result.output, /SEES-HOME/, 'the Plue home is not in the container');
  assert.match(result.output, /NO-NETWORK/);
  assert.equal(result.unconfined, undefined, 'a container isolates: no unconfined card');
  assert.equal(fs.readFileSync(path.join(workspace, 'from-container.txt'), 'utf8'), 'written\n', 'the file it wrote is in the workspace');

  const [container] = await chatContainers(chat.id);
  assert.equal(container.Labels['plue.chat'], chat.id);
  assert.equal(container.Id.slice(0, 12), host, 'its hostname is the chat\'s container');
  const inspect = (await engineRequest(engine.socket, 'GET', `/containers/${container.Id}/json`)).body;
  assert.ok(!inspect.includes(providerKey) && !inspect.includes(vaultKey), 'no key in docker inspect');
  const config = JSON.parse(inspect);
  assert.deepEqual([config.HostConfig.NetworkMode, config.HostConfig.ReadonlyRootfs, config.HostConfig.CapDrop], ['none', true, ['ALL']]);
  assert.deepEqual(config.Config.Env.filter((e) => !/^(PATH|HOME|LANG|TERM)=/.test(e)), []);

  const again = await lastResult(s, chat, 'again');
  assert.match(again.output, new RegExp(`HOST=${host}`), 'the chat keeps its one container');
  assert.equal((await chatContainers(chat.id)).length, 1);

  const deletedAt = performance.now();
  await s.request('session/delete', { id: chat.id });
  assert.deepEqual(await chatContainers(chat.id), [], 'deleting the chat removed its container');
  t.diagnostic(`removed with the chat in ${Math.round(performance.now() - deletedAt)} ms`);
});

test('item 7: archiving a chat removes its container', { skip, timeout: 180_000 }, async (t) => {
  const { s, chat } = await start(t, { command: () => 'hostname' });
  await lastResult(s, chat, 'one');
  assert.equal((await chatContainers(chat.id)).length, 1);
  await s.request('session/archive', { id: chat.id, archived: true });
  assert.deepEqual(await chatContainers(chat.id), []);
});

test('item 7: a killed sidecar\'s chat container is swept at the next start', { skip, timeout: 180_000 }, async (t) => {
  const dir = fs.realpathSync(scratch(t, 'plue-chat-container-sweep-'));
  const first = await start(t, { dir, command: () => 'hostname' });
  await lastResult(first.s, first.chat, 'one');
  assert.equal((await chatContainers(first.chat.id)).length, 1);
  await first.s.kill9();
  assert.equal((await chatContainers(first.chat.id)).length, 1, 'the killed sidecar left its chat\'s container');
  const second = startSidecar(t, { home: first.home });
  await second.initialize({ vaultKey, workspaceFolders: [first.workspace], trusted: true });
  await until(async () => (await chatContainers(first.chat.id)).length === 0, 'the next sidecar sweeps the container', 30_000);
});

test('item 7: where no sandbox can run (the Windows platform), the container policy still isolates', { skip, timeout: 180_000 }, async (t) => {
  let home;
  const { s, chat, workspace, home: h } = await start(t, { env: { PLUE_SANDBOX_PLATFORM: 'windows' }, command: () => inside(home) });
  home = h;
  const modes = await s.request('session/modes', {});
  assert.ok(modes.length > 0 && modes.every((m) => /^Container \(in a container on Test engine, workspace writable, no network\)$/.test(m.sandboxPolicy)), JSON.stringify(modes.map((m) => m.sandboxPolicy)));
  const result = await lastResult(s, chat, 'run it');
  assert.equal(result.unconfined, undefined, 'no unconfined card: the command ran in the container');
  assert.notEqual(/HOST=(\S+)/.exec(result.output)?.[1], os.hostname());
  assert.doesNotMatch(result.output, /SEES-HOME/);
  assert.match(result.output, /NO-NETWORK/);
  assert.ok(fs.existsSync(path.join(workspace, 'from-container.txt')));
  await s.request('session/delete', { id: chat.id });
});

test('item 7: where a command ran without a sandbox and an engine is known, its card offers the Container policy', { skip, timeout: 120_000 }, async (t) => {
  const { s, chat } = await start(t, { env: { PLUE_SANDBOX_PLATFORM: 'windows' }, local: true, command: () => 'echo here' });
  const result = await lastResult(s, chat, 'run it');
  assert.match(result.unconfined ?? '', /^Windows has no sandbox/);
  assert.equal(result.unconfinedContainer, 'For isolation here, choose the Container sandbox policy (for a mode, or as this workspace\'s): commands then run in a container on Test engine, the workspace mounted in, no network, nothing of your home.');
});

test('item 7: a task whose sandbox policy is container runs as runs: container does', { skip, timeout: 180_000 }, async (t) => {
  const { s } = await start(t, { local: true, command: () => 'echo HOST=$(hostname); echo UID=$(id -u)' });
  // The user's edit of the shipped Container policy: this engine and image.
  await s.request('codex/create', { templateId: 'sandbox-container', title: 'Container', fields: { engine: 'Test engine', image: tinyImage } });
  const [instance] = (await s.request('instances/list', {})).filter((i) => i.displayName === 'Loopback');
  const task = await s.request('task/start', { templateId: 'task', prompt: 'run it', providerRef: instance.id, modelId: 'gpt-5-mini', allowUnlisted: true,
    fields: { available_tools: ['bash'], auto_approve: ['bash'], sandbox_policy: 'sandbox-container' } });
  await until(async () => ['completed', 'failed'].includes((await s.request('task/get', { id: task.id })).status), 'the task ends', 150_000);
  const done = await s.request('task/get', { id: task.id });
  assert.equal(done.status, 'completed', done.statusReason);
  assert.equal(done.container?.engine, 'Test engine');
  const output = toolOutputs.at(-1) ?? '';
  assert.match(output, /HOST=\w+/, 'the command ran');
  assert.match(output, /UID=\d+/);
  assert.notEqual(/HOST=(\S+)/.exec(output)?.[1], os.hostname(), output);
  assert.notEqual(/UID=(\d+)/.exec(output)?.[1], '0');
});

test('item 7: a chat whose policy is container runs its hooks\' commands in its container too: a PreToolUse hook there blocks the call with what it saw', { skip, timeout: 240_000 }, async (t) => {
  const hooks = { hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'echo "HOOK HOST=$(hostname) HOME=$HOME KEYS=$(env | grep -c -e sk-loopback -e PLUE_)" >&2; exit 2' }] }] } };
  const { s, chat, workspace } = await start(t, { command: () => 'echo SHOULD-NOT-RUN > ran.txt', files: { '.claude/settings.json': JSON.stringify(hooks) } });
  const result = await lastResult(s, chat, 'run it');
  assert.match(result.output, /A PreToolUse hook blocked this call: HOOK HOST=(\S+) HOME=\/tmp KEYS=0/, result.output);
  const host = /HOST=(\S+)/.exec(result.output)[1];
  assert.notEqual(host, os.hostname(), 'the hook ran in the chat\'s container, not here');
  assert.equal((await chatContainers(chat.id)).length, 1, 'the hook made the chat\'s container');
  assert.equal(fs.existsSync(path.join(workspace, 'ran.txt')), false, 'the blocked command did not run');
});
