// Checkpoints through the real sidecar process: a loopback OpenAI server makes a chat run bash in a real workspace
// folder; the turn is listed with its files and its diff, restoring it puts the files and the conversation back, and
// the restore is itself undone by restoring to the checkpoint it made.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fakeOpenAI, scratch, startSidecar } from '../faults/support/processes.mjs';

test('a chat\'s bash turn is a checkpoint: its diff shows, restoring puts files and conversation back, and is undoable', async (t) => {
  const dir = scratch(t, 'plue-checkpoints-');
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  const file = (name) => path.join(workspace, name);
  fs.writeFileSync(file('a.txt'), 'before\n');
  // The first request carries the tools and gets a bash call; the one with its result gets an answer.
  const openai = await fakeOpenAI(t, ({ index }) => (index === 0 ? { bash: 'echo after > a.txt && echo new > b.txt' } : { words: ['done'] }));
  const s = startSidecar(t, { home: path.join(dir, 'home') });
  await s.initialize({ vaultKey: Buffer.alloc(32, 5).toString('base64'), workspaceFolders: [workspace], trusted: true });
  const asked = [];
  s.connection.onRequest('permission/request', (p) => { asked.push(p.tool); return { decision: 'allow' }; });
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'sk-checkpoints-0123456789' });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-checkpoints', allowUnlisted: true });
  await s.request('codex/update', { id: chat.id, version: chat.version, fields: { available_tools: ['bash'] } });

  const answer = await s.request('session/send', { sessionId: chat.id, text: 'change a' });
  assert.equal(answer.status, 'complete');
  assert.deepEqual(asked, ['bash']);
  assert.equal(fs.readFileSync(file('a.txt'), 'utf8'), 'after\n');

  const { available, checkpoints } = await s.request('checkpoint/list', { sessionId: chat.id });
  assert.equal(available, true);
  assert.equal(checkpoints.length, 1);
  const [turn] = checkpoints;
  const question = (await s.request('session/messages', { id: chat.id })).messages.find((m) => m.role === 'user');
  assert.equal(turn.messageId, question.id);
  assert.deepEqual(turn.files, [{ path: 'a.txt', change: 'modified' }, { path: 'b.txt', change: 'added' }]);
  const diff = await s.request('checkpoint/diff', { sessionId: chat.id, checkpointId: turn.id, path: 'a.txt' });
  assert.deepEqual([diff.before, diff.after, diff.binary], ['before\n', 'after\n', false]);
  assert.match(diff.patch, /^\+new$/m);

  const restored = await s.request('checkpoint/restore', { sessionId: chat.id, messageId: question.id, files: true, conversation: true });
  assert.equal(restored.restored, true);
  assert.equal(restored.text, 'change a');
  assert.equal(fs.readFileSync(file('a.txt'), 'utf8'), 'before\n');
  assert.equal(fs.existsSync(file('b.txt')), false);
  assert.deepEqual((await s.request('session/messages', { id: chat.id })).messages, []);
  // The store is the home's: the workspace holds no repository of ours.
  assert.deepEqual(fs.readdirSync(workspace), ['a.txt']);

  const undone = await s.request('checkpoint/restore', { sessionId: chat.id, checkpointId: restored.undoCheckpointId });
  assert.equal(undone.restored, true);
  assert.equal(fs.readFileSync(file('a.txt'), 'utf8'), 'after\n');
  assert.equal(fs.readFileSync(file('b.txt'), 'utf8'), 'new\n');
});

test('the checkpoints\' git runs no command that a config the agent could write names: a global filter and fsmonitor, a nested repository\'s, never run; the turn is still recorded and restored', async (t) => {
  const dir = scratch(t, 'plue-checkpoints-config-');
  const workspace = path.join(dir, 'ws');
  const userHome = path.join(dir, 'user');
  const ran = path.join(dir, 'ran');
  fs.mkdirSync(path.join(workspace, 'nested'), { recursive: true });
  fs.mkdirSync(userHome);
  // What a user (or an agent given a writable home) may have in ~/.gitconfig, and a repository of the workspace's own.
  const commands = (scope) => `[core]\n\tfsmonitor = "echo ${scope}-fsmonitor >> ${ran}; false"\n`
    + `[filter "probe"]\n\tclean = "echo ${scope}-clean >> ${ran}; cat"\n\tsmudge = "echo ${scope}-smudge >> ${ran}; cat"\n\trequired = true\n`;
  fs.writeFileSync(path.join(userHome, '.gitconfig'), commands('global'));
  fs.writeFileSync(path.join(workspace, '.gitattributes'), '* filter=probe\n');
  fs.writeFileSync(path.join(workspace, 'a.txt'), 'before\n');
  const git = (...args) => execFileSync('git', ['-c', 'core.fsmonitor=false', '-c', 'filter.probe.clean=cat', '-c', 'filter.probe.smudge=cat', ...args],
    { cwd: path.join(workspace, 'nested'), env: { PATH: process.env.PATH, HOME: userHome, GIT_CONFIG_NOSYSTEM: '1' } });
  fs.writeFileSync(path.join(workspace, 'nested', 'n.txt'), 'nested\n');
  git('init', '--quiet');
  git('add', 'n.txt');
  git('-c', 'user.name=Probe', '-c', 'user.email=probe@example.com', 'commit', '--quiet', '-m', 'nested');
  fs.writeFileSync(path.join(workspace, 'nested', '.git', 'config'), fs.readFileSync(path.join(workspace, 'nested', '.git', 'config'), 'utf8') + commands('nested'));
  const openai = await fakeOpenAI(t, ({ index }) => (index === 0 ? { bash: 'echo after > a.txt && echo more >> nested/n.txt' } : { words: ['done'] }));
  const s = startSidecar(t, { home: path.join(dir, 'home'), env: { HOME: userHome } });
  await s.initialize({ vaultKey: Buffer.alloc(32, 5).toString('base64'), workspaceFolders: [workspace], trusted: true });
  s.connection.onRequest('permission/request', () => ({ decision: 'allow' }));
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-checkpoints-config-key' });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-checkpoints', allowUnlisted: true });
  await s.request('codex/update', { id: chat.id, version: chat.version, fields: { available_tools: ['bash'] } });

  assert.equal((await s.request('session/send', { sessionId: chat.id, text: 'change a' })).status, 'complete');
  const { checkpoints } = await s.request('checkpoint/list', { sessionId: chat.id });
  assert.deepEqual(checkpoints.map((c) => c.files.map((f) => f.path)), [['a.txt']]);
  const question = (await s.request('session/messages', { id: chat.id })).messages.find((m) => m.role === 'user');
  assert.equal((await s.request('checkpoint/restore', { sessionId: chat.id, messageId: question.id, files: true, conversation: false })).restored, true);
  assert.equal(fs.readFileSync(path.join(workspace, 'a.txt'), 'utf8'), 'before\n');
  assert.equal(fs.existsSync(ran) ? fs.readFileSync(ran, 'utf8') : '', '', 'a command named by a config ran');
});

test('a nested repository with no commit yet (an agent\'s git init) is left out of the checkpoint until it has one; the turn is still recorded and restored', async (t) => {
  const dir = scratch(t, 'plue-checkpoints-fresh-');
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, 'a.txt'), 'before\n');
  const commit = 'git -C fresh -c user.name=Probe -c user.email=probe@example.com commit --quiet --allow-empty -m first';
  const openai = await fakeOpenAI(t, ({ index }) => [
    { bash: 'git init --quiet fresh && echo f > fresh/f.txt && echo after > a.txt' }, { words: ['made'] },
    { bash: `${commit} && echo again > a.txt` }, { words: ['committed'] },
  ][index] ?? { words: ['done'] });
  const s = startSidecar(t, { home: path.join(dir, 'home') });
  await s.initialize({ vaultKey: Buffer.alloc(32, 5).toString('base64'), workspaceFolders: [workspace], trusted: true });
  s.connection.onRequest('permission/request', () => ({ decision: 'allow' }));
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-checkpoints-fresh-key' });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-checkpoints', allowUnlisted: true });
  await s.request('codex/update', { id: chat.id, version: chat.version, fields: { available_tools: ['bash'] } });

  assert.equal((await s.request('session/send', { sessionId: chat.id, text: 'start a project' })).status, 'complete');
  assert.ok(fs.existsSync(path.join(workspace, 'fresh', '.git')), 'the agent made its repository');
  let { checkpoints } = await s.request('checkpoint/list', { sessionId: chat.id });
  assert.deepEqual(checkpoints.map((c) => c.files.map((f) => f.path)), [['a.txt']], 'recorded, the repository with no commit left out');

  assert.equal((await s.request('session/send', { sessionId: chat.id, text: 'commit it' })).status, 'complete');
  ({ checkpoints } = await s.request('checkpoint/list', { sessionId: chat.id }));
  assert.deepEqual(checkpoints.map((c) => c.files.map((f) => f.path)), [['a.txt'], ['a.txt', 'fresh']], 'with a commit, it is in the next checkpoint again');

  const first = (await s.request('session/messages', { id: chat.id })).messages.find((m) => m.role === 'user');
  assert.equal((await s.request('checkpoint/restore', { sessionId: chat.id, messageId: first.id, files: true, conversation: false })).restored, true);
  assert.equal(fs.readFileSync(path.join(workspace, 'a.txt'), 'utf8'), 'before\n');
});
