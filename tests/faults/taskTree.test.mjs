// A task tree survives a crash: kill -9 of the sidecar while an orchestrator's sub-tasks stream, a new sidecar on the
// same home, and Resume of the orchestrator carries on every unfinished sub-task from what it kept, in the tree's
// order, so the whole tree finishes and its cost counts each token once.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scratch, startSidecar, until } from './support/processes.mjs';
import { startFakeOpenAI } from '../e2e/support/fakeOpenAI.mjs';

const vaultKey = Buffer.alloc(32, 7).toString('base64');
const children = ['a', 'b', 'c'];
const stoppedReason = 'The sidecar stopped while the task ran';

/** The goal a request's task was given: its first user message. */
const goalOf = (body) => JSON.stringify(body.messages.find((m) => m.role === 'user')?.content ?? '');

test('kill -9 mid-orchestration, a new sidecar, Resume: all three sub-tasks finish from what they kept, cost counted once', async (t) => {
  const dir = scratch(t);
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  const home = path.join(dir, 'home');
  let crashed = false;
  const served = []; // [who, usage] of every answer that streams to its end
  const firstRequestOf = {};
  const fake = await startFakeOpenAI({
    respond: (body, index) => {
      const goal = goalOf(body);
      const child = children.find((c) => goal.includes(`TREE-child-${c}`));
      if (!child) {
        const usage = body.messages.some((m) => m.role === 'tool') ? { prompt_tokens: 200, completion_tokens: 20 } : { prompt_tokens: 100, completion_tokens: 10 };
        served.push(['orchestrator', usage]);
        return body.messages.some((m) => m.role === 'tool')
          ? { text: 'All three reported.', gapMs: 0, usage }
          : {
            text: 'Three pieces.', gapMs: 0, usage,
            toolCalls: children.map((c) => ({ name: 'spawn_task', arguments: { template: 'task', title: `Piece ${c}`, goal: `TREE-child-${c}: write piece ${c}` } })),
          };
      }
      firstRequestOf[child] ??= index;
      // Before the crash a sub-task streams slowly and never ends; after it, it finishes at once.
      if (!crashed) return { text: Array.from({ length: 200 }, (_, i) => `${child}${i}`).join(' '), gapMs: 50 };
      const usage = { prompt_tokens: 30 + index, completion_tokens: 3 };
      served.push([child, usage, index]);
      return { text: `Piece ${child} is written.`, gapMs: 0, usage };
    },
  });
  t.after(() => fake.close());

  const first = startSidecar(t, { home });
  await first.initialize({ vaultKey, workspaceFolders: [workspace], trusted: true });
  const instance = await first.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: fake.endpoint, apiKey: 'loopback-tree-key' });
  const streamed = {};
  first.connection.onNotification('session/partDelta', (p) => { streamed[p.sessionId] = (streamed[p.sessionId] ?? '') + (p.delta ?? ''); });
  // Two at a time: a and b stream when the sidecar dies, c still waits for a slot.
  const orchestrator = await first.request('task/start', {
    templateId: 'task-orchestrator', prompt: 'TREE-ORCH: build three pieces', providerRef: instance.ref, modelId: 'loop-1',
    fields: { concurrency: 2, child_templates: ['task'] },
  });
  const tree = async (s) => s.request('task/list', { parentId: orchestrator.id });
  const started = await until(async () => {
    const list = await tree(first);
    const streaming = list.filter((c) => (streamed[c.id] ?? '').split(' ').length >= 15);
    return list.length === 3 && streaming.length === 2 ? list : null;
  }, 'two sub-tasks streaming, the third waiting');
  await first.kill9();
  crashed = true;
  const byGoal = Object.fromEntries(children.map((c) => [c, started.find((task) => task.goal.includes(`TREE-child-${c}`))]));
  assert.equal(byGoal.c.status, 'queued', 'the third waited for a slot');

  const second = startSidecar(t, { home });
  await second.initialize({ vaultKey, workspaceFolders: [workspace], trusted: true });
  // The first answer already tells the dead runs apart: none reads running or queued.
  const afterCrash = [await second.request('task/get', { id: orchestrator.id }), ...await tree(second)];
  for (const task of afterCrash) {
    assert.equal(task.status, 'cancelled', `${task.title} is ${task.status} after the crash`);
    assert.equal(task.statusReason, stoppedReason);
  }
  const kept = {};
  for (const c of ['a', 'b']) {
    const { messages } = await second.request('task/messages', { id: byGoal[c].id });
    kept[c] = messages.find((m) => m.role === 'assistant')?.parts.find((p) => p.kind === 'text')?.text ?? '';
    assert.ok(kept[c].length > 0, `sub-task ${c} kept its partial answer`);
  }

  await second.request('task/resume', { id: orchestrator.id });
  const done = await until(async () => {
    const task = await second.request('task/get', { id: orchestrator.id });
    return ['completed', 'failed', 'cancelled'].includes(task.status) ? task : null;
  }, 'the orchestrator ending', 60_000);
  assert.equal(done.status, 'completed', done.statusReason);
  assert.equal(done.result, 'All three reported.');

  const finished = await tree(second);
  assert.equal(finished.length, 3, 'no sub-task was started twice');
  for (const c of children) {
    const task = finished.find((f) => f.id === byGoal[c].id);
    assert.equal(task.status, 'completed', `sub-task ${c}: ${task.statusReason}`);
    assert.equal(task.result, `Piece ${c} is written.`);
  }
  // a and b went on from what they kept (their partial answer went back to the model); c began from its brief.
  const resumedRequest = (c) => fake.chats()[served.find(([who]) => who === c)[2]].body;
  for (const c of ['a', 'b']) assert.ok(JSON.stringify(resumedRequest(c)).includes(JSON.stringify(kept[c]).slice(1, -1)), `sub-task ${c} was sent what it kept`);
  assert.ok(!resumedRequest('c').messages.some((m) => m.role === 'assistant'), 'sub-task c had nothing to go on from');
  // In the tree's order: c got its slot only when a or b had finished.
  assert.ok(firstRequestOf.c > served.find(([who]) => who === 'a')[2] || firstRequestOf.c > served.find(([who]) => who === 'b')[2], 'c ran after a resumed one');

  // The orchestrator's spawn_task calls were answered with the sub-tasks' reports, not as interrupted.
  const last = fake.chats().at(-1).body;
  const results = last.messages.filter((m) => m.role === 'tool').map((m) => JSON.stringify(m.content));
  assert.equal(results.length, 3);
  for (const c of children) assert.ok(results.some((r) => r.includes(`Piece ${c} is written.`)), `the report of ${c} reached the orchestrator`);

  // Each token once: the tree's total is the sum of the answers that streamed to their end (the cut ones reported none).
  const sum = (pick) => served.reduce((total, [, usage]) => total + pick(usage), 0);
  assert.equal(done.totalUsage.input, sum((u) => u.prompt_tokens));
  assert.equal(done.totalUsage.output, sum((u) => u.completion_tokens));
});
