// A task's queue through the real sidecar process: a message sent while the task's model call streams waits in the
// task's queue (task/queue, told by session/queueChanged with the task's id), can be edited and removed there
// (session/queueEdit, session/queueRemove, the chats' own), and is sent when the turn ends: the model's next call reads
// it, and the run does not complete before. One can be sent at once instead (task/steerQueued). A queue outlives a
// restart of the sidecar: the resumed run sends it. The loopback model holds its first answer until the test lets go.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { scratch, startSidecar, until } from '../faults/support/processes.mjs';

const vaultKey = Buffer.alloc(32, 3).toString('base64');

/** A loopback chat/completions server whose every first request of a run waits for `release()`; each request's last user text is kept. */
async function heldModel(t) {
  const seen = [];
  let release;
  let held = new Promise((resolve) => { release = resolve; });
  const chunk = (delta, finish = null) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', async () => {
      const users = (JSON.parse(body).messages ?? []).filter((m) => m.role === 'user')
        .map((m) => (typeof m.content === 'string' ? m.content : m.content.map((c) => c.text ?? '').join('')));
      seen.push(users);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk({ role: 'assistant', content: 'Working' }));
      if (seen.length === 1) await held;
      res.write(chunk({ content: ` (call ${seen.length})` }));
      res.write(chunk({}, 'stop'));
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => { release(); server.closeAllConnections(); server.close(); });
  return {
    endpoint: `http://127.0.0.1:${server.address().port}/v1`,
    seen,
    release: () => release(),
    /** The next run's first request is held again. */
    rearm: () => { seen.length = 0; held = new Promise((resolve) => { release = resolve; }); },
  };
}

async function taskOn(t, home, env = {}) {
  const s = startSidecar(t, { home, env: { PLUE_VAULT_KEY: vaultKey, ...env } });
  await s.initialize({ vaultKey, workspaceFolders: [], trusted: true });
  const told = [];
  s.connection.onNotification('session/queueChanged', (p) => told.push(p));
  return { s, told };
}

const userTexts = async (s, id) => (await s.request('task/messages', { id })).messages.filter((m) => m.role === 'user')
  .map((m) => m.parts.filter((p) => p.kind === 'text').map((p) => p.text).join(''));

const settled = (s, id) => until(async () => !['queued', 'running', 'waiting-approval'].includes((await s.request('task/get', { id })).status), 'the task to end', 60_000);

test('a message sent while a task streams is queued, edited or removed there, and sent when the turn ends', async (t) => {
  const home = path.join(scratch(t, 'plue-task-queue-'), 'home');
  const model = await heldModel(t);
  const { s, told } = await taskOn(t, home);
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: model.endpoint, apiKey: 'loopback-queue-0123456789', defaultModel: 'gpt-queue' });
  const task = await s.request('task/start', { templateId: 'task', prompt: 'Write the report', providerRef: instance.id, modelId: 'gpt-queue', allowUnlisted: true, fields: { available_tools: [] } });
  await until(() => model.seen.length === 1, 'the model call to start');

  const first = await s.request('task/enqueue', { id: task.id, text: 'First note' });
  const second = await s.request('task/enqueue', { id: task.id, text: 'Second note' });
  assert.deepEqual((await s.request('task/queue', { id: task.id })).map((q) => q.text), ['First note', 'Second note']);
  assert.equal(told.at(-1).sessionId, task.id, 'the queue is told with the task\'s id');
  await s.request('session/queueEdit', { id: second.id, text: 'Second note, edited' });
  assert.deepEqual(await s.request('session/queueRemove', { id: first.id }), { deleted: true });
  // Each change is told alone, never the whole queue.
  assert.deepEqual(told.slice(-2).map(({ edited, removed, count }) => ({ edited: edited?.text, removed, count })),
    [{ edited: 'Second note, edited', removed: undefined, count: 2 }, { edited: undefined, removed: first.id, count: 1 }]);
  assert.ok(!(await userTexts(s, task.id)).some((text) => text.includes('note')), 'nothing queued is in the transcript yet');

  model.release();
  await settled(s, task.id);
  assert.equal((await s.request('task/get', { id: task.id })).status, 'completed');
  assert.equal(model.seen.length, 2, 'the run read the queue before completing: a second model call');
  assert.equal(model.seen[1].at(-1), 'Second note, edited', 'the edited message was sent when the turn ended');
  assert.ok(!model.seen[1].includes('First note'), 'a removed message is never sent');
  assert.deepEqual(await s.request('task/queue', { id: task.id }), []);
  assert.deepEqual({ removed: told.at(-1).removed, count: told.at(-1).count }, { removed: second.id, count: 0 });
  const refused = await s.request('task/enqueue', { id: task.id, text: 'Too late' }).then(() => null, (e) => e);
  assert.match(refused?.message ?? '', /is not running \(it is completed\); resume it/);
});

test('a queued task message sent at once as a steer; a queue outlives a restart and the resumed run sends it', async (t) => {
  const home = path.join(scratch(t, 'plue-task-queue-'), 'home');
  const model = await heldModel(t);
  const first = await taskOn(t, home);
  const instance = await first.s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: model.endpoint, apiKey: 'loopback-queue-0123456789', defaultModel: 'gpt-queue' });
  const task = await first.s.request('task/start', { templateId: 'task', prompt: 'Write the report', providerRef: instance.id, modelId: 'gpt-queue', allowUnlisted: true, fields: { available_tools: [] } });
  await until(() => model.seen.length === 1, 'the model call to start');

  const steer = await first.s.request('task/enqueue', { id: task.id, text: 'Steer: mention the tests' });
  await first.s.request('task/enqueue', { id: task.id, text: 'Kept for later' });
  await first.s.request('task/steerQueued', { id: steer.id });
  assert.equal((await userTexts(first.s, task.id)).at(-1), 'Steer: mention the tests', 'the steer is in the transcript at once, while the call still streams');
  assert.deepEqual((await first.s.request('task/queue', { id: task.id })).map((q) => q.text), ['Kept for later']);

  // The sidecar stops mid-call: the task is stopped, its queue kept.
  await first.s.stop();
  const second = await taskOn(t, home);
  assert.deepEqual((await second.s.request('task/queue', { id: task.id })).map((q) => q.text), ['Kept for later'], 'the queue outlived the restart');
  model.rearm();
  model.release();
  await second.s.request('task/resume', { id: task.id });
  await settled(second.s, task.id);
  assert.deepEqual(await second.s.request('task/queue', { id: task.id }), []);
  assert.ok(model.seen.some((users) => users.at(-1) === 'Kept for later'), `the resumed run sent the queued message: ${JSON.stringify(model.seen)}`);
  assert.ok(model.seen.every((users) => users.includes('Steer: mention the tests')), 'the steer stays in the transcript');
});

test('a message to a running task typed as /name args sends the command\'s body with the arguments, and says its model stays the task\'s', async (t) => {
  const home = path.join(scratch(t, 'plue-task-queue-command-'), 'home');
  const user = path.join(path.dirname(home), 'user');
  fs.mkdirSync(path.join(user, '.claude', 'commands'), { recursive: true });
  fs.writeFileSync(path.join(user, '.claude', 'commands', 'note.md'), '---\ndescription: Leave a note\nmodel: gpt-other\n---\nNOTE-BODY: keep $ARGUMENTS in mind\n');
  const model = await heldModel(t);
  const { s } = await taskOn(t, home, { HOME: user });
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: model.endpoint, apiKey: 'loopback-queue-command-0123456789', defaultModel: 'gpt-queue' });
  const task = await s.request('task/start', { templateId: 'task', prompt: 'Write the report', providerRef: instance.id, modelId: 'gpt-queue', allowUnlisted: true, fields: { available_tools: [] } });
  await until(() => model.seen.length === 1, 'the model call to start');
  await s.request('task/enqueue', { id: task.id, text: '/note the deadline' });
  model.release();
  await settled(s, task.id);
  assert.ok(model.seen.at(-1).some((text) => text === 'NOTE-BODY: keep the deadline in mind'), `the body was sent: ${JSON.stringify(model.seen.at(-1))}`);
  const { messages } = await s.request('task/messages', { id: task.id });
  const part = messages.filter((m) => m.role === 'user').flatMap((m) => m.parts).find((p) => p.command);
  assert.deepEqual([part.command.name, part.command.arguments], ['note', 'the deadline']);
  assert.deepEqual(part.command.notes, ['not applied to a running task, which keeps its own: model']);
});
