// Two windows on one Plue home: a chat answering or a task running in one window's sidecar is not deleted from
// the other's (whose own bookkeeping knows nothing of them), and is once that sidecar is gone.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startFakeOpenAI } from '../e2e/support/fakeOpenAI.mjs';
import { until } from '../faults/support/processes.mjs';

const { startSidecar } = createRequire(import.meta.url)('./support/sidecar');
const vaultKey = Buffer.alloc(32, 7).toString('base64');

test('a chat answering and a task running in another window are not deleted, and are once that window is gone', async (t) => {
  // Every answer is held: the chat stays answering and the task running for as long as the test needs.
  const fake = await startFakeOpenAI({ models: ['gpt-5-mini'], respond: () => ({ before: new Promise(() => {}) }) });
  const first = startSidecar();
  t.after(async () => { await fake.close(); await first.stop(); });
  await first.initialize({ vaultKey });
  const instance = await first.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: fake.endpoint, apiKey: 'sk-node-other-window' });
  const chat = await first.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'gpt-5-mini' });
  first.connection.sendRequest('session/send', { sessionId: chat.id, text: 'Count the TODO comments' }).catch(() => {});
  const task = await first.connection.sendRequest('task/start', { templateId: 'task', title: 'Held', prompt: 'Count the FIXME comments', providerRef: instance.ref, modelId: 'gpt-5-mini' });
  await until(() => fake.chats().length >= 2, 'both requests at the provider');

  const second = startSidecar({ home: first.home });
  t.after(() => second.stop());
  await second.initialize({ vaultKey });
  for (const [what, id] of [['chat', chat.id], ['task', task.id]]) {
    await assert.rejects(second.connection.sendRequest('codex/delete', { id }), (e) => {
      assert.equal(e.code, -32602, `${what}: invalid params, not ${e.code}`);
      assert.match(e.message, new RegExp(`The ${what} is (answering|running) in another window`), e.message);
      return true;
    });
    assert.equal((await second.connection.sendRequest('codex/get', { id })).id, id, `the refused delete kept the ${what}`);
  }

  // Its sidecar gone, the chat and the task are left as it left them (streaming, running) and may go.
  first.child.kill('SIGKILL');
  await first.exited;
  await second.connection.sendRequest('codex/delete', { id: chat.id });
  await second.connection.sendRequest('codex/delete', { id: task.id });
  const left = (await second.connection.sendRequest('codex/list', {})).items.filter((r) => r.id === chat.id || r.id === task.id);
  assert.deepEqual(left, []);
});
