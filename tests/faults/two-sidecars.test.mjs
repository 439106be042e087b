// Two sidecars on one PLUE_HOME (two VS Code windows): the second one's start-up recovery takes only what a dead
// sidecar left (its streaming reply, its running task), never the live first one's.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chatOn, fakeOpenAI, scratch, startSidecar, until } from './support/processes.mjs';

const vaultKey = Buffer.alloc(32, 7).toString('base64');

/** A chat reply streaming (its first words arrived) and a task whose bash command runs, on sidecar `s`. */
async function busy(s, workspace, slow) {
  const { instance, session } = await chatOn(s, slow.endpoint);
  let received = '';
  s.connection.onNotification('session/partDelta', (p) => { if (p.sessionId === session.id) received += p.delta; });
  const reply = s.request('session/send', { sessionId: session.id, text: 'count slowly' });
  reply.catch(() => { /* a killed sidecar never answers */ });
  const marker = path.join(workspace, `ran-${s.pid}`);
  const task = await s.request('task/start', {
    templateId: 'task', prompt: 'wait', providerRef: instance.ref, modelId: 'gpt-faults',
    fields: { available_tools: ['bash'], auto_approve: ['bash'] },
  });
  // The fake's second request (the task's) calls bash: `touch` shows the command runs, `sleep` keeps it running.
  await until(() => received.length > 0 && fs.existsSync(marker), 'the reply streaming and the task running its command');
  return { session, task, reply, marker, received: () => received };
}

test('a second sidecar on the same home marks only a dead sidecar\'s reply interrupted and task cancelled, never a live one\'s', async (t) => {
  const dir = scratch(t);
  const home = path.join(dir, 'home');
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  const options = { vaultKey, workspaceFolders: [workspace], trusted: true };
  // The chat's reply: 20 words, then held open until the test ends it; the task's first turn: a minute's bash command.
  let release;
  const hold = new Promise((resolve) => { release = resolve; });
  t.after(() => release());
  // The chat asks to count (a new chat has tools too, in the Agent mode); the task waits, running bash.
  const fake = (marker) => fakeOpenAI(t, ({ body }) => body.includes('count slowly')
    ? { words: Array.from({ length: 20 }, (_, i) => `w${i} `), gapMs: 20, hold }
    : body.includes('"tool"') ? { words: ['done'] } : { bash: `touch ${marker}; sleep 60` });

  // A live sidecar with a reply streaming and a task running.
  const live = startSidecar(t, { home });
  await live.initialize(options);
  const work = await busy(live, workspace, await fake(path.join(workspace, `ran-${live.pid}`)));

  // A sidecar busy the same way that dies (after the live one's start-up): the second one must clean up after it.
  const dead = startSidecar(t, { home });
  await dead.initialize(options);
  const doomed = await busy(dead, workspace, await fake(path.join(workspace, `ran-${dead.pid}`)));
  await dead.kill9();

  const second = startSidecar(t, { home });
  await second.initialize(options);
  await second.request('session/list', {});
  // Its recovery ran (it found exactly the dead sidecar's message and task)...
  await until(() => /1 message\(s\) left streaming by a stopped sidecar are marked interrupted/.test(second.stderr()), 'the recovery of the dead sidecar\'s message', 20_000, second.stderr);
  await until(() => /1 task\(s\) left running by a stopped sidecar are marked cancelled/.test(second.stderr()), 'the recovery of the dead sidecar\'s task', 20_000, second.stderr);
  const deadMessages = await second.request('session/messages', { id: doomed.session.id });
  assert.equal(deadMessages.messages.at(-1).status, 'interrupted');
  assert.equal((await second.request('task/get', { id: doomed.task.id })).status, 'cancelled');

  // ...and left the live sidecar's reply streaming and its task running.
  const liveMessages = await second.request('session/messages', { id: work.session.id });
  assert.equal(liveMessages.messages.at(-1).status, 'streaming', 'the live window\'s reply must still be streaming');
  assert.equal((await second.request('task/get', { id: work.task.id })).status, 'running', 'the live window\'s task must still run');

  // The live sidecar finishes its reply whole and still controls its task.
  release();
  const answer = await work.reply;
  assert.equal(answer.status, 'complete');
  assert.equal(answer.parts[0].text.trim().split(' ').length, 20);
  await live.request('task/interrupt', { id: work.task.id });
  assert.equal((await second.request('task/get', { id: work.task.id })).status, 'cancelled');
});
