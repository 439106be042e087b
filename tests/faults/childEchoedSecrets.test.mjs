// Children that echo the credentials Plue gave them, through the real sidecar: a `bash` command printing a secret
// variable PLUE_CHILD_ENV lets through, and an ACP agent (tests/fixtures/acp/scriptedAgent.mjs) printing the vault key
// its environment line names, in its text, thoughts, tool calls' titles and inputs, their content and raw output. In
// every form (raw, URL-encoded, base64 plain and as a Basic pair, JSON-escaped) the secret reaches none of plue.db and
// the home's other files, the transcript, the RPC frames, nor the next request to the model.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chatOn, fakeOpenAI, filesUnder, leaks, root, scratch, startSidecar, until } from './support/processes.mjs';

const vaultKey = Buffer.alloc(32, 17).toString('base64');

/** The forms `leaks` does not look for itself: JSON-escaped (solidus too) and inside a Basic pair. */
const moreForms = (secret) => [JSON.stringify(secret).slice(1, -1).replaceAll('/', '\\/'), Buffer.from(`user:${secret}`).toString('base64').slice(8, -4)];

function leaked(places, secret) {
  const found = leaks(places, [secret]);
  for (const [where, content] of places) for (const form of moreForms(secret)) if (String(content).includes(form)) found.push(`${where}: ${form}`);
  return found;
}

test('a bash command echoing a secret variable it was given: the value is scrubbed in every form before it is stored or sent to the model', { timeout: 120_000 }, async (t) => {
  const secret = `dep/loy+Tok=en_${Date.now().toString(36)}_Zk4 9q`;
  const dir = fs.realpathSync(scratch(t, 'plue-bash-echo-'));
  const workspace = path.join(dir, 'project');
  fs.mkdirSync(workspace);
  const home = path.join(dir, 'home');
  // bash prints the variable raw, URL-encoded, base64, as a Basic pair "user:<secret>" and JSON-escaped.
  const command = [
    'u() { local s="$1" i c; for ((i=0;i<${#s};i++)); do c=${s:i:1}; case $c in [a-zA-Z0-9.~_-]) printf %s "$c";; *) printf %%%02X "\'$c";; esac; done; }',
    'echo "raw $DEPLOY_TOKEN"',
    'echo "url $(u "$DEPLOY_TOKEN")"',
    'echo "b64 $(printf %s "$DEPLOY_TOKEN" | base64 -w0)"',
    'echo "basic $(printf user:%s "$DEPLOY_TOKEN" | base64 -w0)"',
    'printf \'json {"token":"%s"}\\n\' "${DEPLOY_TOKEN//\\//\\\\/}"',
    'echo "ok"',
  ].join('\n');
  const openai = await fakeOpenAI(t, ({ body }) => (body.includes('"tool"') ? { words: ['done'] } : { bash: command }));
  const s = startSidecar(t, { home, env: { PLUE_CHILD_ENV: 'DEPLOY_TOKEN', DEPLOY_TOKEN: secret } });
  await s.initialize({ vaultKey, workspaceFolders: [workspace], trusted: true });
  const { instance } = await chatOn(s, openai.endpoint);
  const task = await s.request('task/start', {
    templateId: 'task', prompt: 'show the token', providerRef: instance.ref, modelId: 'gpt-faults',
    fields: { available_tools: ['bash'], auto_approve: ['bash'] },
  });
  await until(async () => (await s.request('task/get', { id: task.id })).status === 'completed', 'the task completes', 60_000, s.stderr);
  const transcript = await s.request('task/messages', { id: task.id });
  const result = JSON.parse(openai.requests.at(-1).body).messages.find((m) => m.role === 'tool').content;
  // The Basic pair keeps at most the base64 groups it shares with "user:".
  assert.match(result, /^raw \*\*\*\nurl \*\*\*\nb64 \*\*\*\nbasic [\w+/=]{0,8}\*\*\*[\w+/=]{0,4}\njson \{"token":"\*\*\*"\}\nok\n\[exit code 0\]$/);
  await s.stop();
  const places = [
    ...filesUnder(home).filter(([file]) => path.basename(file) !== 'vault.bin').map(([file, bytes]) => [path.relative(home, file), bytes]),
    ['transcript', JSON.stringify(transcript)],
    ['rpc frames', s.frames()],
    ...openai.requests.map((r, i) => [`model request ${i + 1}`, r.body]),
  ];
  assert.deepEqual(leaked(places, secret), []);
});

test('an ACP agent echoing the vault key its environment names: scrubbed from its text, thoughts, tool calls and their output before they are stored, shown or sent on', { timeout: 120_000 }, async (t) => {
  const secret = `agent/Key+${Date.now().toString(36)}=Qx7_secret`;
  const dir = fs.realpathSync(scratch(t, 'plue-acp-echo-'));
  const workspace = path.join(dir, 'project');
  fs.mkdirSync(workspace);
  const home = path.join(dir, 'home');
  const prompts = path.join(dir, 'prompts.jsonl');
  const agent = path.join(root, 'tests', 'fixtures', 'acp', 'scriptedAgent.mjs');

  // Unsandboxed: the scripted agent logs to this test's scratch folder (tests/node/sandbox.test.mjs tests the sandbox).
  const s = startSidecar(t, { home, env: { PLUE_SANDBOX: 'off' } });
  await s.initialize({ vaultKey, workspaceFolders: [workspace], trusted: true });
  await s.request('vault/store', { ref: 'vault://agent/secret', value: secret });
  const instance = await s.request('instances/create', {
    displayName: 'Scripted', catalogProviderId: 'acp-agent', cliPath: process.execPath, cliArgs: [agent],
    cliEnv: ['AGENT_SECRET=vault://agent/secret', `SCRIPTED_AGENT_PROMPTS=${prompts}`],
  });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'agent' });
  const record = await s.request('codex/get', { id: chat.id });
  await s.request('codex/update', { id: chat.id, version: record.version, fields: { available_tools: ['bash'] } });
  const asked = [];
  s.connection.onRequest('permission/request', (p) => { asked.push(p); return { decision: 'deny', message: 'No.' }; });
  const deltas = [];
  s.connection.onNotification('session/partDelta', (p) => deltas.push(p.delta));
  const answer = await s.request('session/send', { sessionId: chat.id, text: 'leak it' });
  assert.equal(answer.status, 'complete', answer.error);
  const text = answer.parts.filter((p) => p.kind === 'text').map((p) => p.text).join('');
  assert.match(text, /^raw \*\*\* url \*\*\* b64 \*\*\* basic [\w+/=]{0,8}\*\*\*[\w+/=]{0,4} json \*\*\* end leaked\.$/);
  const stored = await s.request('session/messages', { id: chat.id });
  const parts = stored.messages.at(-1).parts;
  assert.ok(parts.some((p) => p.kind === 'tool_use'), `the tool calls are kept: ${parts.map((p) => p.kind)}`);
  assert.equal(asked.length, 1, 'the agent\'s question was asked');
  assert.match(JSON.stringify(asked[0]), /Send \*\*\* on/);
  await s.stop();

  // A new sidecar starts a new agent, which is given the conversation so far: its prompt holds no secret either.
  const again = startSidecar(t, { home, env: { PLUE_SANDBOX: 'off' } });
  await again.initialize({ vaultKey, workspaceFolders: [workspace], trusted: true });
  const next = await again.request('session/send', { sessionId: chat.id, text: 'and now hello' });
  assert.equal(next.status, 'complete', next.error);
  const transcript = await again.request('session/messages', { id: chat.id });
  await again.stop();
  const sent = fs.readFileSync(prompts, 'utf8');
  assert.match(sent, /Assistant: raw \*\*\* url \*\*\*/, 'the second prompt carried the first turn, scrubbed');

  const places = [
    ...filesUnder(home).filter(([file]) => path.basename(file) !== 'vault.bin').map(([file, bytes]) => [path.relative(home, file), bytes]),
    ['transcript', JSON.stringify(transcript)],
    ['deltas', deltas.join('')],
    ['permission/request', JSON.stringify(asked)],
    ['rpc frames', s.frames()],
    ['rpc frames after the restart', again.frames()],
    ['prompts the agent was sent', sent],
  ];
  assert.deepEqual(leaked(places, secret), []);
});
