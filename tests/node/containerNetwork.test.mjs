// A task's container gets the network its sandbox policy allows (docs/CONTAINERS.md, "The network"), on a real Docker
// engine (tests/support/docker-engine.mjs: Debian's dockerd, a tiny static-busybox image), through the real sidecar
// and a loopback OpenAI server: under an allow-list busybox `wget` inside reaches a loopback server on the list through
// the sidecar's proxy and is refused another, a denial on the call's card that Allow this once lets through; under
// none nothing gets out; under open network the container has the engine's own network.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { committedRepository, fakeOpenAI, scratch, startSidecar, until } from '../faults/support/processes.mjs';
import { inspectWhileAlive, tinyImage, useDockerEngine } from '../support/docker-engine.mjs';

const skip = process.env.PLUE_TEST_DOCKER_HOST ? false
  : process.platform !== 'linux' || !['/usr/sbin/dockerd', '/usr/bin/dockerd'].some((p) => fs.existsSync(p)) ? 'no Docker engine: install Debian\'s docker.io (bash scripts/install-tools.sh test) or set PLUE_TEST_DOCKER_HOST'
    : process.getuid?.() !== 0 ? 'a private dockerd needs root: run as root, or set PLUE_TEST_DOCKER_HOST' : false;

const providerKey = 'sk-loopback-container-network-0123456789';
const vaultKey = Buffer.alloc(32, 5).toString('base64');

let engine;
test.before(async () => { if (!skip) engine = await useDockerEngine(); });
test.after(async () => { await engine?.stop(); });

/** A loopback HTTP server answering `text`, counting the requests it got. */
async function answering(t, text) {
  const server = http.createServer((req, res) => { server.hits += 1; res.end(text); });
  server.hits = 0;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  return server;
}

/** Every container of a task, inspected while it lives: `of(taskId)` gives their configurations. */
function inspectAll(t) {
  const seen = inspectWhileAlive(t, engine.socket);
  return { of: (taskId) => [...seen.values()].filter((body) => JSON.parse(body).Config.Labels['plue.task'] === taskId) };
}

/** A workspace, a sidecar, the test engine, a loopback provider and (when `policy` is given) the workspace's sandbox policy. */
async function start(t, script, policy) {
  const dir = fs.realpathSync(scratch(t, 'plue-container-net-'));
  const workspace = path.join(dir, 'ws');
  committedRepository(workspace);
  const openai = await fakeOpenAI(t, script);
  const s = startSidecar(t, { home: path.join(dir, 'home') });
  await s.initialize({ vaultKey, workspaceFolders: [workspace], trusted: true });
  s.connection.onRequest('permission/request', () => ({ decision: 'allow' }));
  await s.request('codex/create', { templateId: 'docker-engine', title: 'Test engine', fields: { connection: 'host', host: engine.host } });
  if (policy) await s.request('codex/create', { templateId: 'sandbox-policy', title: 'Net policy', fields: { filesystem: 'workspace-write', home: 'hidden', ...policy, folders: [workspace] } });
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: providerKey });
  const run = (prompt) => s.request('task/start', { templateId: 'task-code-writer', prompt, providerRef: instance.id, modelId: 'gpt-5-mini',
    fields: { runs: 'container', engine: 'Test engine', image: tinyImage, isolation: 'shared', auto_approve: ['bash'] } });
  return { s, workspace, run };
}

const toolResults = async (s, id) => (await s.request('task/messages', { id })).messages.flatMap((m) => m.parts).filter((p) => p.kind === 'tool_result');

/** The bash calls the model makes, one per answer, then "done"; what each call returned is kept in `seen`. */
function calls(commands, seen) {
  return ({ body }) => {
    const tools = JSON.parse(body).messages.filter((m) => m.role === 'tool').map((m) => JSON.stringify(m.content));
    seen.splice(0, seen.length, ...tools);
    return tools.length < commands.length ? { bash: commands[tools.length] } : { words: ['done'] };
  };
}

function assertNoKey(body) {
  assert.ok(!body.includes(providerKey), 'the container holds the provider key');
  assert.ok(!body.includes(vaultKey), 'the container holds the vault key');
}

test('item 3 (network, allow-list): wget inside reaches the allowed loopback server through the sidecar\'s proxy; another host is refused, a denial on the call\'s card that Allow this once lets through', { skip, timeout: 240_000 }, async (t) => {
  const allowed = await answering(t, 'ALLOWED-BODY');
  const other = await answering(t, 'OTHER-BODY');
  const seen = [];
  // Debian's busybox 1.35 wget crashes when given -T with a proxy: timeout bounds it instead.
  const fetchBoth = `env | grep -i '^http_proxy='; timeout 10 wget -q -O - http://127.0.0.1:${allowed.address().port}/; echo; `
    + `timeout 10 wget -q -O - http://127.0.0.1:${other.address().port}/ || echo OTHER-REFUSED`;
  const { s, workspace, run } = await start(t, calls([fetchBoth, 'echo waiting; while [ ! -f go ]; do sleep 0.2; done; echo went'], seen),
    { network: 'allow-list', allowed_hosts: [`127.0.0.1:${allowed.address().port}`] });
  const inspected = inspectAll(t);
  const task = await run('FETCH');
  const host = `127.0.0.1:${other.address().port}`;
  let results = [];
  const denied = await until(async () => (results = await toolResults(s, task.id)).find((p) => p.sandboxDenials), 'the first call\'s card', 90_000,
    () => JSON.stringify(results));

  assert.match(denied.output, /^http_proxy=http:\/\/127\.0\.0\.1:\d+$/m, 'the bridge pointed the command at its listener');
  assert.match(denied.output, /ALLOWED-BODY/, 'the allowed server answered through the proxy');
  assert.doesNotMatch(denied.output, /OTHER-BODY/);
  assert.match(denied.output, /OTHER-REFUSED/);
  assert.deepEqual(denied.sandboxDenials, [{ kind: 'host', what: host }]);
  assert.match(denied.sandboxPolicy, /^Net policy \(home hidden, hosts 127\.0\.0\.1:\d+\)$/);
  assert.match(denied.output, new RegExp(`The sandbox \\(Net policy .*\\) denied: connecting to ${host.replace(/\./g, '\\.')}\\. Do not work around it`));
  assert.equal(allowed.hits, 1);
  assert.equal(other.hits, 0, 'the refused host got nothing');
  const view = await s.request('task/get', { id: task.id });
  assert.equal(view.container.network, 'allow-list');

  // Allow this once runs the call again in the same container, the refused host allowed for that run only.
  const again = await s.request('sandbox/allowOnce', { id: task.id, partId: denied.id });
  assert.match(again.output, /ALLOWED-BODY/);
  assert.match(again.output, /OTHER-BODY/, again.output);
  assert.deepEqual(again.denials, []);
  assert.equal(other.hits, 1);

  fs.writeFileSync(path.join(workspace, 'go'), '');
  await until(async () => (await s.request('task/get', { id: task.id })).status === 'completed', 'the task completes', 60_000);
  assert.match(seen[1], /went/);

  const bodies = inspected.of(task.id);
  assert.equal(bodies.length, 1);
  assertNoKey(bodies[0]);
  const config = JSON.parse(bodies[0]);
  assert.equal(config.HostConfig.NetworkMode, 'none', 'no network but the proxy');
  const mounts = Object.fromEntries(config.Mounts.map((m) => [m.Destination, m]));
  assert.equal(mounts['/tmp/.plue-proxy']?.RW, false, 'the proxies\' folder is bound in read-only');
  assert.equal(mounts['/tmp/.plue-bridge']?.RW, false, 'the bridge is bound in read-only');
  assert.match(mounts['/tmp/.plue-proxy'].Source, /\/plue-cnet-[0-9a-f]+$/);
  assert.deepEqual(Object.keys(mounts).sort(), ['/tmp/.plue-bridge', '/tmp/.plue-proxy', workspace].sort(), 'nothing else of this machine is bound in');
  await until(() => !fs.existsSync(mounts['/tmp/.plue-proxy'].Source), 'the proxies\' folder goes with the container', 10_000);
});

test('item 3 (network, none): with a policy of no network nothing gets out, and no proxy is bound in', { skip, timeout: 180_000 }, async (t) => {
  const server = await answering(t, 'SHOULD-NOT-REACH');
  const seen = [];
  const probe = `wget -q -T 3 -O - http://127.0.0.1:${server.address().port}/ || echo NO-NETWORK; `
    + `http_proxy=http://127.0.0.1:${server.address().port} wget -q -T 3 -O - http://example.test/ || echo NO-PROXY; env | grep -ci proxy; ls -a /tmp`;
  const { s, run } = await start(t, calls([probe], seen));
  const inspected = inspectAll(t);
  const task = await run('NONE');
  await until(async () => (await s.request('task/get', { id: task.id })).status === 'completed', 'the task completes', 90_000);
  assert.match(seen[0], /NO-NETWORK/);
  assert.match(seen[0], /NO-PROXY/);
  assert.match(seen[0], /\\n0\\n/, 'no proxy variable is set');
  assert.doesNotMatch(seen[0], /SHOULD-NOT-REACH|plue-proxy|plue-bridge/);
  assert.equal(server.hits, 0);
  assert.equal((await toolResults(s, task.id)).find((p) => p.sandboxDenials), undefined, 'nothing to allow: the network is none');
  assert.equal((await s.request('task/get', { id: task.id })).container.network, 'none');
  const [body] = inspected.of(task.id);
  assertNoKey(body);
  const config = JSON.parse(body);
  assert.equal(config.HostConfig.NetworkMode, 'none');
  assert.deepEqual(config.Mounts.map((m) => m.Destination), [config.Config.WorkingDir], 'only the task\'s folder is bound in');
});

test('item 3 (network, open): a policy with open network gives the container the engine\'s own network, and no proxy', { skip, timeout: 180_000 }, async (t) => {
  const seen = [];
  const { s, run } = await start(t, calls(['echo ran; env | grep -ci proxy'], seen), { filesystem: 'off', home: 'read-only', network: 'open' });
  const inspected = inspectAll(t);
  const task = await run('OPEN');
  await until(async () => (await s.request('task/get', { id: task.id })).status === 'completed', 'the task completes', 90_000);
  assert.match(seen[0], /ran\\n0\\n/);
  assert.equal((await s.request('task/get', { id: task.id })).container.network, 'engine');
  const [body] = inspected.of(task.id);
  assertNoKey(body);
  const config = JSON.parse(body);
  assert.equal(config.HostConfig.NetworkMode, 'default');
  assert.deepEqual(config.Mounts.map((m) => m.Destination), [config.Config.WorkingDir]);
});

test('item 4: a command inside that runs past the engine\'s 2 s output grace gives all its output and its own exit code', { skip, timeout: 180_000 }, async (t) => {
  const seen = [];
  const { s, run } = await start(t, calls(['echo early; sleep 3; echo late; exit 3'], seen));
  const task = await run('LONG');
  await until(async () => (await s.request('task/get', { id: task.id })).status === 'completed', 'the task completes', 90_000);
  assert.match(seen[0], /early\\nlate\\n\[exit code 3\]/);
});
