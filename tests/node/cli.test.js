// The real `plue` command line as a child process against a loopback OpenAI-compatible provider: piped input,
// --json output parsed, clear errors with non-zero exits, and a chat it writes reaching an open sidecar on the
// same home (what VS Code's Channels view hears) without a restart.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { plue, tempHome } = require('./support/plue');
const { startSidecar, within, root } = require('./support/sidecar');

const fakeOpenAI = async (options) => (await import(path.join(root, 'tests', 'e2e', 'support', 'fakeOpenAI.mjs'))).startFakeOpenAI(options);
const key = 'sk-cli-test-0123456789abcdef';

async function withInstance(t, replies, name = 'Loopback') {
  const fake = await fakeOpenAI({ replies });
  t.after(() => fake.close());
  const home = tempHome();
  const added = await plue(['instances', 'add', 'openai', '--name', name, '--endpoint', fake.endpoint, '-m', 'loop-1', '--key-stdin'], { home, input: `${key}\n` });
  assert.equal(added.code, 0, added.stderr);
  return { fake, home };
}

test('a piped ask streams the answer to stdout and sends the question with what was piped in', async (t) => {
  const { fake, home } = await withInstance(t, [{ text: 'Looks good to me.', gapMs: 5 }]);

  const asked = await plue(['ask', 'review this'], { home, input: 'diff --git a/x b/x\n+added line\n' });

  assert.equal(asked.code, 0, asked.stderr);
  assert.equal(asked.stdout, 'Looks good to me.\n');
  assert.equal(asked.stderr, '');
  const sent = fake.chats()[0];
  assert.equal(sent.auth, `Bearer ${key}`);
  assert.equal(sent.body.model, 'loop-1');
  const user = sent.body.messages.filter((m) => m.role === 'user').map((m) => JSON.stringify(m.content)).join('');
  assert.match(user, /review this/);
  assert.match(user, /\+added line/);
});

test('--json gives the stored chat and the answer; sessions list, show and export read it back', async (t) => {
  const { home } = await withInstance(t, [{ text: 'Four.', gapMs: 1 }]);

  const asked = await plue(['ask', 'two plus two?', '--system', 'Answer in one word.', '--json'], { home });

  assert.equal(asked.code, 0, asked.stderr);
  const { session, message } = JSON.parse(asked.stdout);
  assert.equal(session.title, 'two plus two?');
  assert.equal(session.modelId, 'loop-1');
  assert.equal(session.messageCount, 2);
  assert.equal(message.status, 'complete');
  assert.equal(message.parts.find((p) => p.kind === 'text').text, 'Four.');

  const listed = JSON.parse((await plue(['sessions', 'list', '--json'], { home })).stdout);
  assert.deepEqual(listed.map((s) => s.id), [session.id]);
  const table = await plue(['sessions', 'list'], { home });
  assert.match(table.stdout.split('\n')[0], /^id\ttitle\tmodel\tmessages\tcost\tupdated$/);
  assert.match(table.stdout, /two plus two\?\tloop-1\t2\t/);

  const exported = await plue(['sessions', 'export', session.id.slice(0, 8), '--format', 'md'], { home });
  assert.equal(exported.code, 0, exported.stderr);
  assert.match(exported.stdout, /^# two plus two\?\n/);
  assert.match(exported.stdout, /## You\n\ntwo plus two\?\n/);
  assert.match(exported.stdout, /## loop-1\n\nFour\.\n/);
  const json = JSON.parse((await plue(['sessions', 'export', 'two plus two?', '--format', 'json'], { home })).stdout);
  assert.deepEqual(json.messages.map((m) => m.role), ['user', 'assistant']);

  const instances = JSON.parse((await plue(['instances', 'list', '--json'], { home })).stdout);
  assert.equal(instances[0].displayName, 'Loopback');
  assert.equal(instances[0].hasKey, true);
  assert.doesNotMatch(JSON.stringify(instances), new RegExp(key));
  const models = await plue(['models', 'Loopback', '--json'], { home });
  assert.equal(models.code, 0, models.stderr);
  assert.ok(Array.isArray(JSON.parse(models.stdout)));
});

test('bad input: an unknown instance, a missing key, a provider that is down, nothing to ask: a clear message and a non-zero exit', async (t) => {
  const { home } = await withInstance(t, [{ text: 'unused' }]);

  const unknown = await plue(['ask', 'hi', '-i', 'Nope'], { home });
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stdout, '');
  assert.match(unknown.stderr, /No provider instance is called 'Nope'\. Known: Loopback \(`plue instances list`\)/);

  const noKeyAdded = await plue(['instances', 'add', 'openai', '--name', 'Keyless', '--endpoint', 'http://127.0.0.1:9/v1', '-m', 'loop-1', '--no-key'], { home });
  assert.equal(noKeyAdded.code, 0, noKeyAdded.stderr);
  const noKey = await plue(['ask', 'hi', '-i', 'Keyless'], { home });
  assert.notEqual(noKey.code, 0);
  assert.match(noKey.stderr, /no API key/i);
  assert.match(noKey.stderr, /plue instances key "Keyless"/);

  const down = await fakeOpenAI({ replies: [] });
  const endpoint = down.endpoint;
  await down.close();
  await plue(['instances', 'add', 'openai', '--name', 'Down', '--endpoint', endpoint, '-m', 'loop-1', '--key-env', 'DOWN_KEY'], { home, env: { DOWN_KEY: key } });
  const failed = await plue(['ask', 'hi', '-i', 'Down'], { home });
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /Down failed: /);
  assert.match(failed.stderr, /plue instances test "Down"/);
  assert.doesNotMatch(failed.stderr, new RegExp(key));

  const nothing = await plue(['ask'], { home });
  assert.equal(nothing.code, 2);
  assert.match(nothing.stderr, /Nothing to ask/);

  const emptyVariable = await plue(['instances', 'add', 'openai', '--key-env', 'UNSET_VARIABLE_X'], { home });
  assert.equal(emptyVariable.code, 2);
  assert.match(emptyVariable.stderr, /UNSET_VARIABLE_X is empty or not set/);

  const typo = await plue(['instanses', 'list'], { home });
  assert.notEqual(typo.code, 0);
  assert.match(typo.stderr, /instanses/);
});

test('a chat the command line writes reaches a sidecar already open on the same home, as codex/changed with its view', async (t) => {
  const { home } = await withInstance(t, [{ text: 'Hello from the terminal.', gapMs: 1 }]);
  const window = startSidecar({ home, env: { PLUE_VAULT_KEY: Buffer.alloc(32, 7).toString('base64') } });
  t.after(() => window.stop());
  await window.initialize();
  const heard = [];
  window.connection.onNotification('codex/changed', ({ view }) => view?.kind === 'ai-chat' && heard.push(view.session));

  const asked = await plue(['ask', 'made in a terminal', '--json'], { home });
  assert.equal(asked.code, 0, asked.stderr);
  const { session } = JSON.parse(asked.stdout);

  await within(15_000, new Promise((resolve) => {
    const timer = setInterval(() => {
      if (heard.some((s) => s.id === session.id && s.messageCount === 2)) { clearInterval(timer); resolve(); }
    }, 50);
  }), 'codex/changed with the view of the chat the command line made');
  assert.equal(heard.find((s) => s.id === session.id).title, 'made in a terminal');
});

test('plue --help and every command\'s help say what it does', async () => {
  const home = tempHome();
  const help = await plue(['--help'], { home });
  assert.equal(help.code, 0);
  for (const command of ['ask', 'chat', 'providers', 'instances', 'models', 'sessions', 'task']) assert.match(help.stdout, new RegExp(`\\n  ${command}\\b`));
  for (const args of [['ask'], ['instances', 'add'], ['sessions', 'export'], ['task', 'run']]) {
    const sub = await plue([...args, '--help'], { home });
    assert.equal(sub.code, 0);
    assert.match(sub.stdout, /Usage:/);
  }
  const askHelp = await plue(['ask', '--help'], { home });
  for (const option of ['--model', '--instance', '--system', '--file', '--json', '--home']) assert.match(askHelp.stdout, new RegExp(option));
});

test('a window opened while plue ask streams leaves its answer streaming: the command line holds its owner lock', async (t) => {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const { fake, home } = await withInstance(t, [{ text: 'Kept whole.', gapMs: 1, before: held }]);
  const asking = plue(['ask', 'a long answer'], { home });
  await within(30_000, new Promise((resolve) => {
    const timer = setInterval(() => { if (fake.chats().length === 1) { clearInterval(timer); resolve(); } }, 20);
  }), 'the chat request of plue ask');

  // The window's start sweeps answers left streaming by dead sidecars (TranscriptRecovery): the command line's is alive.
  const window = startSidecar({ home, env: { PLUE_VAULT_KEY: Buffer.alloc(32, 7).toString('base64') } });
  t.after(() => window.stop());
  await window.initialize();
  const [chat] = await window.connection.sendRequest('session/list', {});
  const statuses = [];
  for (const deadline = Date.now() + 3000; Date.now() < deadline;) {
    const { messages } = await window.connection.sendRequest('session/messages', { id: chat.id });
    statuses.push(messages.at(-1).status);
    if (statuses.at(-1) !== 'streaming') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.deepEqual([...new Set(statuses)], ['streaming'], window.stderr());

  release();
  const asked = await asking;
  assert.equal(asked.code, 0, asked.stderr);
  assert.equal(asked.stdout, 'Kept whole.\n');
});

// Issue 44, item 5: a command from a file works in `plue ask` as in a chat (a user-level one: ask trusts no folder).
test('plue ask "/name x" sends the command file\'s body with the argument put in', async (t) => {
  const { fake, home } = await withInstance(t, [{ text: 'Reviewed.', gapMs: 1 }]);
  const userHome = path.join(path.dirname(home), 'userhome');
  require('node:fs').mkdirSync(path.join(userHome, '.claude', 'commands'), { recursive: true });
  require('node:fs').writeFileSync(path.join(userHome, '.claude', 'commands', 'review.md'), '---\ndescription: Review a file\n---\nCMD-BODY: review $1 carefully ($ARGUMENTS)\n');

  const asked = await plue(['ask', '/review src/x.ts'], { home, env: { HOME: userHome } });

  assert.equal(asked.code, 0, asked.stderr);
  assert.equal(asked.stdout, 'Reviewed.\n');
  const user = fake.chats()[0].body.messages.filter((m) => m.role === 'user').map((m) => JSON.stringify(m.content)).join('');
  assert.match(user, /CMD-BODY: review src\/x\.ts carefully \(src\/x\.ts\)/);
  assert.doesNotMatch(user, /\/review/);
});

test('sessions search finds a chat by a word of a later message and prints the line that matched; filters by instance and date', async (t) => {
  const { home } = await withInstance(t, [{ text: 'Noted.', gapMs: 1 }, { text: 'Noted.', gapMs: 1 }]);
  const first = JSON.parse((await plue(['ask', 'pack for the trip', '--json'], { home })).stdout);
  const second = JSON.parse((await plue(['ask', 'tell me about the spice markets of Zanzibar', '--json'], { home })).stdout);

  const found = await plue(['sessions', 'search', 'zanzib'], { home });
  assert.equal(found.code, 0, found.stderr);
  const lines = found.stdout.trim().split('\n');
  assert.equal(lines[0], 'id\ttitle\tkind\tinstance\tmodel\tupdated\tline');
  assert.equal(lines.length, 2, found.stdout);
  assert.match(lines[1], new RegExp(`^${second.session.id}\\t.*\\tchat\\tLoopback\\tloop-1\\t.*spice markets of Zanzibar`));

  const json = JSON.parse((await plue(['sessions', 'search', 'trip', '--instance', 'Loopback', '--json'], { home })).stdout);
  assert.deepEqual(json.hits.map((h) => h.id), [first.session.id]);
  assert.equal((await plue(['sessions', 'search', 'zanzibar', '--from', '2999-01-01'], { home })).stdout, 'Nothing found.\n');
  const badDate = await plue(['sessions', 'search', 'zanzibar', '--to', 'yesterday'], { home });
  assert.notEqual(badDate.code, 0);
  assert.match(badDate.stderr, /is not a date; write it as 2026-11-25/);
  const badInstance = await plue(['sessions', 'search', 'zanzibar', '--instance', 'Nope'], { home });
  assert.equal(badInstance.code, 2);
  assert.match(badInstance.stderr, /No provider instance is called 'Nope'/);
});
