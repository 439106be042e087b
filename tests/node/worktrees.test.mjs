// Writers beside each other through the real sidecar process: a loopback OpenAI server scripts an orchestrator that
// spawns three code writers putting their word on the same line of a committed file. Each works in its own git worktree
// under the home; their diffs come back (task/changes); one applies cleanly, the next conflicts with conflict markers,
// the third is discarded; afterwards no worktree is left and the tree's cost is what it was.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { committedRepository, fakeOpenAI, git, scratch, startSidecar, until } from '../faults/support/processes.mjs';

const words = { A: 'alpha', B: 'beta', C: 'gamma' };

/** The orchestrator spawns the three writers at once; each writer writes f.txt, then reports. */
function script({ body }) {
  const messages = JSON.parse(body).messages;
  const goal = JSON.stringify(messages.find((m) => m.role === 'user')?.content ?? '');
  const answered = messages.some((m) => m.role === 'assistant');
  if (goal.includes('ORCH')) {
    return answered ? { words: ['all', ' done'] } : {
      calls: Object.keys(words).map((w) => ({
        name: 'spawn_task',
        args: { template: 'task-code-writer', title: `Write ${w}`, goal: `WRITER-${w}: change f.txt` },
      })),
    };
  }
  const writer = Object.keys(words).find((w) => goal.includes(`WRITER-${w}`));
  return answered ? { words: [`wrote ${words[writer]}`] } : { calls: [{ name: 'write', args: { path: 'f.txt', content: `one\n${words[writer]}\nthree\n` } }] };
}

test('three writers on one region: each in its own worktree, diffs back, one clean, one conflicted, one discarded, no worktree left', async (t) => {
  const dir = scratch(t, 'plue-worktrees-');
  const workspace = path.join(dir, 'ws');
  const home = path.join(dir, 'home');
  committedRepository(workspace);
  const file = path.join(workspace, 'f.txt');

  const openai = await fakeOpenAI(t, script);
  const s = startSidecar(t, { home });
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  const asked = [];
  s.connection.onRequest('permission/request', (p) => { asked.push([p.tool, p.taskId]); return { decision: 'allow' }; });
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-worktrees-key' });
  const root = await s.request('task/start', { templateId: 'task-orchestrator', prompt: 'ORCH: have f.txt changed three ways', providerRef: instance.id, modelId: 'gpt-5-mini' });

  await until(async () => (await s.request('task/get', { id: root.id })).status === 'completed', 'the orchestrator completes', 60_000);
  const children = Object.fromEntries((await s.request('task/list', { parentId: root.id })).map((c) => [c.title.at(-1), c]));
  assert.deepEqual(Object.keys(children).sort(), ['A', 'B', 'C']);
  assert.equal(fs.readFileSync(file, 'utf8'), 'one\ntwo\nthree\n', 'nothing reached the workspace yet');
  for (const [w, child] of Object.entries(children)) {
    assert.equal(child.status, 'completed', `writer ${w}: ${child.statusReason ?? child.result ?? ''}`);
    assert.deepEqual(child.changes, [{ path: 'f.txt', change: 'modified' }]);
    assert.ok(child.worktree.startsWith(path.join(home, 'worktrees') + path.sep), child.worktree);
    const review = await s.request('task/changes', { id: child.id });
    assert.equal(review.folder, workspace);
    assert.match(review.patch, new RegExp(`^\\+${words[w]}$`, 'm'));
    assert.equal(fs.readFileSync(path.join(review.worktree, 'f.txt'), 'utf8'), `one\n${words[w]}\nthree\n`);
  }
  assert.deepEqual(asked.map(([tool]) => tool), ['write', 'write', 'write']);
  const before = await s.request('task/get', { id: root.id });

  const clean = await s.request('task/applyChanges', { id: children.A.id });
  assert.deepEqual([clean.files, clean.conflicts], [[{ path: 'f.txt', change: 'modified' }], []]);
  assert.equal(fs.readFileSync(file, 'utf8'), 'one\nalpha\nthree\n');
  const conflicted = await s.request('task/applyChanges', { id: children.B.id });
  assert.deepEqual(conflicted.conflicts, ['f.txt']);
  assert.match(fs.readFileSync(file, 'utf8'), /^<<<<<<< .*\nalpha\n=======\nbeta\n>>>>>>> /m);
  const discarded = await s.request('task/discardChanges', { id: children.C.id });
  assert.equal(discarded.changes, undefined);
  await assert.rejects(s.request('task/applyChanges', { id: children.C.id }), /no changes waiting/);

  assert.deepEqual(fs.readdirSync(path.join(home, 'worktrees')), []);
  assert.equal(git(workspace, 'worktree', 'list').trim().split('\n').length, 1);
  assert.equal(git(workspace, 'diff', '--cached', '--name-only'), '', "the user's index is untouched");
  const after = await s.request('task/get', { id: root.id });
  assert.deepEqual([after.totalCostUsd, after.totalUsage, after.childCount], [before.totalCostUsd, before.totalUsage, before.childCount]);
});
