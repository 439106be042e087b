// The real `plue` on a real terminal (tmux): an interactive chat with history, /cost, Ctrl+C that stops a turn
// and then leaves; and `task run --watch` drawing the task and asking its approval on the terminal.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { plue, tempHome } = require('./support/plue');
const { sidecarCommand, root } = require('./support/sidecar');
const { inTerminal } = require('./support/tmux');

const fakeOpenAI = async (options) => (await import(path.join(root, 'tests', 'e2e', 'support', 'fakeOpenAI.mjs'))).startFakeOpenAI(options);
const vaultKey = Buffer.alloc(32, 7).toString('base64');

async function setUp(t, options) {
  const fake = await fakeOpenAI(options);
  t.after(() => fake.close());
  const home = tempHome();
  const added = await plue(['instances', 'add', 'openai', '--name', 'Loopback', '--endpoint', fake.endpoint, '-m', 'loop-1', '--key-stdin'], { home, input: 'sk-terminal-0123456789\n' });
  assert.equal(added.code, 0, added.stderr);
  return { fake, home };
}

function terminal(t, args, home, cwd) {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, PLUE_HOME: home, PLUE_VAULT_KEY: vaultKey, TERM: 'xterm-256color' };
  const [command, argv] = sidecarCommand(...args);
  const shell = inTerminal([command, ...argv], env, cwd ?? home);
  t.after(() => shell.close());
  return shell;
}

test('plue chat: streams answers, /cost, Up recalls the last line, Ctrl+C stops a turn, a second Ctrl+C leaves', async (t) => {
  const slow = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
  const { home } = await setUp(t, { replies: [{ text: 'Hi from the loopback.', gapMs: 5 }, { text: slow, gapMs: 100 }] });
  const chat = terminal(t, ['chat'], home);
  await chat.waitFor(/New chat with loop-1 on Loopback/);

  chat.type('hello there');
  chat.send('Enter');
  await chat.waitFor(/Hi from the loopback\.\n> $/m);
  chat.type('/cost');
  chat.send('Enter');
  await chat.waitFor(/12000 in, 4000 out · cost unknown/);
  chat.send('Up');
  await chat.waitFor(/> \/cost\s*$/);
  chat.send('C-u');
  for (let i = 0; i < 5; i++) chat.send('BSpace');

  chat.type('count slowly');
  chat.send('Enter');
  await chat.waitFor(/word3/);
  chat.send('C-c');
  await chat.waitFor(/\(stopped\)\n> $/m);
  chat.send('C-c');
  const last = await chat.waitFor(/\[exited \d+\]/);
  assert.match(last, /\[exited 130\]/);
  assert.doesNotMatch(last, /word199/);

  const sessions = JSON.parse((await plue(['sessions', 'list', '--json'], { home })).stdout);
  assert.equal(sessions.length, 1);
  assert.equal(sessions[0].title, 'hello there');
  const exported = JSON.parse((await plue(['sessions', 'export', sessions[0].id, '--format', 'json'], { home })).stdout);
  assert.deepEqual(exported.messages.map((m) => `${m.role}:${m.status}`), ['user:complete', 'assistant:complete', 'user:complete', 'assistant:cancelled']);
});

test('plue task run --watch: the live tree, and the agent\'s command approved on the terminal runs', async (t) => {
  const workspace = fs.mkdtempSync(path.join(path.dirname(tempHome()), 'workspace-'));
  const { fake, home } = await setUp(t, {
    respond: (body) => body.messages.some((m) => m.role === 'tool')
      ? { text: 'Wrote the file.', gapMs: 1 }
      : { toolCalls: [{ name: 'bash', arguments: { command: 'echo approved > made-by-agent.txt' } }] },
  });
  const task = terminal(t, ['task', 'run', 'task', 'Make a file', '--tools', 'read', 'bash', '--watch'], home, workspace);

  const asking = await task.waitFor(/\[a\]llow, allow for this \[t\]ask, always in this \[w\]orkspace, \[d\]eny: $/m);
  assert.match(asking, /The agent wants to run bash:/);
  assert.match(asking, /\$ echo approved > made-by-agent\.txt/);
  // The question and the task's new status come apart (a request and a notification): the tree may be redrawn after
  // the question shows, as the Native AOT build, quicker to ask, made plain.
  await task.waitFor(/waiting for approval of bash · loop-1/, 10_000);
  task.type('a');
  task.send('Enter');
  const done = await task.waitFor(/\[exited \d+\]/);
  assert.match(done, /✓ Make a file · completed · loop-1 · /);
  assert.match(done, /Wrote the file\./);
  assert.match(done, /\[exited 0\]/);
  assert.equal(fs.readFileSync(path.join(workspace, 'made-by-agent.txt'), 'utf8'), 'approved\n');
  assert.equal(fake.chats().length, 2);

  const listed = JSON.parse((await plue(['task', 'list', '--json'], { home })).stdout);
  assert.deepEqual(listed.map((x) => [x.title, x.status]), [['Make a file', 'completed']]);
});
