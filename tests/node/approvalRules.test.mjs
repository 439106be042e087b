// Approvals by readable rules, through every door: one rule set (a workspace grant allowing `npm test`, one denying
// `npm publish`) gives the same answer, recorded with the same deciding rule, in a chat and a task of the window's
// sidecar, in `plue ask --trust` and in `plue acp --trust`; a command no rule speaks of is asked in each. Then
// `plue approvals replay` prints each recorded call of a task with what the rules in force, and a rules file's, would
// give it, changing nothing. A loopback OpenAI server makes the model run the command its prompt names.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { acpClient, fakeProvider, lastMessage, spawnAcp, vaultKey } from '../support/acp.mjs';
import { scratch, startSidecar } from '../faults/support/processes.mjs';

const { plue } = createRequire(import.meta.url)('./support/plue.js');
const { within } = createRequire(import.meta.url)('./support/sidecar.js');

const commands = ['npm test', 'npm publish', 'npm run build'];

/** The model runs what follows RUN in the prompt, then says done. */
function script({ messages }) {
  const last = lastMessage(messages);
  if (last.role === 'tool') return { words: ['done'] };
  const run = /RUN (.+?)(?:\n|$)/.exec(last.content);
  return run ? { tool: 'bash', args: { command: run[1].trim() } } : { words: ['nothing to run'] };
}

/** [decision, source, rule] of each tool call's recorded approval in a transcript. */
const decisions = (messages) => messages.flatMap((m) => m.parts).filter((p) => p.kind === 'tool_use')
  .map((p) => [p.input?.command, p.approval?.decision, p.approval?.source, p.approval?.source === 'user' ? 'asked' : p.approval?.rule]);

test('one rule set gives the same answers in a chat, a task, plue ask and plue acp, and plue approvals replay weighs a task again', { timeout: 300_000 }, async (t) => {
  const dir = fs.realpathSync(scratch(t, 'plue-rules-'));
  const home = path.join(dir, 'home');
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  // private: npm publish refuses, should it ever run.
  fs.writeFileSync(path.join(workspace, 'package.json'), JSON.stringify({ name: 'rules', version: '1.0.0', private: true, scripts: { test: 'echo tested', build: 'echo built' } }));
  const provider = await fakeProvider(t, script);
  const s = startSidecar(t, { home, env: { PLUE_VAULT_KEY: vaultKey } });
  await s.initialize({ vaultKey, workspaceFolders: [workspace], trusted: true });
  const asked = [];
  s.connection.onRequest('permission/request', (p) => { asked.push(['window', p.input.command]); return { decision: 'deny' }; });
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: provider.endpoint, apiKey: 'loopback-rules-0123456789', defaultModel: 'gpt-rules' });
  const grant = (decision, prefix) => s.request('codex/create', { templateId: 'tool-grant', title: `${decision} ${prefix}`,
    fields: { scope: 'workspace', folders: [workspace], tool: 'bash', command_prefix: prefix, decision } });
  await grant('allow', 'npm test');
  await grant('deny', 'npm publish');
  const expected = [
    ['npm test', 'allow', 'workspace', 'grant: bash `npm test` in this workspace'],
    ['npm publish', 'deny', 'workspace', 'grant: bash `npm publish` in this workspace'],
    ['npm run build', 'deny', 'user', 'asked'],
  ];

  // A chat in the window.
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-rules', allowUnlisted: true });
  for (const command of commands) assert.equal((await s.request('session/send', { sessionId: chat.id, text: `RUN ${command}` })).status, 'complete');
  assert.deepEqual(decisions((await s.request('session/messages', { id: chat.id })).messages), expected, 'in a chat');

  // A task of the window, one per command.
  const taskIds = [];
  for (const command of commands) {
    const task = await s.request('task/start', { templateId: 'task', prompt: `RUN ${command}`, providerRef: instance.id, modelId: 'gpt-rules', allowUnlisted: true, fields: { available_tools: ['bash'] } });
    taskIds.push(task.id);
    await within(60_000, (async () => {
      while (['queued', 'running', 'waiting-approval'].includes((await s.request('task/get', { id: task.id })).status)) await new Promise((r) => setTimeout(r, 100));
    })(), `the task running ${command}`);
  }
  const taskMessages = [];
  for (const id of taskIds) taskMessages.push(...(await s.request('task/messages', { id })).messages);
  assert.deepEqual(decisions(taskMessages), expected, 'in a task');
  assert.deepEqual(asked, [['window', 'npm run build'], ['window', 'npm run build']], 'only the command no rule speaks of was asked');

  // plue ask, trusted, in the workspace: no terminal to ask on, so what is asked is denied.
  const known = new Set((await s.request('session/list', {})).map((c) => c.id));
  for (const command of commands) {
    const run = await plue(['ask', `RUN ${command}`, '-i', 'Loopback', '--trust'], { home, cwd: workspace, env: { PLUE_VAULT_KEY: vaultKey } });
    assert.equal(run.code, 0, run.stderr);
  }
  const asks = (await s.request('session/list', {})).filter((c) => !known.has(c.id)).sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)));
  assert.equal(asks.length, 3, 'each plue ask kept its chat');
  const askMessages = [];
  for (const c of asks) askMessages.push(...(await s.request('session/messages', { id: c.id })).messages);
  assert.deepEqual(decisions(askMessages).sort(), [...expected].sort(), 'in plue ask');
  for (const c of asks) known.add(c.id);

  // plue acp, trusted: the editor is asked what no rule decides, and says no.
  const agent = spawnAcp(t, { home, project: workspace, args: ['-m', 'gpt-rules', '--trust'] });
  const client = acpClient(agent, async () => ({ outcome: { outcome: 'selected', optionId: 'reject' } }));
  t.after(() => client.connection.close());
  const ctx = client.connection.agent;
  await within(30_000, ctx.request('initialize', { protocolVersion: 1, clientCapabilities: {} }), 'initialize');
  const session = await ctx.request('session/new', { cwd: workspace, mcpServers: [] });
  for (const command of commands) await within(60_000, ctx.request('session/prompt', { sessionId: session.sessionId, prompt: [{ type: 'text', text: `RUN ${command}` }] }), command);
  assert.deepEqual(client.questions.map((q) => q.toolCall.rawInput?.command), ['npm run build'], 'the editor was asked only what no rule decides');
  const acpChats = (await s.request('session/list', {})).filter((c) => !known.has(c.id));
  assert.equal(acpChats.length, 1);
  assert.deepEqual(decisions((await s.request('session/messages', { id: acpChats[0].id })).messages), expected, 'in plue acp');

  // Replay a task against the rules in force: each call with the rule that decides it now, as it was decided then.
  const [tested, published, built] = taskIds;
  const replay = await plue(['approvals', 'replay', tested, '--trust'], { home, cwd: workspace });
  assert.equal(replay.code, 0, replay.stderr);
  assert.match(replay.stdout, /1\. bash npm test: allowed by grant: bash `npm test` in this workspace/);
  // Untrusted, as in the window, no allow rule counts.
  const untrusted = await plue(['approvals', 'replay', tested], { home, cwd: workspace });
  assert.match(untrusted.stdout, /1\. bash npm test: would have asked \(grant: bash `npm test` in this workspace allows it, but the workspace is not trusted\)/);
  const byJson = async (id, args = []) => {
    const run = await plue(['approvals', 'replay', id, '--json', '--trust', ...args], { home, cwd: workspace });
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout);
  };
  const words = async (args) => [(await byJson(tested, args)).calls[0].words, (await byJson(published, args)).calls[0].words, (await byJson(built, args)).calls[0].words];
  assert.deepEqual(await words([]), ['allowed by grant: bash `npm test` in this workspace', 'denied by grant: bash `npm publish` in this workspace', 'would have asked']);
  const recorded = (await byJson(published)).calls[0].recorded;
  assert.deepEqual([recorded.decision, recorded.rule], ['deny', 'grant: bash `npm publish` in this workspace']);

  // ...and against a rules file that tightens npm test and allows the build: nothing runs, nothing is written.
  const file = path.join(dir, 'rules.json');
  fs.writeFileSync(file, '// tighter\n[{"tool": "bash", "commandPrefix": "npm test", "decision": "deny"}, {"tool": "bash", "commandPrefix": "npm run build"},]\n');
  assert.deepEqual(await words(['--rules', file]), ["denied by the rules file's deny bash `npm test`", 'would have asked', "allowed by the rules file's allow bash `npm run build`"]);
  assert.equal((await s.request('permissions/list', {})).grants.length, 2, 'the replay changed no grant');
  assert.equal(fs.existsSync(path.join(workspace, 'node_modules')), false);

  // A rules file that is not one says where and what to write.
  fs.writeFileSync(file, '[{"tool": "bash",\n  "decision": maybe}]');
  const bad = await plue(['approvals', 'replay', tested, '--rules', file, '--trust'], { home, cwd: workspace });
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /is not a rules file at line 2, column \d+: each rule is an object with a "tool"/);
  assert.doesNotMatch(bad.stderr, / {3}at /, 'no stack trace');
});
