// Sub-tasks in containers on a real Docker engine (tests/support/docker-engine.mjs: Debian's dockerd, a tiny busybox
// image made with no registry), through the real sidecar (vscode-jsonrpc) and a loopback OpenAI server. Each test is
// named after the item of docs/CONTAINERS.md ("Tasks in containers") it shows.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { committedRepository, fakeOpenAI, scratch, startSidecar, until } from '../faults/support/processes.mjs';
import { boxMcpServer, engineRequest, inspectWhileAlive, labelledContainers, loadImageFor, tinyImage, tinyRootfs, useDockerEngine, whereItRuns } from '../support/docker-engine.mjs';

const skip = process.env.PLUE_TEST_DOCKER_HOST ? false
  : process.platform !== 'linux' || !['/usr/sbin/dockerd', '/usr/bin/dockerd'].some((p) => fs.existsSync(p)) ? 'no Docker engine: install Debian\'s docker.io (bash scripts/install-tools.sh test) or set PLUE_TEST_DOCKER_HOST'
    : process.getuid?.() !== 0 ? 'a private dockerd needs root: run as root, or set PLUE_TEST_DOCKER_HOST' : false;

const providerKey = 'sk-loopback-container-0123456789';
const vaultKey = Buffer.alloc(32, 9).toString('base64');
const fanOut = Number(process.env.PLUE_TEST_CONTAINER_FANOUT ?? 8);

let engine;
test.before(async () => { if (!skip) engine = await useDockerEngine(); });
test.after(async () => { await engine?.stop(); });

const labelled = (label) => labelledContainers(engine.socket, label);

const inspectAll = (t) => inspectWhileAlive(t, engine.socket);

function assertNoKey(seen) {
  for (const [id, body] of seen) {
    assert.ok(!body.includes(providerKey), `container ${id} holds the provider key`);
    assert.ok(!body.includes(vaultKey), `container ${id} holds the vault key`);
    const config = JSON.parse(body);
    assert.deepEqual(config.Config.Env.filter((e) => !/^(PATH|HOME|LANG|TERM)=/.test(e)), [], `container ${id}: only the environment built for it`);
    assert.equal(config.HostConfig.NetworkMode, 'none');
    assert.equal(config.HostConfig.ReadonlyRootfs, true);
    assert.deepEqual(config.HostConfig.CapDrop, ['ALL']);
    assert.notEqual(config.Config.User.split(':')[0], '0');
  }
}

/** A sidecar on a committed repository (with `files` committed too) whose questions are all allowed, the engine added, and a loopback provider. */
async function start(t, script, files = {}) {
  const dir = scratch(t, 'plue-containers-');
  const workspace = path.join(dir, 'ws');
  const home = path.join(dir, 'home');
  committedRepository(workspace, files);
  const openai = await fakeOpenAI(t, script);
  const s = startSidecar(t, { home });
  await s.initialize({ vaultKey, workspaceFolders: [workspace], trusted: true });
  s.connection.onRequest('permission/request', () => ({ decision: 'allow' }));
  await s.request('codex/create', { templateId: 'docker-engine', title: 'Test engine', fields: { connection: 'host', host: engine.host } });
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: providerKey });
  return { dir, workspace, home, openai, s, instance };
}

const containerFields = { runs: 'container', engine: 'Test engine', image: tinyImage };

test('item 1: runs is a choice: an engine that does not exist is refused, and a sub-task of a container tree cannot run local', { skip }, async (t) => {
  const { s, instance } = await start(t, () => ({ words: ['ok'] }));
  await assert.rejects(s.request('task/start', { templateId: 'task', prompt: 'x', providerRef: instance.id, modelId: 'gpt-5-mini', fields: { runs: 'container', engine: 'Nowhere' } }),
    /There is no engine called 'Nowhere': add one with Plue: Add Docker Engine or `plue engines add`/);
  const root = await s.request('task/start', { templateId: 'task', prompt: 'ROOT-ONLY', providerRef: instance.id, modelId: 'gpt-5-mini', fields: { ...containerFields, cpus: 1, memory_mb: 256 } });
  assert.equal(root.runs, 'container');
  await until(async () => (await s.request('task/get', { id: root.id })).status === 'completed', 'the root completes', 60_000);
  await assert.rejects(s.request('task/start', { templateId: 'task', prompt: 'y', providerRef: instance.id, modelId: 'gpt-5-mini', parentId: root.id, fields: { runs: 'local' } }),
    /runs in a container, so its sub-tasks do too/);
  const child = await s.request('task/start', { templateId: 'task', prompt: 'CHILD-ONLY', providerRef: instance.id, modelId: 'gpt-5-mini', parentId: root.id, fields: { cpus: 4, memory_mb: 128 } });
  assert.equal(child.runs, 'container');
  assert.deepEqual([child.container.engine, child.container.image, child.container.cpus, child.container.memoryMb], ['Test engine', tinyImage, 1, 128]);
});

test(`items 3, 4 and 5: an orchestrator fans out to ${fanOut} sub-tasks in containers; each writes a file and runs bash inside; each branch merges; no container is left and none holds a key`, { skip, timeout: 600_000 }, async (t) => {
  const outputs = new Map();
  let home;
  const script = ({ body }) => {
    const messages = JSON.parse(body).messages;
    const goal = JSON.stringify(messages.find((m) => m.role === 'user')?.content ?? '');
    const answered = messages.some((m) => m.role === 'assistant');
    if (goal.includes('ORCH')) {
      return answered ? { words: ['all', ' done'] } : {
        calls: Array.from({ length: fanOut }, (_, i) => ({ name: 'spawn_task', args: { template: 'task-code-writer', title: `Writer ${i}`, goal: `WRITER-${i}: write out-${i}.txt` } })),
      };
    }
    const i = Number(/WRITER-(\d+)/.exec(goal)[1]);
    if (answered) {
      outputs.set(i, messages.filter((m) => m.role === 'tool').map((m) => JSON.stringify(m.content)).join('\n'));
      return { words: [`wrote ${i}`] };
    }
    const inside = `echo HOST=$(hostname); id -u; cat /proc/1/cgroup | head -n 3; cat out-${i}.txt; ls -a ${home}; cat ${home}/plue.db >/dev/null 2>&1 && echo READ-HOME; `
      + `ls /var/run/docker.sock ${engine.socket} 2>/dev/null && echo HOST-SOCKET; wget -q -T 2 -O - http://127.0.0.1:1/ >/dev/null 2>&1 || echo NO-NETWORK`;
    return { calls: [{ name: 'write', args: { path: `out-${i}.txt`, content: `written by ${i}\n` } }, { name: 'bash', args: { command: inside } }] };
  };
  const { s, instance, workspace, home: h } = await start(t, script);
  home = h;
  const seen = inspectAll(t);
  const root = await s.request('task/start', { templateId: 'task-orchestrator', prompt: 'ORCH: fan out', providerRef: instance.id, modelId: 'gpt-5-mini', fields: { ...containerFields, concurrency: fanOut } });
  await until(async () => (await s.request('task/get', { id: root.id })).status === 'completed', 'the orchestrator completes', 540_000,
    () => JSON.stringify(outputs.size));
  const children = await s.request('task/list', { parentId: root.id });
  assert.equal(children.length, fanOut);
  for (const child of children) {
    const i = Number(child.title.split(' ')[1]);
    assert.equal(child.status, 'completed', `${child.title}: ${child.statusReason ?? ''}`);
    assert.equal(child.runs, 'container');
    assert.equal(child.container.state, 'removed');
    const said = outputs.get(i);
    assert.match(said, new RegExp(`HOST=${child.container.shortId}`), 'bash ran inside its own container');
    assert.match(said, /\\n1000\\n/, 'as a non-root user');
    assert.doesNotMatch(said, /plue\.db|vault/, 'the Plue home is not in the container');
    assert.match(said, new RegExp(`written by ${i}`), 'the file written on the host side is in the container at the same path');
    assert.doesNotMatch(said, /READ-HOME|HOST-SOCKET/);
    assert.match(said, /NO-NETWORK/);
    assert.match(said, /exit code 0/);
    const merged = await s.request('task/applyChanges', { id: child.id });
    assert.deepEqual(merged.conflicts, []);
    assert.equal(fs.readFileSync(path.join(workspace, `out-${i}.txt`), 'utf8'), `written by ${i}\n`);
  }
  assert.ok(seen.size >= fanOut, `${seen.size} containers inspected`);
  assertNoKey(seen);
  assert.deepEqual(await labelled('plue.task'), [], 'no container is left');
});

test('item 5: a cancel removes the task\'s container within 5 s', { skip, timeout: 120_000 }, async (t) => {
  const { s, instance } = await start(t, ({ body }) => (JSON.parse(body).messages.some((m) => m.role === 'assistant') ? { words: ['ok'] } : { bash: 'sleep 600' }));
  const seen = inspectAll(t);
  const task = await s.request('task/start', { templateId: 'task-code-writer', prompt: 'SLEEP', providerRef: instance.id, modelId: 'gpt-5-mini', fields: { ...containerFields, auto_approve: ['bash'] } });
  await until(async () => (await labelled(`plue.task=${task.id}`)).length === 1 && (await s.request('task/get', { id: task.id })).container?.state === 'running', 'its container runs', 60_000);
  await new Promise((r) => setTimeout(r, 500)); // the sleep has started
  const started = performance.now();
  await s.request('task/interrupt', { id: task.id });
  await until(async () => (await labelled(`plue.task=${task.id}`)).length === 0, 'its container is gone', 5_000);
  const took = performance.now() - started;
  t.diagnostic(`container removed ${Math.round(took)} ms after the cancel`);
  assert.ok(took < 5_000);
  await until(async () => (await s.request('task/get', { id: task.id })).status === 'cancelled', 'the task is cancelled', 10_000);
  assertNoKey(seen);
});

test('item 5: kill -9 of the sidecar mid-tree, then a new sidecar: no container is left within 30 s, and the tree resumes in new containers to its end', { skip, timeout: 240_000 }, async (t) => {
  let crashed = false;
  const script = ({ body }) => {
    const messages = JSON.parse(body).messages;
    const goal = JSON.stringify(messages.find((m) => m.role === 'user')?.content ?? '');
    const tools = messages.filter((m) => m.role === 'tool').map((m) => JSON.stringify(m.content));
    if (goal.includes('ORCH')) {
      if (!crashed) return { calls: [0, 1].map((i) => ({ name: 'spawn_task', args: { template: 'task-code-writer', title: `Sleeper ${i}`, goal: `SLEEP-${i}` } })) };
      return { words: ['both', 'slept'] };
    }
    if (!crashed) return { bash: 'sleep 600' };
    // After the crash a sub-task runs one command more, in its new container, and reports.
    return tools.some((r) => r.includes('AGAIN in')) ? { words: ['woke'] } : { bash: 'echo AGAIN in $(hostname)' };
  };
  const { s, instance, home, workspace } = await start(t, script);
  const root = await s.request('task/start', { templateId: 'task-orchestrator', prompt: 'ORCH', providerRef: instance.id, modelId: 'gpt-5-mini', fields: containerFields });
  // The root's container and its two sub-tasks'.
  await until(async () => (await labelled('plue.task')).length === 3, 'three containers run', 90_000);
  const before = new Set((await labelled('plue.task')).map((c) => c.Id));
  s.child.kill('SIGKILL');
  await new Promise((r) => s.child.once('exit', r));
  assert.equal((await labelled('plue.task')).length, 3, 'the killed sidecar left its containers');
  crashed = true;
  const started = performance.now();
  const again = startSidecar(t, { home });
  again.connection.onRequest('permission/request', () => ({ decision: 'allow' }));
  await again.initialize({ vaultKey, workspaceFolders: [workspace], trusted: true });
  await until(async () => (await labelled('plue.task')).length === 0, 'the orphans are removed', 30_000);
  t.diagnostic(`orphans removed ${Math.round(performance.now() - started)} ms after the new sidecar started`);
  assert.notEqual((await again.request('task/get', { id: root.id })).status, 'running');

  // Resumed as any tree is: each task goes on in a new container, and none is left at its end.
  const seen = new Set();
  const watching = setInterval(async () => { for (const c of await labelled('plue.task').catch(() => [])) seen.add(c.Id); }, 100);
  t.after(() => clearInterval(watching));
  await again.request('task/resume', { id: root.id });
  let stood = '';
  const done = await until(async () => {
    const now = await again.request('task/get', { id: root.id });
    const children = await again.request('task/list', { parentId: root.id });
    stood = [now, ...children].map((c) => `${c.title} ${c.status}${c.statusReason ? ` (${c.statusReason})` : ''}`).join('; ');
    return ['completed', 'failed', 'cancelled'].includes(now.status) ? now : null;
  }, 'the resumed tree ends', 150_000, () => stood);
  clearInterval(watching);
  assert.equal(done.status, 'completed', done.statusReason);
  const children = await again.request('task/list', { parentId: root.id });
  assert.equal(children.length, 2, 'no sub-task was started twice');
  for (const child of children) {
    assert.equal(child.status, 'completed', `${child.title}: ${child.statusReason}`);
    const said = JSON.stringify(await again.request('task/messages', { id: child.id }));
    assert.match(said, /AGAIN in [0-9a-f]{12}/, `${child.title} ran its command in a container`);
  }
  assert.ok([...seen].every((id) => !before.has(id)) && seen.size >= 2, `new containers ran the resumed tree (${seen.size})`);
  await until(async () => (await labelled('plue.task')).length === 0, 'no container is left', 10_000);
});

test('item 5: a container killed under its task fails the task with the reason in the user\'s words', { skip, timeout: 120_000 }, async (t) => {
  const { s, instance } = await start(t, () => ({ bash: 'sleep 600' }));
  const task = await s.request('task/start', { templateId: 'task-code-writer', prompt: 'SLEEP', providerRef: instance.id, modelId: 'gpt-5-mini', fields: { ...containerFields, auto_approve: ['bash'] } });
  await until(async () => (await labelled(`plue.task=${task.id}`)).length === 1 && (await s.request('task/get', { id: task.id })).container?.state === 'running', 'its container runs', 60_000);
  const [container] = await labelled(`plue.task=${task.id}`);
  assert.equal((await engineRequest(engine.socket, 'POST', `/containers/${container.Id}/kill`)).status, 204);
  const failed = await until(async () => {
    const now = await s.request('task/get', { id: task.id });
    return now.status === 'failed' ? now : null;
  }, 'the task fails', 20_000);
  assert.match(failed.statusReason, /^Its container stopped under it \(exit code \d+: it was stopped or killed, or its engine restarted\): resume it to go on in a new container$/);
  assert.equal(failed.container.state, 'failed');
  assert.equal(failed.container.reason, failed.statusReason);
  await until(async () => (await labelled(`plue.task=${task.id}`)).length === 0, 'the dead container is removed', 10_000);
});

test('item 3: an image the engine does not have fails the task on one line saying to pull or build it', { skip, timeout: 120_000 }, async (t) => {
  const { s, instance } = await start(t, () => ({ words: ['never asked'] }));
  const task = await s.request('task/start', { templateId: 'task', prompt: 'ABSENT', providerRef: instance.id, modelId: 'gpt-5-mini', fields: { ...containerFields, image: 'plue-test/absent:1' } });
  const failed = await until(async () => {
    const now = await s.request('task/get', { id: task.id });
    return now.status === 'failed' ? now : null;
  }, 'the task fails', 30_000);
  assert.equal(failed.statusReason, "The image 'plue-test/absent:1' is not on Test engine: pull or build it there first (docker pull plue-test/absent:1).");
  assert.equal(failed.container.state, 'failed');
});

test('item 6: an image built for another CPU than the engine\'s fails the task on one line saying which to choose, and makes no container', { skip, timeout: 120_000 }, async (t) => {
  const engineArch = JSON.parse((await engineRequest(engine.socket, 'GET', '/version')).body).Arch;
  const other = engineArch === 'arm64' ? 'amd64' : 'arm64';
  const rootfs = tinyRootfs();
  try {
    await loadImageFor(engine.socket, rootfs, `plue-test/other-cpu:${other}`, other);
  } finally {
    fs.rmSync(rootfs, { recursive: true, force: true });
  }
  t.after(() => engineRequest(engine.socket, 'DELETE', `/images/${encodeURIComponent(`plue-test/other-cpu:${other}`)}?force=1`));
  const { s, instance } = await start(t, () => ({ words: ['never asked'] }));
  const before = (await labelledContainers(engine.socket, 'plue.task')).length;
  const task = await s.request('task/start', { templateId: 'task', prompt: 'OTHER-CPU', providerRef: instance.id, modelId: 'gpt-5-mini', fields: { ...containerFields, image: `plue-test/other-cpu:${other}` } });
  const failed = await until(async () => {
    const now = await s.request('task/get', { id: task.id });
    return now.status === 'failed' ? now : null;
  }, 'the task fails', 30_000);
  assert.equal(failed.statusReason, `The image 'plue-test/other-cpu:${other}' is built for linux/${other}, and Test engine runs linux/${engineArch}: choose an image built for ${engineArch} (or one for several platforms), or run the task on an engine of that architecture.`);
  assert.equal(failed.container.state, 'failed');
  assert.equal((await labelledContainers(engine.socket, 'plue.task')).length, before, 'a container was made for an image the engine cannot run');
});

test('item 3: a devcontainer that builds from a Dockerfile: its image is built on the engine once, kept, and the tasks run in it', { skip, timeout: 180_000 }, async (t) => {
  const outputs = [];
  const script = ({ body }) => {
    const tool = JSON.parse(body).messages.find((m) => m.role === 'tool');
    if (!tool) return { bash: 'cat /etc/plue-built' };
    outputs.push(JSON.stringify(tool.content));
    return { words: ['done'] };
  };
  const { s, instance, workspace } = await start(t, script);
  fs.mkdirSync(path.join(workspace, '.devcontainer'));
  // As devcontainers write it: paths relative to the devcontainer's folder, the context one folder up.
  fs.writeFileSync(path.join(workspace, '.devcontainer', 'devcontainer.json'), '{\n  // built, not pulled\n  "build": { "dockerfile": "Dockerfile", "context": "..", },\n}\n');
  fs.writeFileSync(path.join(workspace, '.devcontainer', 'Dockerfile'), `FROM ${tinyImage}\nCOPY marker.txt /etc/plue-built\n`);
  fs.writeFileSync(path.join(workspace, 'marker.txt'), 'BUILT FROM THE DEVCONTAINER\n');
  const built = async () => JSON.parse((await engineRequest(engine.socket, 'GET', `/images/json?filters=${encodeURIComponent(JSON.stringify({ reference: ['plue-devcontainer/*'] }))}`)).body);
  const run = async () => {
    const task = await s.request('task/start', { templateId: 'task-code-writer', prompt: 'BUILT', providerRef: instance.id, modelId: 'gpt-5-mini', fields: { runs: 'container', engine: 'Test engine', auto_approve: ['bash'] } });
    const done = await until(async () => {
      const now = await s.request('task/get', { id: task.id });
      return ['completed', 'failed'].includes(now.status) ? now : null;
    }, 'the task ends', 120_000);
    assert.equal(done.status, 'completed', done.statusReason);
    return done;
  };
  const first = await run();
  const [image] = await built();
  assert.ok(image, 'the devcontainer\'s image was built');
  assert.match(first.container.image, /^plue-devcontainer\/ws:[0-9a-f]{16}$/);
  assert.deepEqual(image.RepoTags, [first.container.image]);
  const second = await run();
  assert.equal(second.container.image, first.container.image);
  const after = await built();
  assert.deepEqual(after.map((i) => i.Id), [image.Id], 'kept: the second task used the image the first built');
  assert.equal(outputs.length, 2);
  for (const output of outputs) assert.match(output, /BUILT FROM THE DEVCONTAINER/);
  // A Dockerfile that does not build fails the task with the build's own line.
  fs.writeFileSync(path.join(workspace, '.devcontainer', 'Dockerfile'), `FROM ${tinyImage}\nCOPY absent.txt /etc/absent\n`);
  const task = await s.request('task/start', { templateId: 'task-code-writer', prompt: 'BUILT', providerRef: instance.id, modelId: 'gpt-5-mini', fields: { runs: 'container', engine: 'Test engine' } });
  const failed = await until(async () => {
    const now = await s.request('task/get', { id: task.id });
    return now.status === 'failed' ? now : null;
  }, 'the task fails', 60_000);
  assert.match(failed.statusReason, /^The image 'plue-devcontainer\/ws:[0-9a-f]{16}' did not build on Test engine: .*absent\.txt.*\. Fix the Dockerfile, or name an image the engine has\.$/);
  for (const i of await built()) await engineRequest(engine.socket, 'DELETE', `/images/${i.Id}?force=1`);
});

test('item 4: a bash command inside past its timeout is killed with every process it started, and the next command runs', { skip, timeout: 120_000 }, async (t) => {
  const results = [];
  const script = ({ body }) => {
    const messages = JSON.parse(body).messages;
    const tools = messages.filter((m) => m.role === 'tool').map((m) => JSON.stringify(m.content));
    results.splice(0, results.length, ...tools);
    if (tools.length === 0) return { bash: 'sleep 300 & sleep 301; echo NEVER' };
    if (tools.length === 1) return { bash: 'ps' };
    return { words: ['done'] };
  };
  const { s, instance } = await start(t, script);
  const task = await s.request('task/start', { templateId: 'task-code-writer', prompt: 'TIMEOUT', providerRef: instance.id, modelId: 'gpt-5-mini', fields: { ...containerFields, auto_approve: ['bash'], bash_timeout_ms: 1000 } });
  await until(async () => (await s.request('task/get', { id: task.id })).status === 'completed', 'the task completes', 60_000);
  assert.match(results[0], /Timed out after 1000 ms: the command and every process it started were killed/);
  assert.doesNotMatch(results[0], /NEVER/);
  assert.match(results[1], /PID/, 'ps lists the container\'s processes');
  assert.doesNotMatch(results[1], /sleep 30[01]/, results[1]);
  assert.match(results[1], /exit code 0/);
});

test('item 4: a command that runs for seconds comes back whole: its output and its exit code once it ends, not when the engine stops waiting for it', { skip, timeout: 120_000 }, async (t) => {
  // A wrapper that forked and exited (setsid in a process group's leader) ended the exec at once: the engine cut its
  // output about two seconds later and the command was said to have exited 0 while it ran on.
  let result = null;
  const script = ({ body }) => {
    const tool = JSON.parse(body).messages.find((m) => m.role === 'tool');
    if (!tool) return { bash: 'sleep 6; echo DONE; exit 3' };
    result = JSON.stringify(tool.content);
    return { words: ['done'] };
  };
  const { s, instance } = await start(t, script);
  const began = performance.now();
  const task = await s.request('task/start', { templateId: 'task-code-writer', prompt: 'SECONDS', providerRef: instance.id, modelId: 'gpt-5-mini', fields: { ...containerFields, auto_approve: ['bash'] } });
  await until(async () => (await s.request('task/get', { id: task.id })).status === 'completed', 'the task completes', 90_000);
  assert.match(result, /DONE/);
  assert.match(result, /exit code 3/);
  assert.ok(performance.now() - began >= 6_000, 'the command ran its six seconds');
});

test('item 5: a spend cap crossed mid-tree stops the running containers within 10 s (a sibling\'s long bash with them) and makes no new one; the tree pauses at its cap', { skip, timeout: 300_000 }, async (t) => {
  // Priced as the loopback model streams (it reports no usage, so its tokens are estimated at characters / 4): the
  // crosser's last answer, about 200,000 tokens (at least $0.20 at the root's unpriced_usd_per_million), alone crosses the $0.08 cap.
  let crossingAt = null;
  const script = ({ body }) => {
    if (!body) return { words: ['ok'] }; // not a chat call
    const messages = JSON.parse(body).messages;
    const goal = JSON.stringify(messages.find((m) => m.role === 'user')?.content ?? '');
    const answered = messages.some((m) => m.role === 'assistant');
    if (goal.includes('ORCH')) {
      return answered ? { words: ['done'] } : { calls: ['Sleeper', 'Crosser'].map((title) => ({ name: 'spawn_task', args: { template: 'task-code-writer', title, goal: `${title.toUpperCase()}: go` } })) };
    }
    if (goal.includes('SLEEPER')) return answered ? { words: ['slept'] } : { bash: 'sleep 600' };
    if (!answered) return { bash: 'while [ ! -f .go ]; do sleep 0.1; done' }; // until the test sees the sleeper's sleep run
    crossingAt ??= performance.now();
    return { words: Array.from({ length: 200 }, () => 'abcd '.repeat(800)) };
  };
  const { s, instance, workspace } = await start(t, script);
  let capQuestion;
  let answerCap;
  const held = new Promise((r) => { answerCap = r; });
  t.after(() => answerCap({ decision: 'deny' }));
  const asked = [];
  s.connection.onRequest('permission/request', (p) => {
    asked.push(`${p.tool} (${p.taskId ?? p.sessionId ?? '?'})`);
    if (p.tool !== 'spend_cap') return { decision: 'allow' };
    capQuestion = p;
    return held; // unanswered while the test looks at the paused tree
  });
  const root = await s.request('task/start', { templateId: 'task-orchestrator', prompt: 'ORCH', providerRef: instance.id, modelId: 'gpt-5-mini',
    fields: { ...containerFields, isolation: 'shared', spend_cap_usd: 0.08, unpriced_usd_per_million: 1 } });
  const child = async (title) => (await s.request('task/list', { parentId: root.id })).find((c) => c.title === title);
  const sleeper = await until(() => child('Sleeper'), 'the sleeper starts', 60_000);
  // On a loaded 2-core machine each container's start (vfs copies the image) and JIT start-up take seconds, so the
  // wait is generous, and a timeout says where the tree stood.
  let stood = '';
  const [sleeperContainer] = await until(async () => {
    const tasks = await s.request('task/list', { parentId: root.id });
    const found = await labelled(`plue.task=${sleeper.id}`);
    const top = found.length === 1 ? await engineRequest(engine.socket, 'GET', `/containers/${found[0].Id}/top`) : null;
    stood = `tasks: ${tasks.map((c) => `${c.title} ${c.status}${c.statusReason ? ` (${c.statusReason})` : ''}`).join('; ')}\n`
      + `sleeper's containers: ${found.map((c) => `${c.Id.slice(0, 12)} ${c.State}`).join(', ') || 'none'}; top: ${top?.body ?? '-'}\n`
      + `asked: ${asked.join(', ')}\nsleeper said: ${JSON.stringify(await s.request('task/messages', { id: sleeper.id })).slice(-1500)}`;
    return top?.status === 200 && /sleep 600/.test(top.body) ? found : null;
  }, 'the sleeper\'s sleep runs in its container', 150_000, () => stood);
  const before = new Set((await labelled('plue.task')).map((c) => c.Id));
  assert.equal(before.size, 3, 'the root\'s container and its two sub-tasks\'');
  fs.writeFileSync(path.join(workspace, '.go'), '');
  await until(async () => crossingAt !== null && (await labelled(`plue.task=${sleeper.id}`)).length === 0, 'the sleeper\'s container is gone', 60_000);
  const gone = performance.now() - crossingAt;
  await until(async () => (await labelled('plue.task')).length === 0, 'no container remains', 10_000);
  const allGone = performance.now() - crossingAt;
  t.diagnostic(`sleeper's container ${sleeperContainer.Id.slice(0, 12)} gone ${Math.round(gone)} ms after the crossing answer was asked for; every container ${Math.round(allGone)} ms`);
  assert.ok(gone < 10_000, `the sleeper's container went ${Math.round(gone)} ms after the cap was crossed`);
  assert.ok(allGone < 10_000);

  const paused = await until(async () => {
    const now = await s.request('task/get', { id: root.id });
    return now.status === 'paused' ? now : null;
  }, 'the tree pauses at its cap', 30_000);
  assert.match(paused.statusReason, /^Spend cap reached: \$[\d.]+ of \$0\.08 spent, sub-tasks included/);
  for (const c of await s.request('task/list', { parentId: root.id })) {
    assert.equal(c.status, 'paused', `${c.title} is ${c.status}: ${c.statusReason}`);
    assert.match(c.statusReason, /^Paused: .* reached its spend cap of \$0\.08/);
  }
  const said = JSON.stringify(await s.request('task/messages', { id: sleeper.id }));
  assert.match(said, /Stopped: .* reached its spend cap, so the containers of its tasks were stopped, this command with them/, 'the sleep was ended, not waited for');
  await until(() => capQuestion, 'the orchestrator asks to raise its cap', 10_000);
  await new Promise((r) => setTimeout(r, 1_000));
  assert.deepEqual(await labelled('plue.task'), [], 'no new container while the tree is over its cap');
});

test('item 4: hooks\' commands run in the task\'s container: the event\'s JSON on stdin, exit 2 blocks, a time limit kills, a script left on this machine is named, and no key is there', { skip, timeout: 180_000 }, async (t) => {
  let blocked = null;
  const script = ({ body }) => {
    const tool = JSON.parse(body).messages.find((m) => m.role === 'tool');
    if (!tool) return { bash: 'echo SHOULD-NOT-RUN > ran.txt' };
    blocked = JSON.stringify(tool.content);
    return { words: ['done'] };
  };
  const dir = scratch(t, 'plue-hook-outside-');
  const outside = path.join(dir, 'check.sh'); // a script on this machine only: not in the container
  fs.writeFileSync(outside, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  const hook = (command, timeout) => ({ hooks: [{ type: 'command', command, ...(timeout ? { timeout } : {}) }] });
  const settings = {
    hooks: {
      UserPromptSubmit: [hook(outside)],
      PreToolUse: [{ matcher: 'Bash', ...hook(`in=$(cat); case "$in" in *'"hook_event_name":"PreToolUse"'*'"command":"echo SHOULD-NOT-RUN'*) ev=pre-with-input;; *) ev=no-input;; esac; `
        + `echo "HOOK $ev ${whereItRuns} home=$HOME dir=$CLAUDE_PROJECT_DIR keys=$(env | grep -c -e sk-loopback -e PLUE_)" >&2; exit 2`) }],
      Stop: [hook('sleep 60 & sleep 61', 1)],
    },
  };
  const { s, instance } = await start(t, script, { '.claude/settings.json': JSON.stringify(settings) });
  const seen = inspectAll(t);
  const began = performance.now();
  const task = await s.request('task/start', { templateId: 'task-code-writer', prompt: 'HOOKS', providerRef: instance.id, modelId: 'gpt-5-mini', fields: { ...containerFields, auto_approve: ['bash'] } });
  await until(async () => (await s.request('task/get', { id: task.id })).status === 'completed', 'the task completes', 90_000);
  assert.ok(performance.now() - began < 45_000, 'the Stop hook was stopped at its limit of 1 s, not waited for');

  const folder = (await s.request('task/get', { id: task.id })).container?.folder;
  assert.match(blocked, /A PreToolUse hook blocked this call: HOOK pre-with-input container home=\/tmp dir=\/\S+ keys=0/, blocked);
  const dirSaid = /dir=(\/\S+?) keys/.exec(blocked)[1];
  assert.ok(!fs.existsSync(path.join(dirSaid, 'ran.txt')), 'the blocked command did not run');
  if (folder) assert.equal(dirSaid, folder);
  const parts = (await s.request('task/messages', { id: task.id })).messages.flatMap((m) => m.parts).filter((p) => p.kind === 'hook');
  const byEvent = Object.fromEntries(parts.map((p) => [p.event, p]));
  assert.equal(byEvent.PreToolUse?.outcome, 'blocked');
  assert.equal(byEvent.Stop?.outcome, 'timeout', JSON.stringify(parts));
  assert.equal(byEvent.UserPromptSubmit?.outcome, 'warning', JSON.stringify(parts));
  assert.match(byEvent.UserPromptSubmit.text, /exited with code 127/);
  assert.match(byEvent.UserPromptSubmit.text, new RegExp(`runs in its container on Test engine.*${outside.replaceAll('/', '\\/')} is not there\\. Keep the hook's script in the workspace`));
  assertNoKey(seen);
});

test('item 4: an MCP stdio server of a task in a container runs in that container, with only its own variables, and goes with it; one the image cannot run says so', { skip, timeout: 180_000 }, async (t) => {
  let answered = [];
  const script = ({ body }) => {
    const tools = JSON.parse(body).messages.filter((m) => m.role === 'tool');
    if (tools.length === 0) return { calls: [{ name: 'mcp__box__where', args: {} }, { name: 'mcp__gone__where', args: {} }] };
    answered = tools.map((m) => JSON.stringify(m.content));
    return { words: ['done'] };
  };
  const { s, instance } = await start(t, script, { 'mcp/box.sh': boxMcpServer });
  await s.request('codex/create', { templateId: 'mcp-server', title: 'Box', slug: 'box', fields: { command: 'sh', args: ['mcp/box.sh'], env: ['BOX_TOKEN=plain-box-value'] } });
  // A server whose program is on this machine, not in the image.
  await s.request('codex/create', { templateId: 'mcp-server', title: 'Gone', slug: 'gone', fields: { command: process.execPath, args: ['server.js'] } });
  const seen = inspectAll(t);
  const task = await s.request('task/start', { templateId: 'task-code-writer', prompt: 'MCP', providerRef: instance.id, modelId: 'gpt-5-mini',
    fields: { ...containerFields, mcp_tools: ['mcp__box', 'mcp__gone'] } });
  await until(async () => (await s.request('task/get', { id: task.id })).status === 'completed', 'the task completes', 90_000);
  assert.match(answered[0] ?? '', /BOX container cwd=\/\S+ home=\/tmp token=plain-box-value keys=0/, answered[0]);
  assert.match(answered[1] ?? '', /MCP server 'gone' .* did not start: .*not found.* \(it runs in the task's container on Test engine, image plue-test\/tiny:1, in the task's folder: its command must be in the image/, answered[1]);
  assertNoKey(seen);
  await until(async () => (await labelled(`plue.task=${task.id}`)).length === 0, 'the task\'s container (and its server) is gone', 30_000);
});
