// "Open a Terminal in the Container" through the real sidecar (vscode-jsonrpc) against a real Docker engine
// (tests/support/docker-engine.mjs): the test makes a container labelled as a task's (plue.task=<id>) through the
// Engine API and a task record whose engine names the test's engine; engines/openTerminal opens a shell in it, what
// is typed comes back, a resize reaches the terminal, close ends it; a stopped container closes the terminal; a task
// with no running container, or a missing engine, is refused in the user's words.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { containerIds, engineRequest, useDockerEngine } from '../support/docker-engine.mjs';

const require = createRequire(import.meta.url);
const { startSidecar } = require('./support/sidecar');

const skip = process.env.PLUE_TEST_DOCKER_HOST ? false
  : process.platform !== 'linux' || !['/usr/sbin/dockerd', '/usr/bin/dockerd'].some((p) => fs.existsSync(p)) ? 'no Docker engine: install Debian\'s docker.io (bash scripts/install-tools.sh test) or set PLUE_TEST_DOCKER_HOST'
    : process.getuid?.() !== 0 ? 'a private dockerd needs root: run as root, or set PLUE_TEST_DOCKER_HOST' : false;

let engine;
test.before(async () => { if (!skip) engine = await useDockerEngine(); });
test.after(async () => { await engine?.stop(); });

/** A running container labelled as task `taskId`'s, as the task runner makes them; resolves its id. */
async function taskContainer(taskId, { start = true } = {}) {
  const created = await engineRequest(engine.socket, 'POST', '/containers/create', {
    Image: engine.image, Cmd: ['sleep', '600'], Labels: { 'plue.task': taskId, 'plue.tree': taskId, 'plue.home': 'test' },
    HostConfig: { NetworkMode: 'none' },
  });
  assert.equal(created.status, 201, created.body);
  const { Id } = JSON.parse(created.body);
  if (start) assert.equal((await engineRequest(engine.socket, 'POST', `/containers/${Id}/start`)).status, 204);
  return Id;
}

const remove = (id) => engineRequest(engine.socket, 'DELETE', `/containers/${id}?force=true`);

async function setUp(t) {
  const sidecar = startSidecar();
  t.after(() => sidecar.stop());
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-terminal-ws-'));
  t.after(() => fs.rmSync(workspace, { recursive: true, force: true }));
  await sidecar.initialize({ workspaceFolders: [workspace] });
  await sidecar.connection.sendRequest('codex/create', { templateId: 'docker-engine', title: 'Test engine', fields: { connection: 'host', host: engine.host } });
  const output = new Map();
  const closed = new Map();
  sidecar.connection.onNotification('engines/terminalOutput', ({ terminalId, data }) => output.set(terminalId, (output.get(terminalId) ?? '') + data));
  sidecar.connection.onNotification('engines/terminalClosed', (p) => closed.set(p.terminalId, p));
  const task = (fields) => sidecar.connection.sendRequest('codex/create', { templateId: 'task', title: 'Boxed task', fields: { goal: 'Count the files', ...fields } });
  return { sidecar, output, closed, task };
}

async function until(check, what, ms = 20_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('item 6: engines/openTerminal: a shell in the task\'s container echoes what is typed, takes a new size and closes', { skip }, async (t) => {
  const { sidecar, output, closed, task } = await setUp(t);
  const record = await task({ runs: 'container', engine: 'Test engine' });
  const container = await taskContainer(record.id);
  t.after(() => remove(container));
  const rpc = (method, params) => sidecar.connection.sendRequest(method, params);

  const opened = await rpc('engines/openTerminal', { taskId: record.id, cols: 80, rows: 24 });
  assert.equal(opened.engine, 'Test engine');
  assert.equal(opened.shortId, container.slice(0, 12));
  const seen = () => output.get(opened.terminalId) ?? '';

  assert.deepEqual(await rpc('engines/writeTerminal', { terminalId: opened.terminalId, data: 'echo hi-$((40+2))\r' }), { terminalId: opened.terminalId, open: true });
  await until(() => /hi-42/.test(seen()), `the shell's answer (so far: ${JSON.stringify(seen())})`);

  // The terminal takes its new size: the shell inside sees it.
  assert.equal((await rpc('engines/resizeTerminal', { terminalId: opened.terminalId, cols: 101, rows: 33 })).open, true);
  await rpc('engines/writeTerminal', { terminalId: opened.terminalId, data: 'stty size\r' });
  await until(() => /33 101/.test(seen()), `the new size (so far: ${JSON.stringify(seen())})`);

  assert.deepEqual(await rpc('engines/closeTerminal', { terminalId: opened.terminalId }), { terminalId: opened.terminalId, open: false });
  assert.equal((await rpc('engines/writeTerminal', { terminalId: opened.terminalId, data: 'echo late\r' })).open, false, 'a closed terminal takes no input');
  // The shell ended with its connection: no exec of it is left running in the container.
  await until(async () => {
    const inspected = JSON.parse((await engineRequest(engine.socket, 'GET', `/containers/${container}/json`)).body);
    const running = await Promise.all((inspected.ExecIDs ?? []).map(async (id) => JSON.parse((await engineRequest(engine.socket, 'GET', `/exec/${id}/json`)).body).Running));
    return !running.includes(true);
  }, 'the shell to end');
  assert.equal(closed.has(opened.terminalId), false, 'a terminal the user closed is not told closed again');
});

test('item 6: engines/openTerminal: the terminal closes when the container goes away', { skip }, async (t) => {
  const { sidecar, output, closed, task } = await setUp(t);
  const record = await task({ runs: 'container', engine: 'test engine' });  // a name in any case
  const container = await taskContainer(record.id);
  const opened = await sidecar.connection.sendRequest('engines/openTerminal', { taskId: record.id, cols: 80, rows: 24 });
  await sidecar.connection.sendRequest('engines/writeTerminal', { terminalId: opened.terminalId, data: 'echo ready\r' });
  await until(() => /ready/.test(output.get(opened.terminalId) ?? ''), 'the shell to answer');

  await remove(container);
  await until(() => closed.has(opened.terminalId), 'the terminal to close');
  const told = closed.get(opened.terminalId);
  assert.ok(told.reason || told.exitCode !== undefined, JSON.stringify(told));
});

test('item 6: engines/openTerminal: no running container, or an engine that is gone, is refused in the user\'s words', { skip }, async (t) => {
  const { sidecar, task } = await setUp(t);
  const open = (taskId) => sidecar.connection.sendRequest('engines/openTerminal', { taskId, cols: 80, rows: 24 });

  const none = await task({ runs: 'container', engine: 'Test engine' });
  await assert.rejects(open(none.id), (e) => {
    assert.equal(e.message, 'This task has no container on Test engine yet: it is made when the task starts; open the terminal once it runs.');
    return true;
  });

  const stopped = await task({ runs: 'container', engine: 'Test engine' });
  const container = await taskContainer(stopped.id, { start: false });
  t.after(() => remove(container));
  await assert.rejects(open(stopped.id), (e) => {
    assert.equal(e.message, 'This task\'s container is not running; it runs while the task does: resume \'Boxed task\', then open the terminal again.');
    return true;
  });

  const local = await task({});
  await assert.rejects(open(local.id), /'Boxed task' runs on this machine, not in a container: open a terminal of your own in its folder\./);

  // An engine deleted after its task was made (a task cannot name an engine that is not there).
  const oldBox = await sidecar.connection.sendRequest('codex/create', { templateId: 'docker-engine', title: 'Old box', fields: { connection: 'local' } });
  const gone = await task({ runs: 'container', engine: 'Old box' });
  await sidecar.connection.sendRequest('codex/delete', { id: oldBox.id });
  await assert.rejects(open(gone.id), /This task's engine 'Old box' is not among your Docker engines any more: add it again/);

  // An engine that does not answer: its line and its fix, for the window's button.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-terminal-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  await sidecar.connection.sendRequest('codex/create', { templateId: 'docker-engine', title: 'Nowhere', fields: { connection: 'host', host: `unix://${dir}/docker.sock` } });
  const nowhere = await task({ runs: 'container', engine: 'Nowhere' });
  await assert.rejects(open(nowhere.id), (e) => {
    assert.equal(e.message, `No Docker engine answers at unix://${dir}/docker.sock (Nowhere): start Docker, or set the engine's host to the socket it listens on.`);
    assert.deepEqual(e.data, { fix: 'startEngine', engine: 'Nowhere' });
    return true;
  });
  for (const message of [none, stopped].map((r) => r.id)) assert.ok(message);
  assert.deepEqual((await containerIds(engine.socket)).filter((id) => id !== container), [], 'no container was made by a refused open');
});
