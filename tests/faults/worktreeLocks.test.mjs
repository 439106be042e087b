// A finished writer's worktree under load through the real sidecar: concurrent reads of its changes (the Agent Tasks
// view reading while the run settles or the orchestrator merges) never collide on git's index.lock; a stale
// index.lock left by a killed git is removed (and said in the log) instead of blocking Review and Apply for good; a git
// that fails answers with what to do, never -32603.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { committedRepository, fakeOpenAI, scratch, startSidecar, until } from './support/processes.mjs';

/** The orchestrator spawns one writer in its own worktree; the writer writes f.txt, then reports. */
function script({ body }) {
  const messages = JSON.parse(body).messages;
  const goal = JSON.stringify(messages.find((m) => m.role === 'user')?.content ?? '');
  const answered = messages.some((m) => m.role === 'assistant');
  if (goal.includes('ORCH')) {
    return answered ? { words: ['done'] } : {
      calls: [{ name: 'spawn_task', args: { template: 'task-code-writer', title: 'Writer', goal: 'WRITER: change f.txt', isolation: 'worktree' } }],
    };
  }
  return answered ? { words: ['wrote'] } : { calls: [{ name: 'write', args: { path: 'f.txt', content: 'one\nchanged\nthree\n' } }] };
}

/** A sidecar on a fresh repository with one finished writer whose changes wait in its worktree. */
async function finishedWriter(t) {
  const dir = scratch(t, 'plue-worktree-locks-');
  const workspace = path.join(dir, 'ws');
  const home = path.join(dir, 'home');
  committedRepository(workspace);
  const openai = await fakeOpenAI(t, script);
  const s = startSidecar(t, { home });
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  s.connection.onRequest('permission/request', () => ({ decision: 'allow' }));
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-locks-key' });
  const root = await s.request('task/start', { templateId: 'task-orchestrator', prompt: 'ORCH: change f.txt', providerRef: instance.id, modelId: 'gpt-5-mini' });
  await until(async () => (await s.request('task/get', { id: root.id })).status === 'completed', 'the orchestrator completes', 60_000);
  const [writer] = await s.request('task/list', { parentId: root.id });
  assert.deepEqual(writer.changes, [{ path: 'f.txt', change: 'modified' }]);
  // The worktree's own git folder, where its index and index.lock live.
  const gitDir = fs.readFileSync(path.join(writer.worktree, '.git'), 'utf8').match(/^gitdir: (.*)$/m)[1].trim();
  return { s, writer, workspace, gitDir };
}

test('10 concurrent task/changes on one finished writer, 5 rounds: every one answers the same patch', async (t) => {
  const { s, writer } = await finishedWriter(t);
  const failures = [];
  const patches = new Set();
  for (let round = 0; round < 5; round++) {
    const answers = await Promise.allSettled(Array.from({ length: 10 }, () => s.request('task/changes', { id: writer.id })));
    for (const answer of answers) {
      if (answer.status === 'rejected') failures.push(`${answer.reason.code} ${answer.reason.message}`);
      else patches.add(answer.value.patch);
    }
  }
  assert.deepEqual(failures, [], `${failures.length} of 50 failed`);
  assert.equal(patches.size, 1);
  assert.match([...patches][0], /^\+changed$/m);
});

test('a stale index.lock left by a killed git is removed and said in the log; Review and Apply work', async (t) => {
  const { s, writer, workspace, gitDir } = await finishedWriter(t);
  const lock = path.join(gitDir, 'index.lock');
  fs.writeFileSync(lock, ''); // what a git killed while it staged leaves
  const review = await s.request('task/changes', { id: writer.id });
  assert.match(review.patch, /^\+changed$/m);
  assert.equal(fs.existsSync(lock), false);
  await until(() => /stale index\.lock/.test(s.stderr()), 'the log says the stale lock was removed', 5_000, () => s.stderr());

  fs.writeFileSync(lock, '');
  const applied = await s.request('task/applyChanges', { id: writer.id });
  assert.deepEqual(applied.conflicts, []);
  assert.equal(fs.readFileSync(path.join(workspace, 'f.txt'), 'utf8'), 'one\nchanged\nthree\n');
});

test('a stale index.lock a killed sidecar left is removed at the next start', async (t) => {
  const { s, writer, workspace, gitDir } = await finishedWriter(t);
  await s.kill9();
  const lock = path.join(gitDir, 'index.lock');
  fs.writeFileSync(lock, '');
  const again = startSidecar(t, { home: s.home });
  await again.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  await until(() => !fs.existsSync(lock) && /stale index\.lock/.test(again.stderr()), 'recovery removes the stale lock and says so', 10_000, () => again.stderr());
  assert.match((await again.request('task/changes', { id: writer.id })).patch, /^\+changed$/m);
});

test('a git that fails in the worktree answers with what to do, never -32603', async (t) => {
  const { s, writer } = await finishedWriter(t);
  fs.rmSync(path.join(writer.worktree, '.git')); // the worktree is no longer a git checkout
  const error = await s.request('task/changes', { id: writer.id }).then(() => null, (e) => e);
  assert.ok(error, 'task/changes fails');
  assert.notEqual(error.code, -32603, error.message);
  assert.doesNotMatch(error.message, /Internal error/);
  assert.match(error.message, /discard/i, error.message);
});

/** Resolves to the request's answer (or its error), or to 'hung' when it has not answered within `ms`. */
const within = (request, ms) => Promise.race([request.then((v) => v, (e) => e), new Promise((r) => setTimeout(() => r('hung'), ms))]);

test('a FIFO in place of the worktree\'s .git file: task/changes answers in words instead of hanging', async (t) => {
  const { s, writer } = await finishedWriter(t);
  const dotGit = path.join(writer.worktree, '.git');
  fs.rmSync(dotGit);
  execFileSync('mkfifo', [dotGit]);
  const error = await within(s.request('task/changes', { id: writer.id }), 15_000);
  assert.notEqual(error, 'hung', 'task/changes answers');
  assert.ok(error instanceof Error, `task/changes fails: ${JSON.stringify(error)}`);
  assert.notEqual(error.code, -32603, error.message);
  assert.match(error.message, /Its changes are kept/, error.message);
  assert.ok(Array.isArray(await within(s.request('task/list', {}), 15_000)), 'the task list still answers');
});

test('a FIFO in place of a task\'s worktree record: the task views answer instead of hanging', async (t) => {
  const { s, writer } = await finishedWriter(t);
  const record = path.join(s.home, 'worktrees', writer.id, 'worktree.json');
  assert.ok(fs.existsSync(record), `the record is at ${record}`);
  fs.rmSync(record);
  execFileSync('mkfifo', [record]);
  const task = await within(s.request('task/get', { id: writer.id }), 15_000);
  assert.notEqual(task, 'hung', 'task/get answers');
  assert.equal(task.id, writer.id, JSON.stringify(task));
  const changes = await within(s.request('task/changes', { id: writer.id }), 15_000);
  assert.notEqual(changes, 'hung', 'task/changes answers');
  assert.ok(changes instanceof Error && changes.code !== -32603, `task/changes says there is nothing to review: ${JSON.stringify(changes)}`);
  assert.match(changes.message, /no changes waiting/, changes.message);
});
