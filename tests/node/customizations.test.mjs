// The agent setup a user brings from other agents (docs/CUSTOMIZATIONS.md): the real sidecar, HOME pointed at a
// fixture home, lists every file of every layout in a fixture workspace through customizations/list, each used or
// ignored with the right reason; the same through `plue customizations list --explain`; an untrusted workspace
// uses none of its files; a file changed on disk is listed again without a restart.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { startSidecar, scratchFolder, within } = require('./support/sidecar.js');
const { plue, tempHome } = require('./support/plue.js');
const { makeCustomizationsFixture, longSkill } = require('./support/customizationsFixture.js');

/** Writes `text` to `relative` under `root`, making its folders. */
function putFile(root, relative, text) {
  fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
  fs.writeFileSync(path.join(root, relative), text);
}

const notTrusted = /^the workspace is not trusted/;
const runsOnlyTrusted = /^the workspace is not trusted, and MCP servers from files run only in a trusted workspace$/;

// layout → scope → the items expected, in order: [name, status, reason (a RegExp) or description (a string)?].
const expected = {
  'agents-md': { workspace: [['AGENTS.md', 'used'], ['src/AGENTS.md', 'used']], user: [['~/.codex/AGENTS.md', 'used']] },
  'claude-md': { workspace: [['CLAUDE.md', 'used'], ['pkg/CLAUDE.md', 'used']], user: [['~/.claude/CLAUDE.md', 'used']] },
  'gemini-md': { workspace: [['GEMINI.md', 'used']], user: [['~/.gemini/GEMINI.md', 'used']] },
  'copilot-instructions': { workspace: [['.github/copilot-instructions.md', 'used']] },
  'github-instructions': { workspace: [
    ['.github/instructions/broken.instructions.md', 'ignored', /^bad front matter, line 3: 'this is not a field' is not a field: write key: value$/],
    ['.github/instructions/huge.instructions.md', 'ignored', /^not read: it is larger than 64 KiB$/],
    // CRLF line ends and trailing spaces, read as any other.
    ['.github/instructions/python.instructions.md', 'used', 'Python style'],
  ] },
  'cursor-rules': { workspace: [
    ['.cursor/rules/always.mdc', 'used', 'House rules (always applies)'],
    ['.cursor/rules/typo.mdc', 'ignored', /^unknown field 'glob' \(line 2\): cursor-rules knows description, globs, alwaysApply; remove it or correct its spelling$/],
  ] },
  clinerules: { workspace: [['.clinerules/style.md', 'used']] },
  'plue-rules': { workspace: [['.plue/rules/house.md', 'used']] },
  'claude-skills': {
    workspace: [
      ['wrong', 'ignored', /^the name 'wrong' is not its folder's \('Wrong'\): rename one to match the other$/],
      [longSkill, 'ignored', /^the name 'a{70}' breaks claude-skills's rule: lowercase letters, digits and single hyphens, at most 64 characters$/],
      ['pdf-tools', 'used', 'Fill and read PDF forms.'],
    ],
    user: [['notes', 'used'], ['pdf-tools', 'ignored', /^shadowed by \.claude\/skills\/pdf-tools\/SKILL\.md \(claude-skills, workspace\), which takes precedence$/]],
  },
  'agents-skills': {
    workspace: [['pdf-tools', 'ignored', /^shadowed by \.claude\/skills\/pdf-tools\/SKILL\.md \(claude-skills, workspace\)/], ['review', 'used']],
    user: [['translate', 'used']],
  },
  // A folded description and a nested metadata block.
  'github-skills': { workspace: [['changelog', 'used', 'Writes the changelog line.']], user: [['summarize', 'used']] },
  'opencode-skills': { workspace: [['deploy', 'used']], user: [['release', 'used']] },
  'codex-skills': { workspace: [['escape', 'ignored', /^not read: it leads outside .*\/workspace, and only files inside it are read$/]], user: [['triage', 'used']] },
  'claude-commands': {
    workspace: [['fix-issue', 'used', 'Fix an issue'], ['pipe', 'ignored', /^not read: it is not a regular file \(a device, a pipe, a socket or a folder\), and only regular files are read$/]],
    user: [['standup', 'used', 'Write my standup']] },
  'github-prompts': { workspace: [['explain', 'used', 'Explain the code']] },
  'opencode-commands': {
    workspace: [['test', 'used', 'Run the tests'], ['lint', 'used']],
    user: [['shipit', 'used'], ['fix-issue', 'ignored', /^shadowed by \.claude\/commands\/fix-issue\.md \(claude-commands, workspace\)/]],
  },
  'codex-prompts': { user: [['draft', 'used', 'Draft a PR']] },
  // A byte order mark before the front matter.
  'claude-agents': { workspace: [['broken', 'ignored', /^its front matter has no 'description'/], ['reviewer', 'used', 'Reviews diffs']], user: [['helper', 'used', 'Helps']] },
  'github-agents': { workspace: [['planner', 'used', 'Plans work']] },
  'github-chatmodes': { workspace: [['tutor', 'used', 'Teaches']] },
  'claude-hooks': {
    // Claude Code's settings' hooks: a Claude Code backend runs them itself, and the list says so.
    workspace: [['PreToolUse (Bash)', 'used', './check.sh (run by Claude Code on a Claude Code backend)'], ['BeforeAll', 'ignored', /^unknown event 'BeforeAll': the events are PreToolUse, PostToolUse, /]],
    user: [['SessionStart', 'used', 'echo hi (run by Claude Code on a Claude Code backend)']],
  },
  'codex-hooks': { workspace: [['Stop', 'used', 'notify-send done']], user: [['PostToolUse (Bash)', 'used', 'log.sh']] },
  'vscode-mcp': { workspace: [['files', 'used', 'stdio: node']] },
  'claude-mcp': { workspace: [['docs', 'used', 'remote: https://mcp.example.com/mcp'], ['files', 'ignored', /^shadowed by \.vscode\/mcp\.json \(vscode-mcp, workspace\)/]] },
  'cursor-mcp': {
    workspace: [['.cursor/mcp.json', 'ignored', /^not valid JSON, line 5: 'o' is an invalid start of a property name/]],
    user: [['search', 'used', 'remote: https://search.example.com/mcp']],
  },
};

const fixture = makeCustomizationsFixture();
let trusted;
let listed;

test.before(async () => {
  trusted = startSidecar({ env: { HOME: fixture.home } });
  await trusted.initialize({ workspaceFolders: [fixture.workspace], trusted: true });
  listed = (await trusted.connection.sendRequest('customizations/list', {})).items;
});

test.after(async () => {
  await trusted?.stop();
  fs.rmSync(fixture.base, { recursive: true, force: true });
});

function check(items, layout, scope, wanted) {
  const found = items.filter((i) => i.layout === layout && i.scope === scope);
  assert.deepEqual(found.map((i) => [i.name, i.status]), wanted.map(([name, status]) => [name, status]), `${layout} (${scope})`);
  found.forEach((item, n) => {
    const [, status, more] = wanted[n];
    if (status === 'used') assert.equal(item.reason, undefined, `${item.name} is used, with no reason`);
    if (more instanceof RegExp) assert.match(item.reason, more, `${layout} ${item.name}`);
    else if (typeof more === 'string') assert.equal(item.description, more, `${layout} ${item.name}`);
    assert.ok(path.isAbsolute(item.source) && fs.existsSync(item.source), `${item.source} is the file's path`);
  });
}

for (const [layout, scopes] of Object.entries(expected)) {
  test(`customizations/list: ${layout} files are found with their status and reason`, () => {
    for (const [scope, wanted] of Object.entries(scopes)) check(listed, layout, scope, wanted);
    const kinds = new Set(listed.filter((i) => i.layout === layout).map((i) => i.kind));
    assert.equal(kinds.size, 1, `${layout} is one kind`);
  });
}

test('customizations/list: every item is of a layout the test knows, workspace first, and no secret of an MCP file is shown', () => {
  assert.deepEqual(listed.filter((i) => !(expected[i.layout]?.[i.scope])).map((i) => `${i.layout} ${i.scope} ${i.name}`), []);
  const firstUser = listed.findIndex((i) => i.scope === 'user');
  assert.ok(firstUser > 0 && listed.slice(firstUser).every((i) => i.scope === 'user'));
  const text = JSON.stringify(listed);
  for (const secret of ['secret-abc', 'pw-secret', 'secret-q', 'user:']) assert.ok(!text.includes(secret), `${secret} is not in the list`);
});

test('an untrusted workspace: each of its files is ignored because it is not trusted; the user\'s are used (their hooks too), except MCP servers', async (t) => {
  const sidecar = startSidecar({ env: { HOME: fixture.home } });
  t.after(() => sidecar.stop());
  await sidecar.initialize({ workspaceFolders: [fixture.workspace], trusted: false });
  const { items } = await sidecar.connection.sendRequest('customizations/list', {});

  const workspace = items.filter((i) => i.scope === 'workspace');
  assert.ok(workspace.length >= 30, `every workspace file is listed (${workspace.length})`);
  for (const item of workspace) {
    assert.equal(item.status, 'ignored', item.source);
    assert.match(item.reason, notTrusted, item.source);
    assert.equal(item.description, undefined, `${item.source} was not read`);
  }
  // Named by their files, never read: the skill with the bad name goes by its folder's.
  assert.ok(workspace.some((i) => i.layout === 'claude-skills' && i.name === 'Wrong'));
  assert.ok(workspace.some((i) => i.layout === 'vscode-mcp' && i.name === '.vscode/mcp.json'));

  const user = items.filter((i) => i.scope === 'user');
  for (const item of user) {
    if (item.kind === 'mcpServer') {
      assert.equal(item.status, 'ignored', item.name);
      assert.match(item.reason, runsOnlyTrusted, item.name);
    } else assert.equal(item.status, 'used', `${item.layout} ${item.name}: ${item.reason}`);
  }
  // Nothing of the workspace shadows the user's own skill now.
  assert.equal(user.find((i) => i.layout === 'claude-skills' && i.name === 'pdf-tools').status, 'used');
  assert.deepEqual([...new Set(user.map((i) => i.kind))].sort(), ['agent', 'agentHook', 'command', 'instructions', 'mcpServer', 'skill']);
});

test('plue customizations list --explain prints each file with its kind, status, source and reason; without it, no paths', async () => {
  const env = { HOME: fixture.home };
  const home = tempHome();
  const explained = await plue(['customizations', 'list', '--explain', '--trust'], { home, env, cwd: fixture.workspace });
  assert.equal(explained.code, 0, explained.stderr);
  const [header, ...rows] = explained.stdout.trimEnd().split('\n');
  assert.equal(header, 'kind\tname\tlayout\tscope\tstatus\tsource\treason');
  const cells = rows.map((r) => r.split('\t'));
  assert.equal(cells.length, listed.length, 'one row per item of the request');
  const row = (layout, name) => cells.find((c) => c[2] === layout && c[1] === name);
  assert.deepEqual(row('claude-skills', 'pdf-tools').slice(0, 5), ['skill', 'pdf-tools', 'claude-skills', 'workspace', 'used']);
  assert.equal(row('claude-skills', 'pdf-tools')[5], path.join(fixture.workspace, '.claude/skills/pdf-tools/SKILL.md'));
  assert.match(row('cursor-rules', '.cursor/rules/typo.mdc')[6], /^unknown field 'glob' \(line 2\)/);
  assert.match(row('github-instructions', '.github/instructions/broken.instructions.md')[6], /^bad front matter, line 3:/);
  assert.match(row('codex-skills', 'escape')[6], /^not read: it leads outside/);
  assert.match(row('agents-skills', 'pdf-tools')[6], /^shadowed by /);
  assert.deepEqual(row('claude-hooks', 'PreToolUse (Bash)').slice(0, 5), ['agent hook', 'PreToolUse (Bash)', 'claude-hooks', 'workspace', 'used']);
  assert.deepEqual(row('cursor-mcp', 'search').slice(0, 5), ['MCP server', 'search', 'cursor-mcp', 'user', 'used']);
  // Grouped by kind, in the order of the kinds.
  const kinds = cells.map((c) => c[0]);
  assert.deepEqual([...new Set(kinds)], ['instructions', 'skill', 'command', 'agent', 'agent hook', 'MCP server']);

  const plain = await plue(['customizations', 'list'], { home, env, cwd: fixture.workspace });
  assert.equal(plain.code, 0, plain.stderr);
  assert.equal(plain.stdout.split('\n')[0], 'kind\tname\tlayout\tscope\tstatus');
  assert.ok(!plain.stdout.includes(fixture.workspace), 'no paths without --explain');
  // Not trusted without --trust, as every command that takes the folder.
  assert.match(plain.stdout, /^skill\tpdf-tools\tclaude-skills\tworkspace\tignored$/m);

  const json = await plue(['customizations', 'list', '--json', '--trust'], { home, env, cwd: fixture.workspace });
  assert.deepEqual(JSON.parse(json.stdout).items.map((i) => [i.layout, i.name, i.status]), listed.map((i) => [i.layout, i.name, i.status]));
});

test('a file added, changed or removed under a root is listed again without a restart', async () => {
  const command = path.join(fixture.workspace, '.claude', 'commands', 'deploy-now.md');
  const poll = async (what, ok) => within(10_000, (async () => {
    for (;;) {
      const { items } = await trusted.connection.sendRequest('customizations/list', {});
      if (ok(items)) return items;
      await new Promise((r) => setTimeout(r, 100));
    }
  })(), what);

  fs.writeFileSync(command, '---\ndescription: Deploy now\n---\nDeploy.\n');
  await poll('the new command', (items) => items.some((i) => i.name === 'deploy-now' && i.description === 'Deploy now'));
  fs.writeFileSync(command, '---\ndescripton: Deploy now\n---\nDeploy.\n');
  await poll('the broken command', (items) => items.some((i) => i.name === 'deploy-now' && /^unknown field 'descripton'/.test(i.reason ?? '')));
  const skill = path.join(fixture.home, '.agents', 'skills', 'translate', 'SKILL.md');
  fs.rmSync(skill);
  await poll('the user skill removed', (items) => !items.some((i) => i.layout === 'agents-skills' && i.name === 'translate'));
  fs.rmSync(command);
  await poll('the command removed', (items) => !items.some((i) => i.name === 'deploy-now'));
});

// Issue 44, item 3: scoped instructions join a chat's request only when a file they match is in play; alwaysApply ones always.
test('scoped instructions: an applyTo or globs file is sent only when a file it matches is attached; an alwaysApply one always; none in an untrusted workspace', async (t) => {
  const { startFakeOpenAI } = await import(path.join(require('./support/sidecar.js').root, 'tests', 'e2e', 'support', 'fakeOpenAI.mjs'));
  const fake = await startFakeOpenAI({ replies: [{ text: 'Noted.', gapMs: 1 }] });
  t.after(() => fake.close());
  const base = scratchFolder(t, 'plue-scoped-');
  const workspace = path.join(base, 'workspace');
  const put = (relative, text) => putFile(workspace, relative, text);
  put('.github/instructions/python.instructions.md', '---\r\napplyTo: "**/*.py"\r\n---\r\nPY-RULE: use type hints.\r\n');
  put('.github/instructions/unscoped.instructions.md', '---\ndescription: No applyTo\n---\nNOAPPLY-RULE\n');
  put('.cursor/rules/always.mdc', '---\ndescription: House\nglobs:\nalwaysApply: true\n---\nALWAYS-RULE\n');
  put('.cursor/rules/ts.mdc', '---\nglobs: src/**/*.ts, web/*.tsx\nalwaysApply: false\n---\nTS-RULE\n');
  put('.cursor/rules/smart.mdc', '---\ndescription: Only when relevant\n---\nSMART-RULE\n');
  put('src/app.py', 'print(1)\n');
  const systemText = (body) => body.messages.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('');
  const pyFile = { kind: 'file', path: path.join(workspace, 'src', 'app.py'), content: 'print(1)\n', language: 'python' };

  async function turns(trustedWorkspace) {
    const s = startSidecar({ env: { HOME: path.join(base, 'nohome') } });
    t.after(() => s.stop());
    await s.initialize({ vaultKey: Buffer.alloc(32, 5).toString('base64'), workspaceFolders: [workspace], trusted: trustedWorkspace });
    const instance = await s.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: fake.endpoint, apiKey: 'loopback-node-scoped-0123456789' });
    const plain = await s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'loop-1', allowUnlisted: true });
    const before = fake.chats().length;
    await s.connection.sendRequest('session/send', { sessionId: plain.id, text: 'hello' });
    const withPy = await s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'loop-1', allowUnlisted: true });
    await s.connection.sendRequest('session/send', { sessionId: withPy.id, text: 'review this', attachments: [pyFile] });
    // The file stays in play for the rest of the chat.
    await s.connection.sendRequest('session/send', { sessionId: withPy.id, text: 'and again' });
    const { messages } = await s.connection.sendRequest('session/messages', { id: withPy.id });
    parts.push(...messages.filter((m) => m.role === 'user').map((m) => m.parts.find((p) => p.kind === 'instructions') ?? null));
    if (trustedWorkspace) listedScoped = (await s.connection.sendRequest('customizations/list', {})).items.filter((i) => i.kind === 'instructions');
    return fake.chats().slice(before).map((c) => systemText(c.body));
  }

  let listedScoped = [];
  const parts = [];
  const [plain, attached, later] = await turns(true);
  // The chat's Instructions part names each file sent and why.
  assert.deepEqual(parts[0].files, ['.github/instructions/python.instructions.md', '.cursor/rules/always.mdc']);
  assert.deepEqual(parts[0].reasons, { '.github/instructions/python.instructions.md': 'applies to src/app.py', '.cursor/rules/always.mdc': 'always applies' });
  assert.equal(parts.length, 2);
  parts.length = 0;
  assert.match(plain, /ALWAYS-RULE/);
  for (const rule of [/PY-RULE/, /TS-RULE/, /SMART-RULE/, /NOAPPLY-RULE/]) assert.doesNotMatch(plain, rule);
  assert.match(attached, /PY-RULE: use type hints\./);
  assert.match(attached, /ALWAYS-RULE/);
  assert.match(attached, /<instructions file="\.github\/instructions\/python\.instructions\.md">/);
  assert.doesNotMatch(attached, /applyTo/, 'the front matter is not sent');
  for (const rule of [/TS-RULE/, /SMART-RULE/, /NOAPPLY-RULE/]) assert.doesNotMatch(attached, rule);
  assert.match(later, /PY-RULE/);
  // What is never sent is not listed as used (item 2): each says why and what to add.
  const status = (name) => { const i = listedScoped.find((x) => x.name === name); return [i.status, i.reason ?? null]; };
  assert.deepEqual(status('.github/instructions/unscoped.instructions.md'), ['ignored', 'listed, not used: it has no applyTo, so it applies to no file: add applyTo: "**/*.py" (or "**" for every file)']);
  assert.deepEqual(status('.cursor/rules/smart.mdc'), ['ignored', 'listed, not used: Plue does not pick rules by their description: add globs: "src/**/*.ts" or alwaysApply: true']);
  for (const name of ['.github/instructions/python.instructions.md', '.cursor/rules/always.mdc', '.cursor/rules/ts.mdc']) assert.deepEqual(status(name), ['used', null]);

  for (const text of await turns(false)) for (const rule of [/ALWAYS-RULE/, /PY-RULE/]) assert.doesNotMatch(text, rule);
  assert.deepEqual(parts, [null, null], 'an untrusted workspace sends no instructions file');
});

// Issue 44, item 3: a file a tool call reads or writes is in play too: its scoped instructions join the turn's next
// request, after the rest of the system prompt (its start, and the provider's cache of it, stay), once; the answer's
// Instructions part says why, and the chat's later turns keep it. A task's read and write bring theirs in the same way.
test('scoped instructions: a file the agent reads or writes brings its applyTo file into the next request of the turn; a file it does not match brings nothing', async (t) => {
  const { startFakeOpenAI } = await import(path.join(require('./support/sidecar.js').root, 'tests', 'e2e', 'support', 'fakeOpenAI.mjs'));
  const lastOf = (body) => body.messages.at(-1);
  const toolCount = (body) => body.messages.filter((m) => m.role === 'tool').length;
  const fake = await startFakeOpenAI({
    respond: (body) => {
      const text = JSON.stringify(body.messages);
      if (text.includes('TASK-GOAL-SCOPED')) {
        return toolCount(body) === 0 ? { toolCalls: [{ name: 'write', arguments: { path: 'web/page.html', content: '<p>hi</p>\n' } }], gapMs: 1 } : { text: 'Written.', gapMs: 1 };
      }
      if (lastOf(body).role === 'user') return /look around/.test(JSON.stringify(lastOf(body).content)) ? { toolCalls: [{ name: 'read', arguments: { path: 'notes.txt' } }], gapMs: 1 } : { text: 'Again.', gapMs: 1 };
      return toolCount(body) === 1 ? { toolCalls: [{ name: 'read', arguments: { path: 'src/app.cs' } }], gapMs: 1 } : { text: 'Read both.', gapMs: 1 };
    },
  });
  t.after(() => fake.close());
  const base = scratchFolder(t, 'plue-scoped-tools-');
  const workspace = path.join(base, 'workspace');
  const put = (relative, text) => putFile(workspace, relative, text);
  put('.github/instructions/csharp.instructions.md', '---\napplyTo: "**/*.cs"\n---\nCS-RULE: seal your classes.\n');
  put('.cursor/rules/web.mdc', '---\nglobs: web/**\n---\nWEB-RULE\n');
  put('AGENTS.md', 'ROOT-RULE\n');
  put('src/app.cs', 'class App {}\n');
  put('notes.txt', 'notes\n');
  const s = startSidecar({ env: { HOME: path.join(base, 'nohome') } });
  t.after(() => s.stop());
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  const instance = await s.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: fake.endpoint, apiKey: 'loopback-node-scoped-tools-0123456789' });
  const chat = await s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'loop-1', allowUnlisted: true });
  await s.connection.sendRequest('codex/update', { id: chat.id, version: chat.version, fields: { available_tools: ['read'] } });

  await s.connection.sendRequest('session/send', { sessionId: chat.id, text: 'look around' });
  const [first, afterNotes, afterCs] = fake.chats().map((c) => systemOf(c.body));
  assert.match(first, /ROOT-RULE/);
  assert.doesNotMatch(first, /CS-RULE/, 'no .cs file is in play when the turn starts');
  assert.equal(afterNotes, first, 'reading notes.txt brings no instructions file');
  assert.match(afterCs, /<instructions file="\.github\/instructions\/csharp\.instructions\.md">\nCS-RULE: seal your classes\.\n<\/instructions>$/);
  assert.ok(afterCs.startsWith(first), 'the file is appended: the system prompt before it is unchanged');
  assert.doesNotMatch(afterCs, /WEB-RULE|applyTo/);
  let { messages } = await s.connection.sendRequest('session/messages', { id: chat.id });
  const [readNotes, answer] = messages.filter((m) => m.role === 'assistant');
  assert.equal(readNotes.parts.some((p) => p.kind === 'instructions'), false);
  const joined = answer.parts.filter((p) => p.kind === 'instructions');
  assert.deepEqual(joined.map((p) => [p.files, p.reasons]), [[['.github/instructions/csharp.instructions.md'], { '.github/instructions/csharp.instructions.md': 'read by the agent: src/app.cs' }]]);
  assert.ok(answer.parts.findIndex((p) => p.kind === 'instructions') > answer.parts.findIndex((p) => p.kind === 'tool_result'), 'shown after the call that read the file');

  // The next turn starts with it where it joined, once: the same system prompt as the turn's last request.
  await s.connection.sendRequest('session/send', { sessionId: chat.id, text: 'and again' });
  const next = systemOf(fake.chats().at(-1).body);
  assert.equal(next, afterCs);
  ({ messages } = await s.connection.sendRequest('session/messages', { id: chat.id }));
  const part = messages.filter((m) => m.role === 'user').at(-1).parts.find((p) => p.kind === 'instructions');
  assert.deepEqual(part.files, ['AGENTS.md', '.github/instructions/csharp.instructions.md']);
  assert.deepEqual(part.reasons, { '.github/instructions/csharp.instructions.md': 'read by the agent: src/app.cs' });

  // A task: the file it writes brings its globs file into its next request.
  const before = fake.chats().length;
  const task = await s.connection.sendRequest('task/start', { templateId: 'task', prompt: 'TASK-GOAL-SCOPED', providerRef: instance.id, modelId: 'loop-1', allowUnlisted: true,
    fields: { available_tools: ['read', 'write'], auto_approve: ['write'] } });
  assert.equal((await taskEnd(s, task.id)).status, 'completed');
  const [taskFirst, taskSecond] = fake.chats().slice(before).map((c) => systemOf(c.body));
  assert.doesNotMatch(taskFirst, /WEB-RULE/);
  assert.match(taskSecond, /<instructions file="\.cursor\/rules\/web\.mdc">\nWEB-RULE\n<\/instructions>$/);
  assert.ok(taskSecond.startsWith(taskFirst));
  const taskAnswer = (await s.connection.sendRequest('task/messages', { id: task.id })).messages.find((m) => m.role === 'assistant');
  assert.deepEqual(taskAnswer.parts.find((p) => p.kind === 'instructions').reasons, { '.cursor/rules/web.mdc': 'written by the agent: web/page.html' });
});

// Issue 44, items 2 and 8: GEMINI.md, .clinerules, nested CLAUDE.md and the user's own instructions files are sent, not
// only listed: the workspace's in a trusted workspace (a nested CLAUDE.md when a file below it is in play), the user's
// in any workspace; a text two files share (a CLAUDE.md linked to AGENTS.md) is sent once; a task gets them too.
test('instructions files: GEMINI.md, .clinerules, nested CLAUDE.md and the user-level files reach the system prompt; a shared text once; the user\'s in an untrusted workspace too', async (t) => {
  const { startFakeOpenAI } = await import(path.join(require('./support/sidecar.js').root, 'tests', 'e2e', 'support', 'fakeOpenAI.mjs'));
  const fake = await startFakeOpenAI({ replies: [{ text: 'Noted.', gapMs: 1 }] });
  t.after(() => fake.close());
  const base = scratchFolder(t, 'plue-instructions-');
  const workspace = path.join(base, 'workspace');
  const home = path.join(base, 'home');
  const put = putFile;
  put(workspace, 'AGENTS.md', 'ROOT-AGENTS-RULE\n');
  fs.symlinkSync('AGENTS.md', path.join(workspace, 'CLAUDE.md'));
  put(workspace, 'GEMINI.md', 'WS-GEMINI-RULE\n');
  put(workspace, '.clinerules/style.md', 'CLINE-RULE\n');
  put(workspace, 'pkg/CLAUDE.md', 'PKG-CLAUDE-RULE\n');
  put(workspace, 'pkg/lib.py', 'x = 1\n');
  put(home, '.claude/CLAUDE.md', 'USER-CLAUDE-RULE\n');
  put(home, '.gemini/GEMINI.md', 'USER-GEMINI-RULE\n');
  put(home, '.codex/AGENTS.md', 'USER-CODEX-RULE\n');
  const count = (text, rule) => text.split(rule).length - 1;
  const userRules = ['USER-CLAUDE-RULE', 'USER-GEMINI-RULE', 'USER-CODEX-RULE'];
  const workspaceRules = ['ROOT-AGENTS-RULE', 'WS-GEMINI-RULE', 'CLINE-RULE'];

  async function start(trustedWorkspace) {
    const s = startSidecar({ env: { HOME: home } });
    t.after(() => s.stop());
    await s.initialize({ vaultKey: Buffer.alloc(32, 6).toString('base64'), workspaceFolders: [workspace], trusted: trustedWorkspace });
    const instance = await s.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: fake.endpoint, apiKey: 'loopback-node-instr-0123456789' });
    return { s, instance };
  }
  async function chat(s, instance, attachments) {
    const session = await s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'loop-1', allowUnlisted: true });
    const before = fake.chats().length;
    await s.connection.sendRequest('session/send', { sessionId: session.id, text: 'hello', attachments });
    const { messages } = await s.connection.sendRequest('session/messages', { id: session.id });
    return { system: systemOf(fake.chats()[before].body), part: messages.find((m) => m.role === 'user').parts.find((p) => p.kind === 'instructions') };
  }

  const { s, instance } = await start(true);
  const plain = await chat(s, instance, []);
  for (const rule of [...userRules, ...workspaceRules]) assert.equal(count(plain.system, rule), 1, `${rule} sent once`);
  assert.doesNotMatch(plain.system, /PKG-CLAUDE-RULE/, 'a nested CLAUDE.md only with a file below it in play');
  assert.deepEqual(plain.part.files, ['~/.claude/CLAUDE.md', '~/.codex/AGENTS.md', '~/.gemini/GEMINI.md', 'AGENTS.md', 'GEMINI.md', '.clinerules/style.md']);
  assert.deepEqual(plain.part.skipped, ['CLAUDE.md was not sent again: it holds the same text as AGENTS.md']);
  const lib = { kind: 'file', path: path.join(workspace, 'pkg', 'lib.py'), content: 'x = 1\n', language: 'python' };
  const nested = await chat(s, instance, [lib]);
  assert.match(nested.system, /<instructions file="pkg\/CLAUDE\.md">\nPKG-CLAUDE-RULE\n<\/instructions>/);
  assert.ok(nested.part.files.includes('pkg/CLAUDE.md'));

  const before = fake.chats().length;
  const task = await s.connection.sendRequest('task/start', { templateId: 'task', prompt: 'TASK-GOAL-INSTR', providerRef: instance.id, modelId: 'loop-1', allowUnlisted: true });
  assert.equal((await taskEnd(s, task.id)).status, 'completed');
  const taskSystem = systemOf(fake.chats().slice(before).map((c) => c.body).find((b) => JSON.stringify(b.messages).includes('TASK-GOAL-INSTR')));
  for (const rule of [...userRules, ...workspaceRules]) assert.equal(count(taskSystem, rule), 1, `the task: ${rule} sent once`);
  assert.doesNotMatch(taskSystem, /PKG-CLAUDE-RULE/, 'a task has no file in play');

  // Every instructions file of this workspace is listed as used, and is now sent.
  const items = (await s.connection.sendRequest('customizations/list', {})).items.filter((i) => i.kind === 'instructions');
  assert.deepEqual(items.filter((i) => i.status !== 'used'), []);

  const untrusted = await start(false);
  const outside = await chat(untrusted.s, untrusted.instance, [lib]);
  for (const rule of userRules) assert.equal(count(outside.system, rule), 1, `${rule} is the user's own: sent in an untrusted workspace`);
  for (const rule of [...workspaceRules, 'PKG-CLAUDE-RULE']) assert.doesNotMatch(outside.system, new RegExp(rule));
  assert.deepEqual(outside.part.files, ['~/.claude/CLAUDE.md', '~/.codex/AGENTS.md', '~/.gemini/GEMINI.md']);
});

// Issue 44, item 5: a command from a file, typed as /name args, sends its body with the arguments put in; its model
// reaches the wire when the chat's provider offers it (else the chat says why not), its tools narrow the turn's.
test('commands: /name a b sends the body with $ARGUMENTS and $1 $2 replaced; its model reaches the wire; a model not offered is told, not silent', async (t) => {
  const { startFakeOpenAI } = await import(path.join(require('./support/sidecar.js').root, 'tests', 'e2e', 'support', 'fakeOpenAI.mjs'));
  const fake = await startFakeOpenAI({ replies: [{ text: 'Done.', gapMs: 1 }], models: ['loop-1', 'loop-2'] });
  t.after(() => fake.close());
  const base = scratchFolder(t, 'plue-commands-');
  const workspace = path.join(base, 'workspace');
  const put = (relative, text) => putFile(workspace, relative, text);
  put('.claude/commands/review.md', '---\ndescription: Review a file\nmodel: loop-2\nallowed-tools: Read, Grep, Bash(git diff:*)\n---\nREVIEW-BODY first=$1 second=$2 all=[$ARGUMENTS]\n');
  put('.github/prompts/explain.prompt.md', '\uFEFF---\r\nmode: ask\r\nmodel: nope-9\r\n---\r\nEXPLAIN-BODY\r\n');
  const s = startSidecar({ env: { HOME: path.join(base, 'nohome') } });
  t.after(() => s.stop());
  await s.initialize({ vaultKey: Buffer.alloc(32, 6).toString('base64'), workspaceFolders: [workspace], trusted: true });
  const instance = await s.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: fake.endpoint, apiKey: 'loopback-node-commands-0123456789' });
  const chat = await s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'loop-1', allowUnlisted: true });
  const userText = (body) => body.messages.filter((m) => m.role === 'user').map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n');

  await s.connection.sendRequest('session/send', { sessionId: chat.id, text: '/review src/a.ts "the tests"' });
  let sent = fake.chats().at(-1).body;
  assert.match(userText(sent), /REVIEW-BODY first=src\/a\.ts second=the tests all=\[src\/a\.ts "the tests"\]/);
  assert.doesNotMatch(userText(sent), /\/review|allowed-tools/, 'the body is sent, not what was typed nor the front matter');
  assert.equal(sent.model, 'loop-2', "the command's model reaches the wire");
  assert.match((await s.connection.sendRequest('codex/get', { id: chat.id })).title, /^\/review src\/a\.ts/, 'the chat is named by what was typed, not by the command\'s body');
  assert.deepEqual((sent.tools ?? []).map((tool) => tool.function.name).filter((n) => !['read', 'search', 'bash'].includes(n)), [], 'its tools narrow the turn');

  await s.connection.sendRequest('session/send', { sessionId: chat.id, text: 'plain' });
  assert.equal(fake.chats().at(-1).body.model, 'loop-1', "the next turn is the chat's own model again");

  await s.connection.sendRequest('session/send', { sessionId: chat.id, text: '/explain' });
  sent = fake.chats().at(-1).body;
  assert.match(userText(sent), /EXPLAIN-BODY/);
  assert.equal(sent.model, 'loop-1');
  const { messages } = await s.connection.sendRequest('session/messages', { id: chat.id });
  const commands = messages.filter((m) => m.role === 'user').map((m) => m.parts.find((p) => p.kind === 'text').command ?? null);
  assert.equal(commands[0].name, 'review');
  assert.equal(commands[0].arguments, 'src/a.ts "the tests"');
  assert.deepEqual(commands[0].notes, ['model loop-2', 'tools only read, search, bash']);
  assert.equal(commands[1], null);
  assert.equal(commands[2].name, 'explain');
  assert.deepEqual(commands[2].notes, ['model nope-9 is not one the chat\'s provider offers; this turn uses loop-1', 'mode Ask']);

  // A / word that is no command is sent as typed.
  await s.connection.sendRequest('session/send', { sessionId: chat.id, text: '/unknown thing' });
  assert.match(userText(fake.chats().at(-1).body), /\/unknown thing/);
});

// Issue 44, item 4: skills by progressive disclosure: the system prompt names each used skill with its description;
// the skill tool (granted with read) loads its body into the conversation; nothing of it runs on load.
test('skills: the description is in the system prompt and the body is not, until a skill tool call loads it into the next request', async (t) => {
  const { startFakeOpenAI } = await import(path.join(require('./support/sidecar.js').root, 'tests', 'e2e', 'support', 'fakeOpenAI.mjs'));
  const fake = await startFakeOpenAI({ respond: (body, index) => (index === 0 ? { toolCalls: [{ name: 'skill', arguments: { name: 'pdf-tools' } }], gapMs: 1 } : { text: 'Loaded.', gapMs: 1 }) });
  t.after(() => fake.close());
  const base = scratchFolder(t, 'plue-skills-');
  const workspace = path.join(base, 'workspace');
  fs.mkdirSync(path.join(workspace, '.claude', 'skills', 'pdf-tools', 'scripts'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.claude', 'skills', 'pdf-tools', 'SKILL.md'), '---\nname: pdf-tools\ndescription: SKILL-DESC fills PDF forms\n---\nSKILL-BODY: run scripts/fill.sh with the form\n');
  const ran = path.join(base, 'ran');
  fs.writeFileSync(path.join(workspace, '.claude', 'skills', 'pdf-tools', 'scripts', 'fill.sh'), `#!/bin/sh\ntouch ${ran}\n`, { mode: 0o755 });
  const s = startSidecar({ env: { HOME: path.join(base, 'nohome') } });
  t.after(() => s.stop());
  await s.initialize({ vaultKey: Buffer.alloc(32, 8).toString('base64'), workspaceFolders: [workspace], trusted: true });
  const instance = await s.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: fake.endpoint, apiKey: 'loopback-node-skills-0123456789' });
  const chat = await s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'loop-1', allowUnlisted: true });
  await s.connection.sendRequest('codex/update', { id: chat.id, version: chat.version, fields: { available_tools: ['read'] } });

  await s.connection.sendRequest('session/send', { sessionId: chat.id, text: 'fill the form' });
  const [first, second] = fake.chats().map((c) => c.body);
  const system = (body) => body.messages.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('');
  assert.match(system(first), /- pdf-tools: SKILL-DESC fills PDF forms/);
  assert.doesNotMatch(JSON.stringify(first), /SKILL-BODY/, 'the body is not sent before the skill tool loads it');
  assert.ok(first.tools.some((tool) => tool.function.name === 'skill'), 'the skill tool comes with read');
  assert.ok(second, 'the turn went on after the skill call');
  const toolMessage = second.messages.find((m) => m.role === 'tool');
  assert.match(JSON.stringify(toolMessage.content), /SKILL-BODY: run scripts\/fill\.sh/);
  assert.match(JSON.stringify(toolMessage.content), /\.claude\/skills\/pdf-tools/);
  assert.doesNotMatch(system(second), /SKILL-BODY/);
  assert.equal(fs.existsSync(ran), false, 'no script of the skill ran on load');
});

// Issue 44, item 6: an agent file is a chat mode (its body the prompt, only its tools, its model when offered) and a
// sub-agent an orchestrator starts by name (a child whose request carries the agent's prompt, tools and model).
async function agentWorkspace(t, prefix, respond, files = {}) {
  const { startFakeOpenAI } = await import(path.join(require('./support/sidecar.js').root, 'tests', 'e2e', 'support', 'fakeOpenAI.mjs'));
  const fake = await startFakeOpenAI({ respond, models: ['loop-1', 'loop-2'] });
  t.after(() => fake.close());
  const base = scratchFolder(t, prefix);
  const workspace = path.join(base, 'workspace');
  const put = (relative, text) => putFile(workspace, relative, text);
  put('.claude/agents/reviewer.md', '\uFEFF---\r\nname: reviewer\r\ndescription: Reviews diffs\r\ntools: Read, Grep, WebFetch\r\nmodel: loop-2\r\n---\r\nREVIEWER-PROMPT: review the diff line by line.\r\n');
  put('.github/chatmodes/tutor.chatmode.md', '---\ndescription: Teaches\nmodel: gpt-9-nowhere\n---\nTUTOR-PROMPT\n');
  for (const [relative, text] of Object.entries(files)) put(relative, text);
  const s = startSidecar({ env: { HOME: path.join(base, 'nohome') } });
  t.after(() => s.stop());
  await s.initialize({ vaultKey: Buffer.alloc(32, 9).toString('base64'), workspaceFolders: [workspace], trusted: true });
  const instance = await s.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: fake.endpoint, apiKey: 'loopback-node-agents-0123456789' });
  return { fake, s, instance };
}

/** The task once it has stopped running. */
const taskEnd = (s, id) => within(60_000, (async () => {
  for (;;) {
    const task = await s.connection.sendRequest('task/get', { id });
    if (!['queued', 'running', 'waiting-approval'].includes(task.status)) return task;
    await new Promise((r) => setTimeout(r, 100));
  }
})(), `task ${id} ends`);

const systemOf = (body) => body.messages.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('');
const toolNames = (body) => (body.tools ?? []).map((tool) => tool.function.name).sort();

test('agents: an agent file is a chat mode: listed by name, its body the prompt, only its tools, its model when the provider offers it', async (t) => {
  const { fake, s, instance } = await agentWorkspace(t, 'plue-agent-mode-', () => ({ text: 'Reviewed.', gapMs: 1 }));
  const modes = await s.connection.sendRequest('session/modes', {});
  const reviewer = modes.find((m) => m.id === 'agent:reviewer');
  assert.ok(reviewer, `the agent is a mode: ${modes.map((m) => m.id).join(', ')}`);
  assert.equal(reviewer.name, 'reviewer');
  assert.deepEqual(reviewer.tools, ['read', 'search']);
  assert.deepEqual(reviewer.autoApprove, []);
  assert.match(reviewer.description, /^Reviews diffs \(from reviewer\.md; not a tool here, so not granted: WebFetch; model loop-2 when the provider offers it\)$/);
  assert.deepEqual(modes.find((m) => m.id === 'agent:tutor').tools, ['read', 'write', 'edit', 'search', 'bash'], 'no tools field: the Agent mode\'s');

  const chat = await s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'loop-1', allowUnlisted: true });
  await s.connection.sendRequest('session/setMode', { id: chat.id, mode: 'agent:reviewer' });
  await s.connection.sendRequest('session/send', { sessionId: chat.id, text: 'look at this' });
  let sent = fake.chats().at(-1).body;
  assert.match(systemOf(sent), /REVIEWER-PROMPT: review the diff line by line\./);
  assert.doesNotMatch(systemOf(sent), /description: Reviews diffs|TUTOR-PROMPT/, 'the body, not the front matter');
  assert.deepEqual(toolNames(sent), ['read', 'search'], 'only its tools');
  assert.equal(sent.model, 'loop-2', "the agent's model, which the provider offers");

  // A model the provider does not offer: the chat's own.
  await s.connection.sendRequest('session/setMode', { id: chat.id, mode: 'agent:tutor' });
  await s.connection.sendRequest('session/send', { sessionId: chat.id, text: 'teach me' });
  sent = fake.chats().at(-1).body;
  assert.match(systemOf(sent), /TUTOR-PROMPT/);
  assert.doesNotMatch(systemOf(sent), /REVIEWER-PROMPT/);
  assert.equal(sent.model, 'loop-1');
  await assert.rejects(s.connection.sendRequest('session/setMode', { id: chat.id, mode: 'agent:nobody' }), /not a chat mode/);
});

test('agents: an orchestrator spawns an agent by name; the child runs with the agent\'s prompt, tools and model, and the menu lists it', async (t) => {
  const script = (body) => {
    if (/REVIEWER-PROMPT/.test(systemOf(body))) return { text: 'CHILD-REPORT: looks fine.', gapMs: 1 };
    if (body.messages.some((m) => m.role === 'tool')) return { text: 'All done.', gapMs: 1 };
    return { toolCalls: [{ name: 'spawn_task', arguments: { template: 'reviewer', title: 'Review it', goal: 'CHILD-GOAL: review the diff' } }], gapMs: 1 };
  };
  const { fake, s, instance } = await agentWorkspace(t, 'plue-agent-spawn-', script);
  const root = await s.connection.sendRequest('task/start', { templateId: 'task-orchestrator', prompt: 'ORCH: get the diff reviewed', providerRef: instance.id, modelId: 'loop-1' });
  const done = await taskEnd(s, root.id);
  assert.equal(done.status, 'completed', done.statusReason ?? '');
  const requests = fake.chats().map((c) => c.body);
  const first = requests.find((b) => JSON.stringify(b.messages).includes('ORCH'));
  assert.match(JSON.stringify(first.messages), /- reviewer: Reviews diffs/, 'the menu lists the agent with its description');
  const child = requests.find((b) => /REVIEWER-PROMPT/.test(systemOf(b)));
  assert.ok(child, 'a request carried the agent\'s prompt');
  assert.match(JSON.stringify(child.messages), /CHILD-GOAL: review the diff/);
  assert.deepEqual(toolNames(child), ['read', 'search'], "the agent's tools");
  assert.equal(child.model, 'loop-2', "the agent's model");
  const [sub] = await s.connection.sendRequest('task/list', { parentId: root.id });
  assert.equal(sub.templateId, 'task');
  assert.equal(sub.status, 'completed');
  const toolResult = requests.find((b) => b.messages.some((m) => m.role === 'tool')).messages.find((m) => m.role === 'tool');
  assert.match(JSON.stringify(toolResult.content), /CHILD-REPORT: looks fine\./);
});

// Issue 44, item 5 in tasks: a command typed as a task's goal changes the task as it changes a chat's turn.
test('commands in tasks: a /name args goal\'s model, tools and mode or agent apply to the task; a model its provider does not offer is told, and the task keeps its own', async (t) => {
  const { fake, s, instance } = await agentWorkspace(t, 'plue-command-task-', () => ({ text: 'Report: done.', gapMs: 1 }), {
    '.claude/commands/narrow.md': '---\nmodel: loop-2\nallowed-tools: Read\n---\nNARROW-BODY $ARGUMENTS\n',
    '.github/prompts/peek.prompt.md': '---\nmode: ask\n---\nPEEK-BODY\n',
    '.github/prompts/audit.prompt.md': '---\nagent: reviewer\nmodel: nope-9\n---\nAUDIT-BODY $1\n',
  });
  const run = async (goal) => {
    const task = await s.connection.sendRequest('task/start', { templateId: 'task', prompt: goal, providerRef: instance.id, modelId: 'loop-1', fields: { available_tools: ['read', 'search', 'bash'] } });
    const done = await taskEnd(s, task.id);
    assert.equal(done.status, 'completed', done.statusReason ?? '');
    const body = fake.chats().map((c) => c.body).find((b) => JSON.stringify(b.messages).includes(goal.slice(1, 5).toUpperCase()));
    const first = (await s.connection.sendRequest('task/messages', { id: task.id })).messages[0];
    return { body, done, command: first.parts[0].command };
  };

  const narrow = await run('/narrow src/a.ts');
  assert.equal(narrow.body.model, 'loop-2', "the command's model reaches the wire");
  assert.deepEqual(toolNames(narrow.body), ['read'], 'its allowed-tools narrow the task\'s tools');
  assert.deepEqual(narrow.command.notes, ['tools only read', 'model loop-2']);
  assert.equal(narrow.done.modelId, 'loop-2', 'kept in the record, so a resumed run keeps it');

  const peek = await run('/peek');
  assert.deepEqual(toolNames(peek.body), ['read', 'search'], "mode: ask narrows the tools to the Ask mode's");
  assert.equal(peek.body.model, 'loop-1');
  assert.deepEqual(peek.command.notes, ['mode Ask']);

  const audit = await run('/audit diff');
  assert.match(systemOf(audit.body), /REVIEWER-PROMPT/, 'agent: reviewer runs the task as the agent');
  assert.match(JSON.stringify(audit.body.messages), /AUDIT-BODY diff/);
  assert.deepEqual(toolNames(audit.body), ['read', 'search'], "the agent's tools");
  assert.equal(audit.body.model, 'loop-1', 'a model not offered: the task keeps its own');
  assert.deepEqual(audit.command.notes, ['agent reviewer', "model nope-9 is not one the task's provider offers; the task uses loop-1"]);
});

// Issue 44, item 9: an MCP file's servers are listed beside the records, marked with their file, and their tools work in
// a task like a record's; ${env:…} and ${workspaceFolder} are resolved, the child's environment is still only its own;
// an untrusted workspace's are listed ignored and never started.
test('MCP servers from files: a .mcp.json stdio server is listed with its file, ${env:X} resolved, and its tools work in a task; untrusted: listed ignored, not started', async (t) => {
  const fixture = path.join(require('./support/sidecar.js').root, 'tests', 'Plue.Server.Tests', 'Agents', 'Tools', 'Fixtures', 'mcp-fixture-server.js');
  const { startFakeOpenAI } = await import(path.join(require('./support/sidecar.js').root, 'tests', 'e2e', 'support', 'fakeOpenAI.mjs'));
  const fake = await startFakeOpenAI({
    respond: (body) => (body.messages.some((m) => m.role === 'tool') || !(body.tools ?? []).some((tool) => tool.function.name === 'mcp__fixture-tools__env')
      ? { text: 'Done.', gapMs: 1 }
      : { toolCalls: [{ name: 'mcp__fixture-tools__env', arguments: { names: ['WHERE', 'PLUE_SIDECAR_ONLY'] } }], gapMs: 1 }),
  });
  t.after(() => fake.close());
  const base = scratchFolder(t, 'plue-mcp-files-');
  const workspace = path.join(base, 'workspace');
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, '.mcp.json'), JSON.stringify({
    mcpServers: { 'Fixture Tools': { command: 'node', args: [fixture], env: { FIXTURE_SECRET: '${env:PLUE_TEST_MCP_VALUE}', WHERE: '${workspaceFolder}/here' } } },
  }));
  const env = { HOME: path.join(base, 'nohome'), PLUE_TEST_MCP_VALUE: 'from-env-4821', PLUE_SIDECAR_ONLY: 'sidecar-only-value' };

  async function run(trustedWorkspace) {
    const s = startSidecar({ env });
    t.after(() => s.stop());
    await s.initialize({ vaultKey: Buffer.alloc(32, 10).toString('base64'), workspaceFolders: [workspace], trusted: trustedWorkspace });
    const asked = [];
    s.connection.onRequest('permission/request', (p) => { asked.push(p.tool); return { decision: 'allow' }; });
    const servers = await s.connection.sendRequest('mcp/servers', {});
    const instance = await s.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: fake.endpoint, apiKey: 'loopback-node-mcpfiles-0123456789' });
    const task = await s.connection.sendRequest('task/start', { templateId: 'task', prompt: 'ENV check', providerRef: instance.id, modelId: 'loop-1', allowUnlisted: true, fields: { mcp_tools: ['mcp__fixture-tools'] } });
    const ended = await taskEnd(s, task.id);
    return { servers, ended, asked };
  }

  const before = fake.chats().length;
  const trusted = await run(true);
  const server = trusted.servers.find((v) => v.file === '.mcp.json');
  assert.ok(server, `listed with its file: ${JSON.stringify(trusted.servers)}`);
  assert.deepEqual([server.title, server.slug, server.transport, server.command, server.enabled, server.ignored], ['Fixture Tools', 'fixture-tools', 'stdio', 'node', true, undefined]);
  assert.deepEqual(server.env, [{ name: 'FIXTURE_SECRET', value: '' }, { name: 'WHERE', value: '' }], 'names only, never values');
  assert.equal(trusted.ended.status, 'completed', trusted.ended.statusReason ?? '');
  assert.deepEqual(trusted.asked, ['mcp__fixture-tools__env'], 'its tools ask, as an untrusted record\'s');
  const requests = fake.chats().slice(before).map((c) => c.body);
  const result = JSON.parse(requests.find((b) => b.messages.some((m) => m.role === 'tool')).messages.find((m) => m.role === 'tool').content);
  assert.equal(result.secret, 'from-env-4821', '${env:X} resolved from the sidecar\'s environment');
  assert.equal(result.values.WHERE, `${workspace}/here`, '${workspaceFolder} resolved');
  assert.equal(result.values.PLUE_SIDECAR_ONLY, null, "the sidecar's own variables are not passed on");
  assert.ok(!result.names.includes('PLUE_TEST_MCP_VALUE'));

  const since = fake.chats().length;
  const untrusted = await run(false);
  const ignored = untrusted.servers.find((v) => v.file === '.mcp.json');
  assert.ok(ignored, 'listed, though not used');
  assert.equal(ignored.enabled, false);
  assert.match(ignored.ignored, /^the workspace is not trusted/);
  const sent = fake.chats().slice(since).map((c) => c.body);
  assert.ok(sent.length > 0 && sent.every((b) => !(b.tools ?? []).some((tool) => tool.function.name.startsWith('mcp__'))), 'never started: no tool of it offered');
  assert.deepEqual(untrusted.asked, []);
});

test('MCP servers from files: a .vscode/mcp.json input (${input:id}) is asked once through mcp/input, kept in the vault, and reaches the server; a pickString one with its choices', async (t) => {
  const fixture = path.join(require('./support/sidecar.js').root, 'tests', 'Plue.Server.Tests', 'Agents', 'Tools', 'Fixtures', 'mcp-fixture-server.js');
  const { startFakeOpenAI } = await import(path.join(require('./support/sidecar.js').root, 'tests', 'e2e', 'support', 'fakeOpenAI.mjs'));
  const fake = await startFakeOpenAI({
    respond: (body) => (body.messages.some((m) => m.role === 'tool') ? { text: 'Done.', gapMs: 1 } : { toolCalls: [{ name: 'mcp__vs-tools__env', arguments: { names: ['FIXTURE_REGION'] } }], gapMs: 1 }),
  });
  t.after(() => fake.close());
  const base = scratchFolder(t, 'plue-mcp-inputs-');
  const workspace = path.join(base, 'workspace');
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'mcp.json'), `{
  // VS Code's format: inputs asked once, servers under "servers".
  "inputs": [
    { "type": "promptString", "id": "token", "description": "The API token", "password": true },
    { "type": "pickString", "id": "region", "description": "The region", "options": ["us-east", { "label": "Europe", "value": "eu-west" }], "default": "eu-west" },
  ],
  "servers": { "VS Tools": { "type": "stdio", "command": "node", "args": [${JSON.stringify(fixture)}], "env": { "FIXTURE_SECRET": "\${input:token}", "FIXTURE_REGION": "\${input:region}" } } },
}`);
  const s = startSidecar({ env: { HOME: path.join(base, 'nohome') } });
  t.after(() => s.stop());
  await s.initialize({ vaultKey: Buffer.alloc(32, 11).toString('base64'), workspaceFolders: [workspace], trusted: true });
  const asked = [];
  s.connection.onRequest('permission/request', () => ({ decision: 'allow' }));
  s.connection.onRequest('mcp/input', async (p) => {
    asked.push(p);
    // A pick answers with one of its choices (the extension shows them, its default first).
    await s.connection.sendRequest('vault/store', { ref: p.ref, value: p.options ? p.options.at(-1) : 'typed-secret-77' });
    return { stored: true };
  });
  const [server] = (await s.connection.sendRequest('mcp/servers', {})).filter((v) => v.file === '.vscode/mcp.json');
  assert.deepEqual(server.inputs, [
    { id: 'token', description: 'The API token', password: true, ref: 'vault://mcp/vs-tools.token', stored: false },
    { id: 'region', description: 'The region', password: false, ref: 'vault://mcp/vs-tools.region', stored: false },
  ]);
  assert.deepEqual(server.env, [{ name: 'FIXTURE_SECRET', value: 'vault://mcp/vs-tools.token', stored: false }, { name: 'FIXTURE_REGION', value: 'vault://mcp/vs-tools.region', stored: false }]);
  const instance = await s.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: fake.endpoint, apiKey: 'loopback-node-mcpinputs-0123456789' });
  for (const n of [1, 2]) {
    const task = await s.connection.sendRequest('task/start', { templateId: 'task', prompt: `INPUT check ${n}`, providerRef: instance.id, modelId: 'loop-1', allowUnlisted: true, fields: { mcp_tools: ['mcp__vs-tools'] } });
    assert.equal((await taskEnd(s, task.id)).status, 'completed');
  }
  assert.deepEqual(asked, [
    { title: 'VS Tools', file: '.vscode/mcp.json', input: 'token', description: 'The API token', password: true, ref: 'vault://mcp/vs-tools.token' },
    { title: 'VS Tools', file: '.vscode/mcp.json', input: 'region', description: 'The region', password: false, ref: 'vault://mcp/vs-tools.region', options: ['us-east', 'eu-west'], default: 'eu-west' },
  ], 'each asked once');
  const tool = fake.chats().map((c) => c.body).find((b) => b.messages.some((m) => m.role === 'tool')).messages.find((m) => m.role === 'tool');
  // The server had the vault's value: the sidecar scrubs exactly that value from what the server sends back.
  assert.equal(JSON.parse(tool.content).secret, '***');
  // The picked choice is kept in the vault as a typed one is, so it is scrubbed the same way: set, and not the reference.
  assert.equal(JSON.parse(tool.content).values.FIXTURE_REGION, '***');
  assert.doesNotMatch(JSON.stringify(fake.chats().map((c) => c.body)), /typed-secret-77/, 'the input never reaches the model');
  const [after] = (await s.connection.sendRequest('mcp/servers', {})).filter((v) => v.file === '.vscode/mcp.json');
  assert.deepEqual(after.inputs.map((i) => i.stored), [true, true]);
});
