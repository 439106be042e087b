// Agent hooks (docs/CUSTOMIZATIONS.md, Agent hooks; issue 44 item 7): the real sidecar, a loopback OpenAI server that
// logs every request, and hooks files in a real workspace folder whose commands write what they read on stdin to files.
// Each test shows one rule: exit 2 blocks (and the model or the user reads the stderr), another code warns and goes on,
// a hook past its time limit is killed and reported, tasks run hooks as chats do, an untrusted workspace runs none of
// its own, Codex's hooks.json maps onto the same events; and a /command in a task's goal is expanded as in a chat.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { startSidecar, scratchFolder, within, root } = require('./support/sidecar.js');

/** A workspace with the given files (relative path → text or JSON), a home, the sidecar and a loopback provider. */
async function hooked(t, { files = {}, homeFiles = {}, trusted = true, respond }) {
  const { startFakeOpenAI } = await import(path.join(root, 'tests', 'e2e', 'support', 'fakeOpenAI.mjs'));
  const fake = await startFakeOpenAI({ respond });
  t.after(() => fake.close());
  const base = scratchFolder(t, 'plue-hooks-');
  const workspace = path.join(base, 'workspace');
  const home = path.join(base, 'home');
  const put = (rootDir, entries) => {
    for (const [relative, content] of Object.entries(entries)) {
      fs.mkdirSync(path.dirname(path.join(rootDir, relative)), { recursive: true });
      fs.writeFileSync(path.join(rootDir, relative), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    }
  };
  fs.mkdirSync(workspace, { recursive: true });
  fs.mkdirSync(home, { recursive: true });
  put(workspace, files);
  put(home, homeFiles);
  const s = startSidecar({ env: { HOME: home } });
  t.after(() => s.stop());
  await s.initialize({ vaultKey: Buffer.alloc(32, 4).toString('base64'), workspaceFolders: [workspace], trusted });
  const asked = [];
  s.connection.onRequest('permission/request', (p) => { asked.push(p.tool); return { decision: 'allow' }; });
  const instance = await s.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: fake.endpoint, apiKey: 'loopback-node-hooks-0123456789' });
  const chat = async (tools = ['bash']) => {
    const made = await s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'loop-1', allowUnlisted: true });
    await s.connection.sendRequest('codex/update', { id: made.id, version: made.version, fields: { available_tools: tools } });
    return made;
  };
  return { fake, s, instance, workspace, home, base, asked, chat, file: (name) => path.join(workspace, name) };
}

const settings = (hooks) => ({ permissions: { allow: [] }, hooks });
const command = (text, more = {}) => ({ type: 'command', command: text, ...more });
/** A model that calls bash once with this command, then answers. */
const bashOnce = (line) => (body, index) => (index === 0 ? { toolCalls: [{ name: 'bash', arguments: { command: line } }], gapMs: 1 } : { text: 'Done.', gapMs: 1 });
const toolMessages = (body) => JSON.stringify(body.messages.filter((m) => m.role === 'tool').map((m) => m.content));
const hookParts = async (s, id) => (await s.connection.sendRequest('session/messages', { id })).messages.flatMap((m) => m.parts).filter((p) => p.kind === 'hook');
/** Whether no process whose arguments are `argv` is left (a zombie waiting for its parent to read its end has ended). */
async function goneAll(argv) {
  const wanted = argv.join('\0');
  const left = () => fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).some((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0$/, '') === wanted && !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  });
  for (let tries = 0; tries < 50; tries++) {
    if (!left()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

test('agent hooks: a PreToolUse hook that exits 2 blocks a bash call, the model reads its stderr as the result, and it read Claude Code\'s JSON', async (t) => {
  const h = await hooked(t, {
    respond: bashOnce('touch ran.txt'),
    files: {
      '.claude/settings.json': settings({
        PreToolUse: [
          { matcher: 'Bash', hooks: [command('cat > "$CLAUDE_PROJECT_DIR/pre.json"; echo "NO-TOUCH: use the build script" >&2; exit 2')] },
          // A matcher that names other tools: never runs for bash.
          { matcher: 'Read|Write', hooks: [command('touch other-matcher-ran')] },
        ],
      }),
    },
  });
  const chat = await h.chat();
  await h.s.connection.sendRequest('session/send', { sessionId: chat.id, text: 'touch it' });

  assert.equal(fs.existsSync(h.file('ran.txt')), false, 'the blocked command did not run');
  assert.deepEqual(h.asked, [], 'a blocked call never asks the user');
  const [, second] = h.fake.chats().map((c) => c.body);
  assert.match(toolMessages(second), /PreToolUse hook blocked this call: NO-TOUCH: use the build script/);
  const input = readJson(h.file('pre.json'));
  assert.equal(input.hook_event_name, 'PreToolUse');
  assert.equal(input.tool_name, 'Bash');
  assert.deepEqual(input.tool_input, { command: 'touch ran.txt' });
  assert.equal(input.session_id, chat.id);
  assert.equal(fs.realpathSync(input.cwd), fs.realpathSync(h.workspace));
  assert.equal(fs.existsSync(h.file('other-matcher-ran')), false, 'Read|Write does not match Bash');
  const [blocked] = await hookParts(h.s, chat.id);
  assert.equal(blocked.outcome, 'blocked');
  assert.equal(blocked.event, 'PreToolUse');
  assert.match(blocked.text, /NO-TOUCH/);
});

test('agent hooks: PostToolUse gets tool_response; a hook that exits 1 is a warning shown in the chat, and the call goes on', async (t) => {
  const h = await hooked(t, {
    respond: bashOnce('echo hi-from-bash'),
    files: {
      '.claude/settings.json': settings({
        PreToolUse: [{ matcher: '*', hooks: [command('echo WARN-ONE >&2; exit 1')] }],
        PostToolUse: [{ hooks: [command('cat > post.json')] }],
      }),
    },
  });
  const chat = await h.chat();
  await h.s.connection.sendRequest('session/send', { sessionId: chat.id, text: 'say hi' });

  assert.deepEqual(h.asked, ['bash'], 'the call went on to its approval');
  const post = readJson(h.file('post.json'));
  assert.equal(post.hook_event_name, 'PostToolUse');
  assert.equal(post.tool_name, 'Bash');
  assert.match(post.tool_response.output, /hi-from-bash/);
  assert.equal(post.tool_response.is_error, false);
  assert.match(toolMessages(h.fake.chats()[1].body), /hi-from-bash/);
  const [warning] = await hookParts(h.s, chat.id);
  assert.equal(warning.outcome, 'warning');
  assert.match(warning.text, /exited with code 1; the turn went on: WARN-ONE/);
});

test('agent hooks: a hook that runs past its timeout is killed with what it started, reported in the chat, and the turn goes on', async (t) => {
  const marker = `60.${process.pid}${Date.now() % 1000}`;
  const h = await hooked(t, {
    respond: bashOnce('echo after-the-hook'),
    files: {
      '.claude/settings.json': settings({
        // A duration of its own marks the background child: inside the hook's sandbox $! is a pid of its own namespace.
        PreToolUse: [{ matcher: 'Bash', hooks: [command(`sleep ${marker} & echo started > child.started; sleep 60`, { timeout: 1 })] }],
      }),
    },
  });
  const chat = await h.chat();
  const started = Date.now();
  await within(20_000, h.s.connection.sendRequest('session/send', { sessionId: chat.id, text: 'go' }), 'the turn ends soon after the limit');
  assert.ok(Date.now() - started < 20_000);
  const [timeout] = await hookParts(h.s, chat.id);
  assert.equal(timeout.outcome, 'timeout');
  assert.match(timeout.text, /ran past its limit of 1 s and was stopped/);
  assert.match(toolMessages(h.fake.chats()[1].body), /after-the-hook/, 'the call went on');
  assert.ok(fs.existsSync(h.file('child.started')), 'the hook started its background child');
  assert.ok(await goneAll(['sleep', marker]), 'what the hook started was killed too');
});

test('agent hooks: a UserPromptSubmit hook that exits 2 blocks the message (no provider request, the user told); exit 0 adds its stdout, and SessionStart\'s, for the model', async (t) => {
  const h = await hooked(t, {
    respond: () => ({ text: 'Hello.', gapMs: 1 }),
    files: {
      '.claude/settings.local.json': settings({
        UserPromptSubmit: [{ hooks: [command('if grep -q password; then echo "BLOCKED-PROMPT: no passwords here" >&2; exit 2; fi; echo PROMPT-CONTEXT')] }],
        SessionStart: [{ hooks: [command('echo SESSION-CONTEXT')] }],
      }),
    },
  });
  const chat = await h.chat([]);
  await assert.rejects(h.s.connection.sendRequest('session/send', { sessionId: chat.id, text: 'my password is hunter2' }), /UserPromptSubmit hook blocked the message, which was not sent: BLOCKED-PROMPT: no passwords here/);
  assert.equal(h.fake.chats().length, 0, 'no provider request');
  assert.equal((await h.s.connection.sendRequest('session/messages', { id: chat.id })).messages.length, 0, 'nothing stored');

  await h.s.connection.sendRequest('session/send', { sessionId: chat.id, text: 'hello' });
  const sent = JSON.stringify(h.fake.chats()[0].body.messages);
  assert.match(sent, /PROMPT-CONTEXT/);
  assert.match(sent, /SESSION-CONTEXT/);
  assert.deepEqual((await hookParts(h.s, chat.id)).map((p) => [p.event, p.outcome]), [['SessionStart', 'context'], ['UserPromptSubmit', 'context']]);
});

test('agent hooks: a Stop hook that exits 2 keeps the turn going with its stderr, at most 3 times', async (t) => {
  const h = await hooked(t, {
    respond: () => ({ text: 'Finished.', gapMs: 1 }),
    files: { '.claude/settings.json': settings({ Stop: [{ hooks: [command('cat >> stops.jsonl; echo >> stops.jsonl; echo "KEEP-GOING: run the tests first" >&2; exit 2')] }] }) },
  });
  const chat = await h.chat([]);
  await h.s.connection.sendRequest('session/send', { sessionId: chat.id, text: 'finish' });
  const requests = h.fake.chats().map((c) => c.body);
  assert.equal(requests.length, 4, 'the first answer and three more');
  assert.match(JSON.stringify(requests[1].messages), /A Stop hook did not let you stop yet: KEEP-GOING: run the tests first/);
  const stops = fs.readFileSync(h.file('stops.jsonl'), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
  assert.deepEqual(stops.map((s) => s.stop_hook_active), [false, true, true, true]);
});

test('agent hooks: a task runs them too: its bash call blocked by PreToolUse, in the folder it works in', async (t) => {
  const h = await hooked(t, {
    respond: (body) => (body.messages.some((m) => m.role === 'tool') ? { text: 'Report: blocked.', gapMs: 1 } : { toolCalls: [{ name: 'bash', arguments: { command: 'touch task-ran.txt' } }], gapMs: 1 }),
    files: { '.claude/settings.json': settings({ PreToolUse: [{ matcher: 'Bash', hooks: [command('cat > task-pre.json; echo TASK-BLOCKED >&2; exit 2')] }] }) },
  });
  const task = await h.s.connection.sendRequest('task/start', { templateId: 'task', prompt: 'TASK: touch it', providerRef: h.instance.id, modelId: 'loop-1', allowUnlisted: true, fields: { available_tools: ['bash'] } });
  const done = await within(60_000, (async () => {
    for (;;) {
      const got = await h.s.connection.sendRequest('task/get', { id: task.id });
      if (!['queued', 'running', 'waiting-approval'].includes(got.status)) return got;
      await new Promise((r) => setTimeout(r, 100));
    }
  })(), 'the task ends');
  assert.equal(done.status, 'completed', done.statusReason ?? '');
  assert.equal(fs.existsSync(h.file('task-ran.txt')), false);
  assert.match(toolMessages(h.fake.chats().at(-1).body), /PreToolUse hook blocked this call: TASK-BLOCKED/);
  const input = readJson(h.file('task-pre.json'));
  assert.equal(input.session_id, task.id);
  assert.equal(input.tool_name, 'Bash');
});

test('agent hooks: an untrusted workspace runs none of its hooks (listed as not trusted); the user\'s own run', async (t) => {
  const h = await hooked(t, {
    trusted: false,
    respond: () => ({ text: 'Hi.', gapMs: 1 }),
    // Each writes in the workspace, the one place its sandbox lets it write.
    files: { '.claude/settings.json': settings({ UserPromptSubmit: [{ hooks: [command('touch "$CLAUDE_PROJECT_DIR/workspace-hook-ran"')] }] }) },
    homeFiles: { '.claude/settings.json': settings({ UserPromptSubmit: [{ hooks: [command('touch "$CLAUDE_PROJECT_DIR/user-hook-ran"')] }] }) },
  });
  const chat = await h.chat([]);
  await h.s.connection.sendRequest('session/send', { sessionId: chat.id, text: 'hello' });
  assert.equal(fs.existsSync(h.file('workspace-hook-ran')), false, 'the workspace\'s hook did not run');
  assert.equal(fs.existsSync(h.file('user-hook-ran')), true, 'the user\'s hook ran');
  const { items } = await h.s.connection.sendRequest('customizations/list', {});
  const hooks = items.filter((i) => i.kind === 'agentHook');
  assert.deepEqual(hooks.map((i) => [i.scope, i.status]), [['workspace', 'ignored'], ['user', 'used']]);
  assert.match(hooks[0].reason, /^the workspace is not trusted/);
});

test('agent hooks: Codex\'s hooks.json maps onto the same events, its flat form too', async (t) => {
  const h = await hooked(t, {
    respond: bashOnce('touch codex-ran.txt'),
    files: { '.codex/hooks.json': { hooks: { PreToolUse: [{ matcher: 'Bash', command: 'echo CODEX-SAYS-NO >&2; exit 2' }], PostToolUse: [{ matcher: 'Bash', command: 'touch never' }] } } },
  });
  const chat = await h.chat();
  await h.s.connection.sendRequest('session/send', { sessionId: chat.id, text: 'touch' });
  assert.equal(fs.existsSync(h.file('codex-ran.txt')), false);
  assert.match(toolMessages(h.fake.chats()[1].body), /PreToolUse hook blocked this call: CODEX-SAYS-NO/);
  const { items } = await h.s.connection.sendRequest('customizations/list', {});
  assert.deepEqual(items.filter((i) => i.layout === 'codex-hooks').map((i) => [i.name, i.status]), [['PreToolUse (Bash)', 'used'], ['PostToolUse (Bash)', 'used']]);
});

test('commands and skills in tasks: a /name args goal sends the command\'s body with the arguments; a task that may read is told the skills and given the skill tool', async (t) => {
  const h = await hooked(t, {
    respond: () => ({ text: 'Report: done.', gapMs: 1 }),
    files: {
      '.claude/commands/fix-issue.md': '---\ndescription: Fix an issue\n---\nFIX-BODY: fix issue $ARGUMENTS and add a test\n',
      '.claude/skills/pdf-tools/SKILL.md': '---\nname: pdf-tools\ndescription: TASK-SKILL-DESC fills PDF forms\n---\nSKILL-BODY\n',
    },
  });
  const task = await h.s.connection.sendRequest('task/start', { templateId: 'task', prompt: '/fix-issue 42', providerRef: h.instance.id, modelId: 'loop-1', allowUnlisted: true, fields: { available_tools: ['read'] } });
  await within(60_000, (async () => {
    while (h.fake.chats().length === 0) await new Promise((r) => setTimeout(r, 100));
  })(), 'the task asks the model');
  const body = h.fake.chats()[0].body;
  const said = JSON.stringify(body.messages.filter((m) => m.role === 'user'));
  assert.match(said, /FIX-BODY: fix issue 42 and add a test/);
  assert.doesNotMatch(said, /\/fix-issue 42/);
  const system = body.messages.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => JSON.stringify(m.content)).join('');
  assert.match(system, /- pdf-tools: TASK-SKILL-DESC fills PDF forms/);
  assert.ok(body.tools.some((tool) => tool.function.name === 'skill'), 'the skill tool comes with read');
  const first = (await h.s.connection.sendRequest('task/messages', { id: task.id })).messages[0];
  assert.equal(first.parts[0].command.name, 'fix-issue', 'the task shows the command it ran');
});

test('agent hooks: on an ACP agent, PreToolUse applies at its permission requests: exit 2 rejects the permission before the user is asked, and the write never happens', async (t) => {
  const { acpInstance, fakeAnthropic, writingAgent } = await import(path.join(root, 'tests', 'support', 'acpAgent.mjs'));
  const dir = fs.realpathSync(scratchFolder(t, 'plue-hooks-acp-'));
  const project = path.join(dir, 'project');
  fs.mkdirSync(path.join(project, '.codex'), { recursive: true });
  fs.writeFileSync(path.join(project, '.codex', 'hooks.json'), JSON.stringify({ hooks: { PreToolUse: [{ matcher: 'Write|Edit', hooks: [command('cat > acp-pre.json; echo ACP-NO-WRITES >&2; exit 2')] }] } }));
  const anthropic = await fakeAnthropic(t, writingAgent({ 'write inside': path.join(project, 'inside.txt') }));
  const s = startSidecar({ env: { HOME: path.join(dir, 'home') } });
  t.after(() => s.stop());
  await s.initialize({ vaultKey: Buffer.alloc(32, 5).toString('base64'), workspaceFolders: [project], trusted: true });
  const instance = await acpInstance((m, p) => s.connection.sendRequest(m, p), { endpoint: anthropic.endpoint, dir });
  const chat = await s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'agent' });
  const record = await s.connection.sendRequest('codex/get', { id: chat.id });
  await s.connection.sendRequest('codex/update', { id: chat.id, version: record.version, fields: { available_tools: ['read', 'write', 'edit'] } });
  const asked = [];
  s.connection.onRequest('permission/request', (p) => { asked.push(p); return { decision: 'allow' }; });

  const answer = await within(120_000, s.connection.sendRequest('session/send', { sessionId: chat.id, text: 'write inside' }), 'the turn');
  assert.equal(answer.status, 'complete', answer.error);
  assert.equal(asked.length, 0, 'the hook rejected it before the user was asked');
  assert.equal(fs.existsSync(path.join(project, 'inside.txt')), false, 'the rejected write never happened');
  assert.equal(readJson(path.join(project, 'acp-pre.json')).tool_name, 'Edit');
});

test('agent hooks: an agent-hook record of the user\'s own runs as a hooks file\'s does: its PreToolUse exit 2 blocks bash, in an untrusted workspace too', async (t) => {
  const h = await hooked(t, { respond: bashOnce('touch ran.txt'), trusted: false });
  await h.s.connection.sendRequest('codex/create', {
    templateId: 'agent-hook', title: 'No touching',
    fields: { event: 'PreToolUse', matcher: 'Bash', command: 'echo "RECORD-HOOK-SAYS-NO" >&2; exit 2', timeout_seconds: 10 },
  });
  const chat = await h.chat();
  await h.s.connection.sendRequest('session/send', { sessionId: chat.id, text: 'touch it' });

  assert.equal(fs.existsSync(h.file('ran.txt')), false, 'the blocked command ran');
  const [, second] = h.fake.chats().map((c) => c.body);
  assert.match(toolMessages(second), /PreToolUse hook blocked this call: RECORD-HOOK-SAYS-NO/);
  const listed = (await h.s.connection.sendRequest('customizations/list')).items.find((i) => i.kind === 'agentHook' && i.recordId);
  assert.equal(listed?.status, 'used', 'the record is listed as used');
});
