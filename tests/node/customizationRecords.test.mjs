// Issue 44, item 1, one customization room: instructions, skills, commands, agents and agent hooks as Plue records
// (the real sidecar, a loopback provider logging requests): a record is used like a found file and wins its name over
// one; Copy to Plue makes an editable record with history and undo of a found file, which it then shadows; a file
// edited on disk is read again without a restart and customizations/changed tells it; the instructions files are read
// once per change, never at each turn.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { startSidecar, scratchFolder, within, root } = require('./support/sidecar.js');

const systemOf = (body) => body.messages.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('');
const userOf = (body) => body.messages.filter((m) => m.role === 'user').map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n');
const toolsOf = (body) => (body.tools ?? []).map((tool) => tool.function.name);

async function setUp(t, prefix, fakeOptions) {
  const { startFakeOpenAI } = await import(path.join(root, 'tests', 'e2e', 'support', 'fakeOpenAI.mjs'));
  const fake = await startFakeOpenAI(fakeOptions ?? { replies: [{ text: 'Done.', gapMs: 1 }] });
  t.after(() => fake.close());
  const base = scratchFolder(t, prefix);
  const workspace = path.join(base, 'workspace');
  const put = (relative, text) => {
    fs.mkdirSync(path.dirname(path.join(workspace, relative)), { recursive: true });
    fs.writeFileSync(path.join(workspace, relative), text);
  };
  return { fake, base, workspace, put };
}

async function start(t, { base, workspace, fake }, seed) {
  const s = startSidecar({ env: { HOME: path.join(base, 'nohome') } });
  t.after(() => s.stop());
  const changes = [];
  s.connection.onNotification('customizations/changed', (params) => changes.push(params.items));
  await s.initialize({ vaultKey: Buffer.alloc(32, seed).toString('base64'), workspaceFolders: [workspace], trusted: true });
  const instance = await s.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: fake.endpoint, apiKey: `loopback-node-records-${seed}-0123456789` });
  return { s, instance, changes };
}

const list = async (s) => (await s.connection.sendRequest('customizations/list', {})).items;

async function poll(what, read, ok) {
  return within(10_000, (async () => {
    for (;;) {
      const value = await read();
      if (ok(value)) return value;
      await new Promise((r) => setTimeout(r, 100));
    }
  })(), what);
}

test('records: an instruction, skill, command and agent record are used like found files, and a record wins a name over a file', async (t) => {
  const env = await setUp(t, 'plue-records-used-', {
    respond: (body) => (toolsOf(body).includes('skill') && !JSON.stringify(body.messages).includes('SKILL-RECORD-BODY')
      ? { toolCalls: [{ name: 'skill', arguments: { name: 'triage' } }], gapMs: 1 } : { text: 'Done.', gapMs: 1 }),
  });
  env.put('.claude/commands/review.md', '---\ndescription: From the file\n---\nFILE-REVIEW-BODY $ARGUMENTS\n');
  const { s, instance } = await start(t, env, 11);
  const create = (templateId, title, fields, slug) => s.connection.sendRequest('codex/create', { templateId, title, fields, slug });
  await create('instruction', 'House style', { body: 'RECORD-ALWAYS-RULE' });
  await create('instruction', 'Python style', { body: 'RECORD-PY-RULE', apply_to: ['**/*.py'] });
  await create('skill', 'Triage', { description: 'SKILL-RECORD-DESC sorts bug reports', body: 'SKILL-RECORD-BODY: label each report' });
  await create('command', 'Review', { description: 'Review with care', body: 'RECORD-REVIEW-BODY first=$1 all=[$ARGUMENTS]' });
  await create('agent', 'Auditor', { description: 'Audits code', body: 'AUDITOR-PROMPT', tools: ['Read', 'Grep'] });
  await create('agent-hook', 'Check bash', { event: 'PreToolUse', matcher: 'Bash', command: './check.sh' });

  const items = await list(s);
  const of = (layout) => items.filter((i) => i.layout === layout).map((i) => [i.kind, i.name, i.scope, i.status, i.description ?? null]);
  assert.deepEqual(of('plue-record'), [
    ['instructions', 'House style', 'user', 'used', 'always applies'],
    ['instructions', 'Python style', 'user', 'used', 'applies to **/*.py'],
    ['skill', 'triage', 'user', 'used', 'SKILL-RECORD-DESC sorts bug reports'],
    ['command', 'review', 'user', 'used', 'Review with care'],
    ['agent', 'auditor', 'user', 'used', 'Audits code'],
    ['agentHook', 'PreToolUse (Bash)', 'user', 'used', null],
  ]);
  assert.ok(items.filter((i) => i.layout === 'plue-record').every((i) => i.recordId && i.source.startsWith('codex://')), 'a record names its id and reference');
  const file = items.find((i) => i.layout === 'claude-commands');
  assert.equal(file.status, 'ignored');
  assert.match(file.reason, /^shadowed by the Plue record 'Review', which takes precedence/);

  const chat = await s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'loop-1', allowUnlisted: true });
  await s.connection.sendRequest('codex/update', { id: chat.id, version: chat.version, fields: { available_tools: ['read'] } });
  await s.connection.sendRequest('session/send', { sessionId: chat.id, text: '/review src/a.ts now' });
  const commandTurn = env.fake.chats().at(-1).body;
  assert.match(userOf(commandTurn), /RECORD-REVIEW-BODY first=src\/a\.ts all=\[src\/a\.ts now\]/, "the record's body, not the file's");
  assert.doesNotMatch(userOf(commandTurn), /FILE-REVIEW-BODY/);
  const first = env.fake.chats().find((c) => systemOf(c.body).includes('SKILL-RECORD-DESC')).body;
  assert.match(systemOf(first), /RECORD-ALWAYS-RULE/, 'an instruction record with no globs always applies');
  assert.doesNotMatch(systemOf(first), /RECORD-PY-RULE/, 'a scoped one only with its file in play');
  assert.doesNotMatch(systemOf(first), /SKILL-RECORD-BODY/, 'a skill record: its description only, until loaded');
  const loaded = env.fake.chats().map((c) => c.body).find((b) => JSON.stringify(b.messages).includes('SKILL-RECORD-BODY'));
  assert.ok(loaded, 'the skill tool loads the record skill\'s body');

  env.put('src/app.py', 'print(1)\n');
  await s.connection.sendRequest('session/send', { sessionId: chat.id, text: 'look', attachments: [{ kind: 'file', path: path.join(env.workspace, 'src', 'app.py'), content: 'print(1)\n', language: 'python' }] });
  assert.match(systemOf(env.fake.chats().at(-1).body), /RECORD-PY-RULE/);
  const { messages } = await s.connection.sendRequest('session/messages', { id: chat.id });
  const part = messages.filter((m) => m.role === 'user').at(-1).parts.find((p) => p.kind === 'instructions');
  assert.equal(part.reasons[items.find((i) => i.name === 'Python style').source], 'applies to src/app.py');

  const modes = await s.connection.sendRequest('session/modes', {});
  const auditor = modes.find((m) => m.id === 'agent:auditor');
  assert.ok(auditor, 'an agent record is a chat mode');
  assert.deepEqual(auditor.tools, ['read', 'search']);
  await s.connection.sendRequest('session/setMode', { id: chat.id, mode: 'agent:auditor' });
  await s.connection.sendRequest('session/send', { sessionId: chat.id, text: 'audit' });
  assert.match(systemOf(env.fake.chats().at(-1).body), /AUDITOR-PROMPT/);
});

test('Copy to Plue: a found file becomes an editable record with history that shadows the file; undo brings the file back', async (t) => {
  const env = await setUp(t, 'plue-records-copy-');
  env.put('.claude/commands/deploy.md', '---\ndescription: Deploy it\nmodel: loop-2\nallowed-tools: Bash(git:*), Read\n---\nFILE-DEPLOY $ARGUMENTS\n');
  env.put('.github/instructions/py.instructions.md', '---\napplyTo: "**/*.py"\n---\nPY-FILE-RULE\n');
  env.put('.claude/settings.json', JSON.stringify({ hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: './check.sh', timeout: 5 }] }] } }));
  env.put('.vscode/mcp.json', JSON.stringify({ servers: { files: { command: 'node' } } }));
  const { s, instance, changes } = await start(t, env, 12);
  let items = await list(s);
  const source = items.find((i) => i.name === 'deploy').source;

  const record = await s.connection.sendRequest('customizations/copy', { source });
  assert.equal(record.templateId, 'command');
  assert.equal(record.slug, 'deploy');
  assert.equal(record.title, 'deploy');
  assert.equal(record.fields.body, 'FILE-DEPLOY $ARGUMENTS');
  assert.equal(record.fields.description, 'Deploy it');
  assert.equal(record.fields.model, 'loop-2');
  assert.deepEqual(record.fields.tools, ['Bash(git:*)', 'Read']);
  assert.equal(record.fields.copied_from, source);
  items = await poll('customizations/changed after the copy', () => changes.at(-1) ?? [], (told) => told.some((i) => i.recordId === record.id));
  const file = items.find((i) => i.source === source);
  assert.equal(file.status, 'ignored');
  assert.match(file.reason, /^shadowed by the Plue record 'deploy'/);

  // Editable, with history: the edited body is what /deploy sends.
  await s.connection.sendRequest('codex/update', { id: record.id, version: record.version, fields: { body: 'RECORD-DEPLOY $ARGUMENTS' } });
  const chat = await s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'loop-1', allowUnlisted: true });
  await s.connection.sendRequest('session/send', { sessionId: chat.id, text: '/deploy prod' });
  assert.match(userOf(env.fake.chats().at(-1).body), /RECORD-DEPLOY prod/);
  assert.equal((await s.connection.sendRequest('codex/history', { id: record.id })).length, 2);

  // Undo the edit, then the copy itself: the file is used again.
  await s.connection.sendRequest('codex/undo', { id: record.id });
  assert.equal((await s.connection.sendRequest('codex/get', { id: record.id })).fields.body, 'FILE-DEPLOY $ARGUMENTS');
  await s.connection.sendRequest('codex/undo', { id: record.id });
  items = await list(s);
  assert.equal(items.find((i) => i.source === source).status, 'used');
  assert.ok(!items.some((i) => i.recordId === record.id));

  // An instruction keeps its globs; a hooks file's group its event, matcher, command and limit; an MCP server is refused.
  const instruction = await s.connection.sendRequest('customizations/copy', { source: items.find((i) => i.layout === 'github-instructions').source });
  assert.deepEqual([instruction.templateId, instruction.fields.apply_to, instruction.fields.body], ['instruction', ['**/*.py'], 'PY-FILE-RULE']);
  const hooks = items.find((i) => i.layout === 'claude-hooks');
  const hook = await s.connection.sendRequest('customizations/copy', { source: hooks.source, name: 'PreToolUse (Bash)' });
  assert.deepEqual([hook.templateId, hook.fields.event, hook.fields.matcher, hook.fields.command, hook.fields.timeout_seconds], ['agent-hook', 'PreToolUse', 'Bash', './check.sh', 5]);
  items = await list(s);
  assert.equal(items.find((i) => i.layout === 'claude-hooks').status, 'ignored', 'the copied group is shadowed');
  await assert.rejects(s.connection.sendRequest('customizations/copy', { source: items.find((i) => i.layout === 'vscode-mcp').source }), /add it in the MCP Servers view/);
  await assert.rejects(s.connection.sendRequest('customizations/copy', { source: path.join(env.workspace, 'nothing.md') }), /No customization file was found at .*nothing\.md/);
});

test('a customization file edited on disk is read again without a restart, and customizations/changed tells it', async (t) => {
  const env = await setUp(t, 'plue-records-watch-');
  env.put('.claude/commands/hello.md', '---\ndescription: First\n---\nHELLO-ONE\n');
  const { s, instance, changes } = await start(t, env, 13);
  assert.equal((await list(s)).find((i) => i.name === 'hello').description, 'First');
  env.put('.claude/commands/hello.md', '---\ndescription: Second\n---\nHELLO-TWO $ARGUMENTS\n');
  await poll('customizations/changed with the edit', () => changes.at(-1) ?? [], (told) => told.some((i) => i.name === 'hello' && i.description === 'Second'));
  // A command file changed since the session began runs once the user has seen it and allowed it (the gate itself is
  // tested in customCommandGate.test.mjs): allowed here, the edited body is what is sent.
  const asked = [];
  s.connection.onRequest('permission/request', (p) => { asked.push(p.tool); return { decision: 'allow' }; });
  const chat = await s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'loop-1', allowUnlisted: true });
  await s.connection.sendRequest('session/send', { sessionId: chat.id, text: '/hello x' });
  assert.deepEqual(asked, ['custom_command'], 'the edited command asked first');
  assert.match(userOf(env.fake.chats().at(-1).body), /HELLO-TWO x/);
});

test('instructions files are read once per change, not at each turn: a change the watch cannot see is not sent; one it sees is', async (t) => {
  const env = await setUp(t, 'plue-records-cache-');
  // AGENTS.md is a hard link to a file outside the workspace: writing through the outside name changes its text
  // without any event in the watched folder, so only a read at the turn itself would see it.
  const outside = path.join(env.base, 'agents-text.md');
  fs.mkdirSync(env.workspace, { recursive: true });
  fs.writeFileSync(outside, 'AGENTS-ONE\n');
  fs.linkSync(outside, path.join(env.workspace, 'AGENTS.md'));
  const { s, instance, changes } = await start(t, env, 14);
  await list(s);
  const chat = await s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'loop-1', allowUnlisted: true });
  await s.connection.sendRequest('session/send', { sessionId: chat.id, text: 'one' });
  assert.match(systemOf(env.fake.chats().at(-1).body), /AGENTS-ONE/);

  fs.writeFileSync(outside, 'AGENTS-TWO\n');
  await new Promise((r) => setTimeout(r, 600));
  await s.connection.sendRequest('session/send', { sessionId: chat.id, text: 'two' });
  assert.match(systemOf(env.fake.chats().at(-1).body), /AGENTS-ONE/, 'the turn did not read the file again');

  // A change in the workspace folder (the file saved there) is seen: the next turn reads it.
  const told = changes.length;
  fs.writeFileSync(path.join(env.workspace, 'AGENTS.md'), 'AGENTS-THREE\n');
  await poll('customizations/changed after the save', async () => changes.length, (n) => n > told);
  await s.connection.sendRequest('session/send', { sessionId: chat.id, text: 'three' });
  assert.match(systemOf(env.fake.chats().at(-1).body), /AGENTS-THREE/);
});

test('records are the user\'s own: an untrusted workspace ignores its files and still uses the records, and so does a window with no folder', async (t) => {
  const env = await setUp(t, 'plue-records-untrusted-');
  env.put('.claude/commands/greet.md', '---\ndescription: From the file\n---\nFILE-GREET\n');
  env.put('AGENTS.md', 'FILE-AGENTS-RULE\n');
  for (const [folders, seed] of [[[env.workspace], 15], [[], 16]]) {
    const s = startSidecar({ env: { HOME: path.join(env.base, 'nohome') } });
    t.after(() => s.stop());
    await s.initialize({ vaultKey: Buffer.alloc(32, seed).toString('base64'), workspaceFolders: folders, trusted: false });
    const instance = await s.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: env.fake.endpoint, apiKey: `loopback-node-records-${seed}-0123456789` });
    await s.connection.sendRequest('codex/create', { templateId: 'instruction', title: 'Mine', fields: { body: 'RECORD-RULE-EVERYWHERE' } });
    await s.connection.sendRequest('codex/create', { templateId: 'command', title: 'Hello', fields: { body: 'RECORD-HELLO $ARGUMENTS' } });
    const items = await list(s);
    assert.ok(items.filter((i) => i.layout !== 'plue-record').every((i) => i.status === 'ignored'), 'the untrusted workspace\'s files are ignored');
    assert.deepEqual(items.filter((i) => i.layout === 'plue-record').map((i) => [i.name, i.status]), [['Mine', 'used'], ['hello', 'used']]);
    const chat = await s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'loop-1', allowUnlisted: true });
    await s.connection.sendRequest('session/send', { sessionId: chat.id, text: '/hello there' });
    const sent = env.fake.chats().at(-1).body;
    assert.match(userOf(sent), /RECORD-HELLO there/);
    assert.match(systemOf(sent), /RECORD-RULE-EVERYWHERE/);
    assert.doesNotMatch(systemOf(sent), /FILE-AGENTS-RULE/);
    await s.stop();
  }
});

/** The task once it has stopped running. */
const taskEnd = (s, id) => within(60_000, (async () => {
  for (;;) {
    const task = await s.connection.sendRequest('task/get', { id });
    if (!['queued', 'running', 'waiting-approval'].includes(task.status)) return task;
    await new Promise((r) => setTimeout(r, 100));
  }
})(), `task ${id} ends`);

test('tasks get the instructions chats get: an instruction record and an always-applying rule file reach a task\'s and its sub-task\'s requests; a scoped one does not', async (t) => {
  const env = await setUp(t, 'plue-records-task-', {
    respond: (body) => {
      const said = JSON.stringify(body.messages);
      if (said.includes('CHILD-GOAL')) return { text: 'CHILD-REPORT', gapMs: 1 };
      if (body.messages.some((m) => m.role === 'tool')) return { text: 'All done.', gapMs: 1 };
      return { toolCalls: [{ name: 'spawn_task', arguments: { template: 'task-docs-writer', title: 'Sub', goal: 'CHILD-GOAL: check it' } }], gapMs: 1 };
    },
  });
  env.put('.cursor/rules/always.mdc', '---\nalwaysApply: true\n---\nTASK-ALWAYS-FILE-RULE\n');
  env.put('AGENTS.md', 'TASK-AGENTS-RULE\n');
  const { s, instance } = await start(t, env, 17);
  await s.connection.sendRequest('codex/create', { templateId: 'instruction', title: 'Task style', fields: { body: 'TASK-RECORD-RULE' } });
  await s.connection.sendRequest('codex/create', { templateId: 'instruction', title: 'Py only', fields: { body: 'TASK-PY-RULE', apply_to: ['**/*.py'] } });
  const root = await s.connection.sendRequest('task/start', { templateId: 'task-orchestrator', prompt: 'ORCH-GOAL: get it checked', providerRef: instance.id, modelId: 'loop-1' });
  const done = await taskEnd(s, root.id);
  assert.equal(done.status, 'completed', done.statusReason ?? '');
  const requests = env.fake.chats().map((c) => c.body);
  const parent = requests.find((b) => JSON.stringify(b.messages).includes('ORCH-GOAL'));
  const child = requests.find((b) => JSON.stringify(b.messages).includes('CHILD-GOAL') && !JSON.stringify(b.messages).includes('ORCH-GOAL'));
  assert.ok(parent && child, `the task and its sub-task asked the model: ${requests.map((b) => JSON.stringify(b.messages).slice(0, 300)).join('\n')}`);
  for (const [who, body] of [['the task', parent], ['the sub-task', child]]) {
    assert.match(systemOf(body), /TASK-AGENTS-RULE/, `${who}: the instructions files`);
    assert.match(systemOf(body), /TASK-RECORD-RULE/, `${who}: the instruction record, as in a chat`);
    assert.match(systemOf(body), /TASK-ALWAYS-FILE-RULE/, `${who}: an alwaysApply rule file`);
    assert.doesNotMatch(systemOf(body), /TASK-PY-RULE/, `${who}: no file is in play, so a scoped one is not sent`);
  }
});
