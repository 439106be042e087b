// Item 1 of the doors (docs/SANDBOX.md, "A hook, command or MCP server that appears or changes"): a command file
// (.claude/commands/*.md) the agent's own bash writes during a session runs only once the user has seen the file and
// allowed it; denied, the message is sent as typed, its command part saying it was not run; a command there from the
// session's start does not ask. The real sidecar and bubblewrap; skipped, saying why, only where bwrap is missing.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fakeOpenAI, scratch, startSidecar, until } from '../faults/support/processes.mjs';

const bwrap = ['/usr/bin/bwrap', '/bin/bwrap', '/usr/local/bin/bwrap'].find((p) => fs.existsSync(p));
const skip = process.platform !== 'linux' ? 'the sandbox is Linux-only (bubblewrap)'
  : !bwrap ? 'bubblewrap is missing: install it (sudo apt-get install bubblewrap, or bash scripts/install-tools.sh)' : false;

test('item 1: a command file the agent writes during a session runs only once the user has seen it and allowed it', { skip, timeout: 180_000 }, async (t) => {
  const dir = fs.realpathSync(scratch(t, 'plue-command-gate-'));
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(path.join(workspace, '.claude', 'commands'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.claude', 'commands', 'early.md'), 'EARLY-BODY $ARGUMENTS\n');
  const told = [];
  const openai = await fakeOpenAI(t, ({ body }) => {
    const last = JSON.parse(body).messages.at(-1);
    const text = typeof last.content === 'string' ? last.content : (last.content ?? []).map((c) => c.text ?? '').join('');
    if (last.role !== 'tool') told.push(text);
    return last.role !== 'tool' && text.startsWith('RUN ') ? { bash: text.slice(4) } : { words: ['done'] };
  });
  const s = startSidecar(t, { home: path.join(dir, 'home'), env: { HOME: path.join(dir, 'user') } });
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  const asked = [];
  let answer = 'deny';
  s.connection.onRequest('permission/request', (p) => {
    if (p.tool !== 'custom_command') return { decision: 'allow' };
    asked.push(p);
    return { decision: answer };
  });
  // The user let commands write .claude (a planted place, read-only otherwise), so the agent's bash can write there.
  await s.request('codex/create', { templateId: 'sandbox-policy', title: 'Agent settings writable', fields: {
    filesystem: 'workspace-write', home: 'hidden', network: 'none', writable_paths: [path.join(workspace, '.claude')], folders: [workspace] } });
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-command-key' });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-commands', allowUnlisted: true });
  await s.request('codex/update', { id: chat.id, version: chat.version, fields: { available_tools: ['bash'] } });
  const lastCommandPart = async () => (await s.request('session/messages', { id: chat.id })).messages
    .filter((m) => m.role === 'user').at(-1).parts.find((p) => p.kind === 'text').command;

  // There from the start: runs without asking.
  assert.equal((await s.request('session/send', { sessionId: chat.id, text: '/early one' })).status, 'complete');
  assert.match(told.at(-1), /EARLY-BODY one/);
  assert.equal(asked.length, 0);

  assert.equal((await s.request('session/send', { sessionId: chat.id, text: "RUN printf 'LATE-BODY $ARGUMENTS\\n' > .claude/commands/late.md && echo written" })).status, 'complete');
  assert.ok(fs.existsSync(path.join(workspace, '.claude', 'commands', 'late.md')), 'the agent wrote the command file');
  await until(async () => (await s.request('customizations/list', {})).items?.some((i) => i.kind === 'command' && i.name === 'late' && i.status === 'used')
    ?? false, 'the new command is listed', 30_000, async () => JSON.stringify(await s.request('customizations/list', {})));

  // Denied: sent as typed, not expanded, and said.
  assert.equal((await s.request('session/send', { sessionId: chat.id, text: '/late two' })).status, 'complete');
  assert.equal(asked.length, 1, 'the user was asked');
  assert.equal(asked[0].input.path, '.claude/commands/late.md');
  assert.equal(asked[0].input.command, '/late');
  assert.match(asked[0].input.content, /LATE-BODY/, 'the file is shown');
  assert.equal(asked[0].sessionId, chat.id);
  assert.equal(told.at(-1), '/late two');
  assert.match((await lastCommandPart()).notes.join(' '), /not run/);

  // Allowed: expanded, and not asked again while the file stays as it is.
  answer = 'allow';
  assert.equal((await s.request('session/send', { sessionId: chat.id, text: '/late three' })).status, 'complete');
  assert.equal(asked.length, 2, 'asked again after a denial');
  assert.match(told.at(-1), /LATE-BODY three/);
  assert.equal((await s.request('session/send', { sessionId: chat.id, text: '/late four' })).status, 'complete');
  assert.equal(asked.length, 2, 'allowed once, not asked again while the file stays as it was');
  assert.match(told.at(-1), /LATE-BODY four/);
});
