// Plan mode through the real sidecar process and a loopback OpenAI server that logs its requests: a Plan-mode turn is
// offered only the tools that read (the chat's own write and bash too are left out) and its system prompt asks for the
// checklist; a write it calls anyway is refused; the checklist it ends with is kept as the answer's plan part; Start
// (session/startPlan) puts the chat in Agent mode and sends a turn carrying the plan, which writes behind an approval and
// ticks its step off with plan_update; the tick is told live and survives a restart of the sidecar. `plue ask --mode plan`
// does the same from the command line and prints the plan.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fakeOpenAI, scratch, startSidecar } from '../faults/support/processes.mjs';
import { startFakeOpenAI } from '../e2e/support/fakeOpenAI.mjs';

const { plue, tempHome } = createRequire(import.meta.url)('./support/plue.js');

const toolNames = (request) => (JSON.parse(request.body).tools ?? []).map((t) => t.function.name).sort();
const systemText = (request) => JSON.parse(request.body).messages.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => JSON.stringify(m.content)).join('');
const lastUser = (request) => {
  const content = JSON.parse(request.body).messages.filter((m) => m.role === 'user').at(-1).content;
  return typeof content === 'string' ? content : content.map((c) => c.text).join('');
};
const planOf = async (s, id) => (await s.request('session/messages', { id })).messages.flatMap((m) => m.parts).filter((p) => p.kind === 'plan').at(-1);

const replies = [
  // Plan mode: a write it should not have, then the plan.
  { calls: [{ name: 'write', args: { path: 'notes.txt', content: 'changed by a plan\n' } }] },
  { words: ['Read notes.txt; it needs a greeting.\n\n', '- [ ] Add a greeting to notes.txt\n', '- [ ] Tell the user\n'] },
  // Agent mode, carrying the plan: the write (approved), the tick, the last word.
  { calls: [{ name: 'write', args: { path: 'notes.txt', content: 'hello\n' } }] },
  { calls: [{ name: 'plan_update', args: { steps: [1] } }] },
  { words: ['The greeting is in.'] },
];

test('Plan mode reads only and ends with a checklist; Start hands it to Agent mode, whose plan_update tick is live and kept', async (t) => {
  const dir = scratch(t, 'plue-plan-');
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, 'notes.txt'), 'notes\n');
  const openai = await fakeOpenAI(t, replies);
  const home = path.join(dir, 'home');
  const options = { vaultKey: Buffer.alloc(32, 9).toString('base64'), workspaceFolders: [workspace], trusted: true };
  const s = startSidecar(t, { home });
  await s.initialize(options);
  const asked = [];
  s.connection.onRequest('permission/request', (p) => { asked.push(p.toolName ?? p.tool); return { decision: 'allow' }; });
  const updates = [];
  s.connection.onNotification('session/messageUpdated', (p) => updates.push(p.message));

  const modes = await s.request('session/modes', {});
  const plan = modes.find((m) => m.id === 'mode-plan');
  assert.deepEqual([plan?.name, plan?.plans, plan?.tools], ['Plan', true, ['read', 'search']]);

  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-plan-0123456789' });
  let chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-plan', allowUnlisted: true });
  // The chat's own tools would change things: Plan mode leaves them out.
  chat = await s.request('codex/update', { id: chat.id, version: chat.version, fields: { available_tools: ['write', 'bash'] } });
  await s.request('session/setMode', { id: chat.id, mode: 'mode-plan' });

  const planned = await s.request('session/send', { sessionId: chat.id, text: 'Plan a greeting in notes.txt' });
  assert.equal(planned.status, 'complete');
  assert.deepEqual(toolNames(openai.requests[0]), ['read', 'search'], 'Plan mode offered a tool that changes things');
  assert.match(systemText(openai.requests[0]), /Plan mode/);
  assert.match(systemText(openai.requests[0]), /- \[ \] /, 'the system prompt does not ask for the checklist');
  const refused = (await s.request('session/messages', { id: chat.id })).messages.flatMap((m) => m.parts).find((p) => p.kind === 'tool_result');
  assert.equal(refused.isError, true);
  assert.match(refused.output, /not allowed/);
  assert.equal(fs.readFileSync(path.join(workspace, 'notes.txt'), 'utf8'), 'notes\n', 'Plan mode wrote a file');
  assert.deepEqual(asked, [], 'Plan mode asked to write');

  const part = planned.parts.find((p) => p.kind === 'plan');
  assert.deepEqual(part?.items, [{ text: 'Add a greeting to notes.txt', done: false }, { text: 'Tell the user', done: false }]);
  assert.equal(part.startedMode, undefined);

  await assert.rejects(s.request('session/startPlan', { sessionId: chat.id, messageId: planned.id, mode: 'mode-plan' }), /only plans and changes nothing/);
  const done = await s.request('session/startPlan', { sessionId: chat.id, messageId: planned.id });
  assert.equal(done.status, 'complete');
  assert.equal((await s.request('session/get', { id: chat.id })).mode, 'mode-agent');
  const handoff = openai.requests[2];
  assert.ok(toolNames(handoff).includes('plan_update'), `no plan_update in ${toolNames(handoff)}`);
  assert.ok(toolNames(handoff).includes('write'));
  assert.match(lastUser(handoff), /1\. \[ \] Add a greeting to notes\.txt\n2\. \[ \] Tell the user/);
  assert.match(systemText(handoff), /plan_update/);
  assert.deepEqual(asked.length, 1, 'the write was not asked for');
  assert.equal(fs.readFileSync(path.join(workspace, 'notes.txt'), 'utf8'), 'hello\n');
  // The model reads the plan as it stands after its tick.
  assert.match(openai.requests[4].body, /1 of 2 steps left:\\n1\. \[x\] Add a greeting/);

  const ticked = await planOf(s, chat.id);
  assert.equal(ticked.id, part.id);
  assert.equal(ticked.startedMode, 'mode-agent');
  assert.deepEqual(ticked.items.map((i) => i.done), [true, false]);
  const told = updates.filter((m) => m.id === planned.id).map((m) => m.parts.find((p) => p.kind === 'plan')?.items.map((i) => i.done));
  assert.deepEqual(told.at(-1), [true, false], 'the tick was not told as session/messageUpdated');
  await s.stop();

  // A restarted sidecar reads the plan, its tick and its start from the store.
  const again = startSidecar(t, { home });
  await again.initialize(options);
  const reopened = await planOf(again, chat.id);
  assert.deepEqual([reopened.startedMode, reopened.items.map((i) => i.done)], ['mode-agent', [true, false]]);
  await assert.rejects(again.request('session/startPlan', { sessionId: chat.id, messageId: planned.id }), /started already/);
  await assert.rejects(again.request('session/startPlan', { sessionId: chat.id, messageId: (await again.request('session/messages', { id: chat.id })).messages[0].id }), /has no plan to start/);
});

test('plue ask --mode plan offers only the tools that read, asks for the checklist and prints the plan', async (t) => {
  const fake = await startFakeOpenAI({ replies: [{ text: 'Two steps.\n\n- [ ] Add a greeting\n- [ ] Tell the user\n', gapMs: 1 }] });
  t.after(() => fake.close());
  const home = tempHome();
  const added = await plue(['instances', 'add', 'openai', '--name', 'Loopback', '--endpoint', fake.endpoint, '-m', 'loop-1', '--key-stdin'], { home, input: 'loopback-plan-cli-0123456789\n' });
  assert.equal(added.code, 0, added.stderr);

  const asked = await plue(['ask', '--mode', 'plan', 'plan a greeting'], { home });
  assert.equal(asked.code, 0, asked.stderr);
  assert.match(asked.stdout, /Plan \(0 of 2 done\):\n {2}1\. \[ \] Add a greeting\n {2}2\. \[ \] Tell the user\n/);
  assert.match(asked.stdout, /then \/start/);
  const sent = fake.chats()[0].body;
  assert.deepEqual((sent.tools ?? []).map((tool) => tool.function.name).sort(), ['read', 'search']);
  assert.match(JSON.stringify(sent.messages.filter((m) => m.role === 'system')), /- \[ \] /);

  const unknown = await plue(['ask', '--mode', 'sketch', 'plan a greeting'], { home });
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /No chat mode is called 'sketch'\. Known: Ask, Agent, Plan/);
});

test('the plan card and its copies agree: the "Carry out this plan" message and the Markdown export show the ticked steps', async (t) => {
  const dir = scratch(t, 'plue-plan-copy-');
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  const openai = await fakeOpenAI(t, [
    { words: ['Two steps.\n\n', '- [ ] Add a greeting to notes.txt\n', '- [ ] Tell the user\n'] },
    { calls: [{ name: 'plan_update', args: { steps: [1] } }] },
    { words: ['Step one is done.'] },
  ]);
  const s = startSidecar(t, { home: path.join(dir, 'home') });
  await s.initialize({ vaultKey: Buffer.alloc(32, 9).toString('base64'), workspaceFolders: [workspace], trusted: true });
  const updates = [];
  s.connection.onNotification('session/messageUpdated', (p) => updates.push(p.message));
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-plan-0123456789' });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-plan', allowUnlisted: true });
  await s.request('session/setMode', { id: chat.id, mode: 'mode-plan' });
  const planned = await s.request('session/send', { sessionId: chat.id, text: 'Plan a greeting' });
  await s.request('session/startPlan', { sessionId: chat.id, messageId: planned.id });

  const handoff = (await s.request('session/messages', { id: chat.id })).messages.find((m) => m.role === 'user' && /^Carry out this plan/.test(m.parts[0].text));
  assert.match(handoff.parts[0].text, /1\. \[x\] Add a greeting to notes\.txt\n2\. \[ \] Tell the user$/, 'the message Start sent keeps its empty boxes');
  assert.match(updates.filter((m) => m.id === handoff.id).at(-1)?.parts[0].text ?? '', /1\. \[x\] Add a greeting/, 'the ticked copy was not told to the window');
  // What the model read when it was sent is what Start sent: the plan as it stood.
  assert.match(JSON.stringify(JSON.parse(openai.requests[1].body).messages.at(-1)), /1\. \[ \] Add a greeting/);

  const { text } = await s.request('session/export', { id: chat.id });
  assert.match(text, /- \[x\] Add a greeting to notes\.txt\n- \[ \] Tell the user/, `the export shows the done step unticked:\n${text}`);
  assert.match(text, /1\. \[x\] Add a greeting to notes\.txt/);
});
