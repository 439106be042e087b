// A task in a container on an engine on another machine: a second real Docker engine (tests/support/docker-engine.mjs)
// reached only over tcp://127.0.0.1 with TLS and certificates this test makes with openssl, treated as sharing no
// folder with this machine. Through the real sidecar (vscode-jsonrpc) and a loopback OpenAI server: the engine's test
// says its version and that it cannot mount the workspace; a task's worktree goes in as a git bundle, its bash and
// file tools work on the container's copy, and its work comes back as a bundle that is reviewed and merged as a local
// task's; an image without git and a refused certificate each fail on one line.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { committedRepository, fakeOpenAI, scratch, startSidecar, until } from '../faults/support/processes.mjs';
import { boxMcpServer, engineRequest, ensureTinyImage, inspectWhileAlive, labelledContainers, tinyGitImage, tinyImage, useDockerEngine, whereItRuns } from '../support/docker-engine.mjs';

const skip = process.platform !== 'linux' || !['/usr/sbin/dockerd', '/usr/bin/dockerd'].some((p) => fs.existsSync(p)) ? 'no Docker engine: install Debian\'s docker.io (bash scripts/install-tools.sh test)'
  : process.getuid?.() !== 0 ? 'a private dockerd needs root' : false;

const providerKey = 'sk-loopback-remote-0123456789';
const vaultKey = Buffer.alloc(32, 7).toString('base64');

let engine;
test.before(async () => {
  if (skip) return;
  engine = await useDockerEngine({ git: true, tls: true });
  await ensureTinyImage(engine.socket);  // the image without git
});
test.after(async () => { await engine?.stop(); });

const labelled = (label) => labelledContainers(engine.socket, label);

const inspectAll = (t) => inspectWhileAlive(t, engine.socket);

const tlsFields = (cert = engine.tls.cert, key = engine.tls.key) => ({ connection: 'host', host: engine.tcpHost, tls_ca: engine.tls.ca, tls_cert: cert, tls_key: key });

async function start(t, script, engineFields = {}, files = {}) {
  const dir = scratch(t, 'plue-remote-');
  const workspace = path.join(dir, 'ws');
  const home = path.join(dir, 'home');
  committedRepository(workspace, files);
  const openai = await fakeOpenAI(t, script);
  const s = startSidecar(t, { home });
  await s.initialize({ vaultKey, workspaceFolders: [workspace], trusted: true });
  s.connection.onRequest('permission/request', () => ({ decision: 'allow' }));
  const record = await s.request('codex/create', { templateId: 'docker-engine', title: 'TLS engine', fields: { ...tlsFields(), ...engineFields } });
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: providerKey });
  return { dir, workspace, home, s, instance, record };
}

const onTls = { runs: 'container', engine: 'TLS engine', image: tinyGitImage };

test('engines/test over tcp:// with TLS: the engine says its version, OS and architecture, and that it cannot mount the workspace', { skip, timeout: 60_000 }, async (t) => {
  const { s, record } = await start(t, () => ({ words: ['ok'] }));
  const result = await s.request('engines/test', { id: record.id });
  assert.equal(result.ok, true, result.error);
  assert.equal(result.address, engine.tcpHost);
  assert.match(result.version, /^\d+\.\d+/);
  assert.equal(result.apiVersion, '1.41');
  assert.equal(result.os, 'linux');
  assert.equal(result.canMountWorkspace, false);
});

test('a refused client certificate fails the engine\'s test and a task on it on one line: check the three TLS files', { skip, timeout: 60_000 }, async (t) => {
  const { s, instance } = await start(t, () => ({ words: ['never asked'] }));
  const wrong = await s.request('codex/create', { templateId: 'docker-engine', title: 'Wrong cert', fields: tlsFields(engine.tls.wrongCert, engine.tls.wrongKey) });
  const result = await s.request('engines/test', { id: wrong.id });
  assert.equal(result.ok, false);
  assert.equal(result.fix, 'certificates');
  assert.equal(result.error, 'The TLS handshake with Wrong cert failed: its certificates and the CA, certificate and key given do not match. Check the three files.');
  const task = await s.request('task/start', { templateId: 'task', prompt: 'WRONG', providerRef: instance.id, modelId: 'gpt-5-mini', fields: { ...onTls, engine: 'Wrong cert' } });
  const failed = await until(async () => {
    const now = await s.request('task/get', { id: task.id });
    return now.status === 'failed' ? now : null;
  }, 'the task fails', 30_000);
  assert.equal(failed.statusReason, result.error);
});

test('a task on the TLS engine gets its worktree as a bundle; bash and the file tools work on the container\'s copy; its work comes back as its branch and merges; no key in docker inspect; no container left', { skip, timeout: 240_000 }, async (t) => {
  const results = [];
  let worktreeAtWork = null;
  let home;
  const script = ({ body }) => {
    const messages = JSON.parse(body).messages;
    const text = (c) => (typeof c === 'string' ? c : Array.isArray(c) ? c.map((p) => p.text ?? '').join('') : JSON.stringify(c));
    const tools = messages.filter((m) => m.role === 'tool').map((m) => text(m.content));
    results.splice(0, results.length, ...tools);
    if (tools.length === 0) {
      return { calls: [
        { name: 'write', args: { path: 'remote.txt', content: 'written by the file tool\n' } },
        { name: 'edit', args: { path: 'f.txt', old_string: 'two', new_string: 'TWO (edited inside)' } },
      ] };
    }
    if (tools.length === 2) {
      const worktrees = path.join(home, 'worktrees');
      worktreeAtWork = fs.readdirSync(worktrees).map((id) => fs.readdirSync(path.join(worktrees, id, 'tree')).sort()
        .concat(fs.readFileSync(path.join(worktrees, id, 'tree', 'f.txt'), 'utf8')));
      return { bash: 'hostname; id -u; cat remote.txt; grep TWO f.txt; echo made by bash > bash.txt; seq 1 3000 > big.txt; git add -A && git commit -q -m "the task commits" && echo COMMITTED;'
        + ' echo left uncommitted > loose.txt; mkdir -p deep/er && echo MARKER-42 > deep/er/found.txt; git log --oneline | wc -l' };
    }
    if (tools.length === 3) {
      return { calls: [
        { name: 'read', args: { path: 'bash.txt' } },
        { name: 'search', args: { pattern: 'MARKER-[0-9]+', glob: '*.txt' } },
        { name: 'read', args: { path: '../../../etc/passwd' } },
        { name: 'read', args: { path: 'big.txt', offset: 2999 } },
      ] };
    }
    return { words: ['done'] };
  };
  const started = await start(t, script);
  const { s, instance, workspace } = started;
  home = started.home;
  const seen = inspectAll(t);
  const task = await s.request('task/start', { templateId: 'task-code-writer', prompt: 'REMOTE WORK', providerRef: instance.id, modelId: 'gpt-5-mini', fields: onTls });
  const done = await until(async () => {
    const now = await s.request('task/get', { id: task.id });
    return ['completed', 'failed'].includes(now.status) ? now : null;
  }, 'the task ends', 180_000);
  assert.equal(done.status, 'completed', done.statusReason);
  assert.equal(done.runs, 'container');
  assert.equal(done.container.state, 'removed', done.container.reason);
  assert.equal(done.container.network, 'none');

  const [written, edited, bash, read, search, outside, big] = results;
  assert.match(written, /Created remote\.txt/);
  assert.match(edited, /Edited f\.txt: replaced 1 occurrence/);
  assert.match(bash, new RegExp(`\\b${done.container.shortId}\\b`), 'bash ran in its container');
  assert.match(bash, /\n1000\n/);
  assert.match(bash, /written by the file tool/, 'bash sees what write put in the container');
  assert.match(bash, /TWO \(edited inside\)/, 'bash sees what edit changed');
  assert.match(bash, /COMMITTED/);
  assert.match(bash, /exit code 0/);
  assert.match(read, /1\tmade by bash/, 'read sees what bash made');
  assert.match(search, /deep\/er\/found\.txt:1:MARKER-42/);
  assert.match(outside, /outside the task's folder/);
  assert.equal(big, '2999\t2999\n3000\t3000\n', 'a file larger than the archive\'s first blocks is read whole');
  assert.deepEqual(worktreeAtWork, [['.git', 'f.txt', 'one\ntwo\nthree\n']], 'nothing of the work is in the worktree on this machine while it runs');

  // Its work came back: reviewed and merged as a local task's.
  const changes = await s.request('task/changes', { id: task.id });
  assert.deepEqual(changes.files.map((f) => f.path).sort(), ['bash.txt', 'big.txt', 'deep/er/found.txt', 'f.txt', 'loose.txt', 'remote.txt']);
  const merged = await s.request('task/applyChanges', { id: task.id });
  assert.deepEqual(merged.conflicts, []);
  assert.equal(fs.readFileSync(path.join(workspace, 'remote.txt'), 'utf8'), 'written by the file tool\n');
  assert.equal(fs.readFileSync(path.join(workspace, 'f.txt'), 'utf8'), 'one\nTWO (edited inside)\nthree\n');
  assert.equal(fs.readFileSync(path.join(workspace, 'bash.txt'), 'utf8'), 'made by bash\n');
  assert.equal(fs.readFileSync(path.join(workspace, 'loose.txt'), 'utf8'), 'left uncommitted\n', 'what it left uncommitted came back too');
  assert.equal(execFileSync('git', ['-C', workspace, 'for-each-ref', '--format=%(refname)'], { encoding: 'utf8' }).trim(), 'refs/heads/' + execFileSync('git', ['-C', workspace, 'branch', '--show-current'], { encoding: 'utf8' }).trim(),
    'no ref of the task\'s is left in the repository');

  assert.equal(seen.size, 1);
  for (const [id, body] of seen) {
    assert.ok(!body.includes(providerKey), `container ${id} holds the provider key`);
    assert.ok(!body.includes(vaultKey), `container ${id} holds the vault key`);
    const config = JSON.parse(body);
    assert.deepEqual(config.Config.Env.filter((e) => !/^(PATH|HOME|LANG|TERM)=/.test(e)), []);
    assert.equal(config.HostConfig.NetworkMode, 'none');
    assert.equal(config.HostConfig.ReadonlyRootfs, true);
    assert.deepEqual(config.Mounts.map((m) => m.Type), ['volume'], 'nothing of this machine is mounted');
  }
  assert.deepEqual(await labelled('plue.task'), [], 'no container is left');
  const volumes = JSON.parse((await engineRequest(engine.socket, 'GET', '/volumes')).body).Volumes ?? [];
  assert.deepEqual(volumes, [], 'its volume went with it');
});

test('an image without git fails the task on one line; an engine record with network engine puts its tasks on the engine\'s own network', { skip, timeout: 180_000 }, async (t) => {
  const { s, instance } = await start(t, () => ({ words: ['fine'] }), { network: 'engine' });
  const seen = inspectAll(t);
  const noGit = await s.request('task/start', { templateId: 'task', prompt: 'NO GIT', providerRef: instance.id, modelId: 'gpt-5-mini', fields: { ...onTls, image: tinyImage } });
  const failed = await until(async () => {
    const now = await s.request('task/get', { id: noGit.id });
    return now.status === 'failed' ? now : null;
  }, 'the task fails', 60_000);
  assert.equal(failed.statusReason, `The image '${tinyImage}' has no git, which a task on an engine on another machine needs to get its files and bring its work back: use an image with git, or an engine on this machine.`);
  assert.equal(failed.container.state, 'failed');
  await until(async () => (await labelled(`plue.task=${noGit.id}`)).length === 0, 'its container is removed', 10_000);

  const networked = await s.request('task/start', { templateId: 'task', prompt: 'NETWORK', providerRef: instance.id, modelId: 'gpt-5-mini', fields: onTls });
  const done = await until(async () => {
    const now = await s.request('task/get', { id: networked.id });
    return ['completed', 'failed'].includes(now.status) ? now : null;
  }, 'the task ends', 60_000);
  assert.equal(done.status, 'completed', done.statusReason);
  assert.equal(done.container.network, 'engine');
  const modes = [...seen.values()].map((body) => JSON.parse(body)).filter((c) => c.Config.Labels['plue.task'] === networked.id).map((c) => c.HostConfig.NetworkMode);
  assert.deepEqual(modes, ['default']);
  assert.deepEqual(await labelled('plue.task'), []);
});

test('a cancel mid-command brings the work back before the container goes (within 10 s), and it waits for review as a local task\'s', { skip, timeout: 180_000 }, async (t) => {
  const script = ({ body }) => {
    const messages = JSON.parse(body).messages;
    const tools = messages.filter((m) => m.role === 'tool').length;
    if (tools === 0) return { calls: [{ name: 'write', args: { path: 'kept.txt', content: 'kept after the cancel\n' } }] };
    if (tools === 1) return { bash: 'echo before the sleep > sleeper.txt; sleep 600' };
    return { words: ['never'] };
  };
  const { s, instance } = await start(t, script);
  const task = await s.request('task/start', { templateId: 'task-code-writer', prompt: 'CANCEL', providerRef: instance.id, modelId: 'gpt-5-mini', fields: onTls });
  const [container] = await until(async () => {
    const found = await labelled(`plue.task=${task.id}`);
    if (found.length !== 1) return null;
    const top = await engineRequest(engine.socket, 'GET', `/containers/${found[0].Id}/top`);
    return top.status === 200 && /sleep 600/.test(top.body) ? found : null;
  }, 'the sleep runs in its container', 90_000);
  const started = performance.now();
  await s.request('task/interrupt', { id: task.id });
  await until(async () => (await labelled(`plue.task=${task.id}`)).length === 0, 'its container is gone', 10_000);
  const took = performance.now() - started;
  t.diagnostic(`container ${container.Id.slice(0, 12)} gone ${Math.round(took)} ms after the cancel, its work brought back first`);
  assert.ok(took < 10_000, `${Math.round(took)} ms`);
  const cancelled = await until(async () => {
    const now = await s.request('task/get', { id: task.id });
    return now.status === 'cancelled' ? now : null;
  }, 'the task is cancelled', 10_000);
  assert.equal(cancelled.container.state, 'removed', cancelled.container.reason);
  const changes = await s.request('task/changes', { id: task.id });
  assert.deepEqual(changes.files.map((f) => f.path).sort(), ['kept.txt', 'sleeper.txt']);
});

test('a task on the TLS engine whose sub-task\'s changes were applied to its worktree meanwhile: its own work and those both come back', { skip, timeout: 240_000 }, async (t) => {
  const script = ({ body }) => {
    const messages = JSON.parse(body).messages;
    const goal = JSON.stringify(messages.find((m) => m.role === 'user')?.content ?? '');
    const tools = messages.filter((m) => m.role === 'tool').length;
    if (goal.includes('CHILD')) return tools === 0 ? { calls: [{ name: 'edit', args: { path: 'f.txt', old_string: 'three', new_string: 'THREE (the sub-task)' } }] } : { words: ['edited it'] };
    if (tools === 0) {
      return { calls: [{ name: 'bash', args: { command: 'echo from the parent > own.txt' } },
        { name: 'spawn_task', args: { template: 'task-code-writer', title: 'Child', goal: 'CHILD: write child.txt' } }] };
    }
    if (tools === 2) return { bash: 'sleep 20' };
    return { words: ['all done'] };
  };
  const { s, instance, workspace } = await start(t, script);
  const root = await s.request('task/start', { templateId: 'task', prompt: 'PARENT', providerRef: instance.id, modelId: 'gpt-5-mini',
    fields: { ...onTls, available_tools: ['bash', 'spawn_task'], auto_approve: ['bash'], max_spawned_tasks: 1 } });
  let seen = '';
  const child = await until(async () => {
    const [found] = await s.request('task/list', { parentId: root.id });
    const parent = await s.request('task/get', { id: root.id });
    seen = `parent ${parent.status} (${parent.statusReason ?? ''}), sub-task ${found?.status} (${found?.statusReason ?? ''})`;
    return found?.status === 'completed' ? found : null;
  }, 'the sub-task completes', 120_000, () => seen);
  await until(async () => {
    const [container] = await labelled(`plue.task=${root.id}`);
    const top = container && await engineRequest(engine.socket, 'GET', `/containers/${container.Id}/top`);
    return top?.status === 200 && /sleep 20/.test(top.body);
  }, 'the parent sleeps in its container', 60_000);
  const applied = await s.request('task/applyChanges', { id: child.id });
  assert.deepEqual(applied.conflicts, []);
  const done = await until(async () => {
    const now = await s.request('task/get', { id: root.id });
    return ['completed', 'failed'].includes(now.status) ? now : null;
  }, 'the parent ends', 120_000);
  assert.equal(done.status, 'completed', done.statusReason);
  assert.equal(done.container.state, 'removed', done.container.reason);
  const changes = await s.request('task/changes', { id: root.id });
  assert.deepEqual(changes.files.map((f) => f.path).sort(), ['f.txt', 'own.txt'], 'the sub-task\'s change applied here and its own both come back');
  const merged = await s.request('task/applyChanges', { id: root.id });
  assert.deepEqual(merged.conflicts, []);
  assert.equal(fs.readFileSync(path.join(workspace, 'f.txt'), 'utf8'), 'one\ntwo\nTHREE (the sub-task)\n', 'a tracked file changed here while the task ran is not reset by its work coming back');
  assert.equal(fs.readFileSync(path.join(workspace, 'own.txt'), 'utf8'), 'from the parent\n');
  assert.deepEqual(await labelled('plue.task'), []);
});

test('an orchestrator on the TLS engine runs a sub-task there from a bundle; the sub-task\'s branch comes back, the orchestrator merges it and the tree\'s work merges into the workspace', { skip, timeout: 300_000 }, async (t) => {
  const script = ({ body }) => {
    const messages = JSON.parse(body).messages;
    const goal = JSON.stringify(messages.find((m) => m.role === 'user')?.content ?? '');
    const tools = messages.filter((m) => m.role === 'tool').map((m) => JSON.stringify(m.content));
    if (goal.includes('CHILD')) {
      if (tools.length === 0) return { calls: [{ name: 'write', args: { path: 'child.txt', content: 'from the sub-task\n' } }] };
      if (tools.length === 1) return { bash: 'git add child.txt && git commit -q -m "the sub-task commits" && echo SUB-COMMITTED' };
      return { words: ['wrote it'] };
    }
    if (tools.length === 0) return { calls: [{ name: 'spawn_task', args: { template: 'task-code-writer', title: 'Child', goal: 'CHILD: write child.txt' } }] };
    if (tools.length === 1) {
      const ref = /merge_changes \{\\+"task\\+": \\+"([^"\\]+)\\+"\}/.exec(tools[0]);
      return ref ? { calls: [{ name: 'merge_changes', args: { task: ref[1] } }] } : { words: [`no changes to merge: ${tools[0]}`] };
    }
    return { words: ['all done'] };
  };
  const { s, instance, workspace } = await start(t, script);
  const seen = inspectAll(t);
  const root = await s.request('task/start', { templateId: 'task-orchestrator', prompt: 'ORCH', providerRef: instance.id, modelId: 'gpt-5-mini', fields: onTls });
  const done = await until(async () => {
    const now = await s.request('task/get', { id: root.id });
    return ['completed', 'failed'].includes(now.status) ? now : null;
  }, 'the orchestrator ends', 240_000);
  assert.equal(done.status, 'completed', done.statusReason);
  const [child] = await s.request('task/list', { parentId: root.id });
  assert.equal(child.status, 'completed', child.statusReason);
  assert.equal(child.runs, 'container');
  assert.equal(child.container.engine, 'TLS engine');
  assert.equal(child.container.state, 'removed', child.container.reason);
  const said = JSON.stringify(await s.request('task/messages', { id: child.id }));
  assert.match(said, /SUB-COMMITTED/);
  const changes = await s.request('task/changes', { id: root.id });
  assert.deepEqual(changes.files.map((f) => f.path), ['child.txt'], 'the sub-task\'s branch came back and was merged into the orchestrator\'s');
  const merged = await s.request('task/applyChanges', { id: root.id });
  assert.deepEqual(merged.conflicts, []);
  assert.equal(fs.readFileSync(path.join(workspace, 'child.txt'), 'utf8'), 'from the sub-task\n');
  assert.equal(seen.size, 2, 'the orchestrator\'s container and its sub-task\'s');
  for (const body of seen.values()) assert.ok(!body.includes(providerKey) && !body.includes(vaultKey));
  assert.deepEqual(await labelled('plue.task'), []);
});

test('a task on the TLS engine runs its MCP stdio server and its hooks\' commands in its container, on the worktree copied there', { skip, timeout: 240_000 }, async (t) => {
  let results = [];
  const script = ({ body }) => {
    const tools = JSON.parse(body).messages.filter((m) => m.role === 'tool').map((m) => JSON.stringify(m.content));
    results = tools;
    if (tools.length === 0) return { calls: [{ name: 'mcp__box__where', args: {} }] };
    if (tools.length === 1) return { bash: 'echo SHOULD-NOT-RUN > ran.txt' };
    return { words: ['done'] };
  };
  const hooks = { hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: `echo "HOOK ${whereItRuns} first=$(head -1 f.txt)" >&2; exit 2` }] }] } };
  const { s, instance } = await start(t, script, {}, { 'mcp/box.sh': boxMcpServer, '.claude/settings.json': JSON.stringify(hooks) });
  await s.request('codex/create', { templateId: 'mcp-server', title: 'Box', slug: 'box', fields: { command: 'sh', args: ['mcp/box.sh'] } });
  const seen = inspectAll(t);
  const task = await s.request('task/start', { templateId: 'task-code-writer', prompt: 'REMOTE-MCP', providerRef: instance.id, modelId: 'gpt-5-mini', fields: { ...onTls, mcp_tools: ['mcp__box'] } });
  const done = await until(async () => {
    const now = await s.request('task/get', { id: task.id });
    return ['completed', 'failed'].includes(now.status) ? now : null;
  }, 'the task ends', 120_000);
  assert.equal(done.status, 'completed', done.statusReason);
  assert.match(results[0] ?? '', /BOX container cwd=\/\S+ home=\/tmp token= keys=0/, results[0]);
  assert.match(results[1] ?? '', /A PreToolUse hook blocked this call: HOOK container first=one/, results[1]);
  for (const [id, body] of seen) assert.ok(!body.includes(providerKey), `container ${id} holds the provider key`);
  await until(async () => (await labelled(`plue.task=${task.id}`)).length === 0, 'no container left', 30_000);
});
