// Issue 68 item 8: a spend cap holds with parallel sub-tasks. An orchestrator with a $0.10 cap starts two sub-tasks at
// once on a slow loopback model with no known price (its tokens count at the task's unpriced_usd_per_million). Each
// sub-task's answer alone would cost $0.10 or more, so before the calls in flight were counted against what is left,
// both streamed to the whole cap (the tree reached about twice it); now they share it, and the tree stops within one
// streamed piece of its cap, the orchestrator paused with its sub-tasks.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { startSidecar, within, root } = require('./support/sidecar');

const cap = 0.10;
const pieces = 10_000; // "abcd " each: 50,000 characters, about 12,500 tokens, $0.125 at $10 per million

test('a tree with a $0.10 cap and two parallel sub-tasks on a slow unpriced model stops under $0.12, the orchestrator paused with them', async (t) => {
  const { startFakeOpenAI } = await import(path.join(root, 'tests', 'e2e', 'support', 'fakeOpenAI.mjs'));
  const goalOf = (body) => JSON.stringify(body.messages.find((m) => m.role === 'user')?.content ?? '');
  const fake = await startFakeOpenAI({
    respond: (body) => {
      if (/CAPTREE-child/.test(goalOf(body))) {
        // Usage as the stream would have it: the cap counts what streamed when the stream is cut before it.
        return { text: 'abcd '.repeat(pieces), gapMs: 1, usage: { prompt_tokens: 1_000, completion_tokens: pieces * 2 } };
      }
      const usage = { prompt_tokens: 100, completion_tokens: 10 };
      return body.messages.some((m) => m.role === 'tool')
        ? { text: 'Both reported.', gapMs: 0, usage }
        : { text: 'Two pieces.', gapMs: 0, usage, toolCalls: ['a', 'b'].map((c) => ({ name: 'spawn_task', arguments: { template: 'task', title: `Piece ${c}`, goal: `CAPTREE-child-${c}: write piece ${c}` } })) };
    },
  });
  const s = startSidecar();
  t.after(async () => { fake.close(); await s.stop(); });
  await s.initialize({ vaultKey: Buffer.alloc(32, 9).toString('base64') });
  const instance = await s.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: fake.endpoint, apiKey: 'loopback-node-captree-0123456789', retry: { maxAttempts: 1 } });

  let asked;
  const question = new Promise((resolve) => {
    s.connection.onRequest('permission/request', async (p) => {
      const tree = [await s.connection.sendRequest('task/get', { id: p.taskId }), ...await s.connection.sendRequest('task/list', { parentId: p.taskId })];
      resolve(asked = { params: p, tree });
      return { decision: 'deny' }; // the user's Stop
    });
  });
  const orchestrator = await s.connection.sendRequest('task/start', {
    templateId: 'task-orchestrator', title: 'Capped tree', prompt: 'CAPTREE: two pieces at once', providerRef: instance.ref, modelId: 'loop-1',
    fields: { spend_cap_usd: cap, unpriced_usd_per_million: 10, concurrency: 2, child_templates: ['task'] },
  });
  await within(120_000, question, 'the orchestrator asking to raise its cap');

  assert.equal(asked.params.tool, 'spend_cap');
  const [root_, ...children] = asked.tree;
  assert.equal(root_.id, orchestrator.id);
  assert.equal(children.length, 2);
  // Both streamed at once: each sent its request before either ended.
  const childRequests = fake.chats().filter((c) => /CAPTREE-child/.test(goalOf(c.body)));
  assert.equal(childRequests.length, 2, 'one call per sub-task: none started a second call past the cap');
  assert.equal(root_.status, 'paused', `the orchestrator is ${root_.status}: ${root_.statusReason}`);
  for (const child of children) assert.equal(child.status, 'paused', `${child.title} is ${child.status}: ${child.statusReason}`);
  const counted = root_.capCountedUsd;
  assert.ok(counted >= cap && counted < 0.12, `the tree counted $${counted} against its $${cap} cap`);
  // The two shared the cap: neither had it all.
  const spentBy = await Promise.all(children.map((c) => s.connection.sendRequest('task/messages', { id: c.id })));
  const streamed = spentBy.map((page) => page.messages.find((m) => m.role === 'assistant')?.parts.filter((p) => p.kind === 'text').map((p) => p.text).join('').length ?? 0);
  assert.ok(streamed.every((n) => n > 0), `both streamed: ${streamed}`);
});
