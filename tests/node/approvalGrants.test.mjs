// Approvals by pattern through the real sidecar process: a loopback OpenAI server makes a chat run the command its
// user typed; "Always allow `npm test` in this workspace" becomes a tool-grant record (told by codex/changed) that lets
// `npm test` run without asking while `npm publish` still asks; each call's tool_use part names the rule that decided
// it; revoking the grant (permissions/reset by id) makes `npm test` ask again.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fakeOpenAI, scratch, startSidecar } from '../faults/support/processes.mjs';

test('an "Always allow `npm test`" grant runs npm test without asking, npm publish still asks, and revoking it asks again', async (t) => {
  const dir = scratch(t, 'plue-grants-');
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  // private: npm publish refuses, should it ever run.
  fs.writeFileSync(path.join(workspace, 'package.json'), JSON.stringify({ name: 'grants', version: '1.0.0', private: true, scripts: { test: 'echo tested' } }));
  // The user's text is the command to run; the request carrying its result gets a plain answer.
  const openai = await fakeOpenAI(t, ({ body }) => {
    const last = JSON.parse(body).messages.at(-1);
    return last.role === 'user' ? { bash: typeof last.content === 'string' ? last.content : last.content.map((c) => c.text).join('') } : { words: ['done'] };
  });
  const s = startSidecar(t, { home: path.join(dir, 'home') });
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  const asked = [];
  let answer = (p) => ({ decision: 'allowAlways', scope: 'workspace', commandPrefix: p.suggestedPrefix });
  s.connection.onRequest('permission/request', (p) => { asked.push(p.input.command); return answer(p); });
  const changed = [];
  s.connection.onNotification('codex/changed', (c) => changed.push(c));
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-grants-0123456789' });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-grants', allowUnlisted: true });
  await s.request('codex/update', { id: chat.id, version: chat.version, fields: { available_tools: ['bash'] } });
  const lastCall = async () => (await s.request('session/messages', { id: chat.id })).messages.flatMap((m) => m.parts).filter((p) => p.kind === 'tool_use').at(-1);

  assert.equal((await s.request('session/send', { sessionId: chat.id, text: 'npm test' })).status, 'complete');
  assert.deepEqual(asked, ['npm test']);
  const made = await lastCall();
  assert.equal(made.approval.decision, 'allow');
  assert.equal(made.approval.source, 'user');
  assert.match(made.approval.rule, /you allowed it always \(grant: bash `npm test` in this workspace\)/);
  const { grants } = await s.request('permissions/list', {});
  assert.equal(grants.length, 1);
  assert.deepEqual([grants[0].scope, grants[0].tool, grants[0].commandPrefix, grants[0].what, grants[0].current], ['workspace', 'bash', 'npm test', 'bash `npm test`', true]);
  const told = changed.find((c) => c.id === grants[0].id);
  assert.equal(told?.view?.kind, 'tool-grant');
  assert.equal(told.view.grant.commandPrefix, 'npm test');

  answer = () => ({ decision: 'deny' });
  assert.equal((await s.request('session/send', { sessionId: chat.id, text: 'npm test' })).status, 'complete');
  assert.deepEqual(asked, ['npm test'], 'npm test ran without asking');
  const granted = await lastCall();
  assert.equal(granted.state, 'completed');
  assert.deepEqual([granted.approval.decision, granted.approval.source, granted.approval.grantId], ['allow', 'workspace', grants[0].id]);
  assert.equal(granted.approval.rule, 'grant: bash `npm test` in this workspace');

  await s.request('session/send', { sessionId: chat.id, text: 'npm publish' });
  await s.request('session/send', { sessionId: chat.id, text: 'npm test && npm publish' });
  assert.deepEqual(asked, ['npm test', 'npm publish', 'npm test && npm publish']);
  const denied = await lastCall();
  assert.equal(denied.state, 'denied');
  assert.deepEqual([denied.approval.decision, denied.approval.source], ['deny', 'user']);

  assert.deepEqual(await s.request('permissions/reset', { id: grants[0].id }), { removed: 1 });
  assert.deepEqual((await s.request('permissions/list', {})).grants, []);
  answer = () => ({ decision: 'allow' });
  await s.request('session/send', { sessionId: chat.id, text: 'npm test' });
  assert.deepEqual(asked, ['npm test', 'npm publish', 'npm test && npm publish', 'npm test']);
  assert.equal((await lastCall()).approval.rule, 'you allowed it once');
  // Revoked is a delete: the grant's history keeps it.
  assert.ok((await s.request('codex/history', { id: grants[0].id })).length >= 2);
});
