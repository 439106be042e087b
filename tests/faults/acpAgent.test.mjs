// An acp-agent instance's agent (Zed's Claude Code ACP adapter, from npm, against a loopback Anthropic API) failing
// under the real sidecar: killed in the middle of a turn, the turn ends with an error that says so and keeps the text
// that had streamed, and the next turn starts the agent anew; a line that is not JSON in its stream costs that line
// only: the turn completes with all its text.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { descendants, procView, scratch, startSidecar, until } from './support/processes.mjs';
import { acpInstance, claudeCodeAcp, fakeAnthropic } from '../support/acpAgent.mjs';

const vaultKey = Buffer.alloc(32, 13).toString('base64');
const texts = (message) => message.parts.filter((p) => p.kind === 'text').map((p) => p.text).join('');

async function agentChat(t, { reply, command, args }) {
  const dir = fs.realpathSync(scratch(t));
  const project = path.join(dir, 'project');
  fs.mkdirSync(project);
  const anthropic = await fakeAnthropic(t, reply);
  // Unsandboxed: the scripted agent logs to this test's scratch folder (tests/node/sandbox.test.mjs tests the sandbox).
  const s = startSidecar(t, { home: path.join(dir, 'home'), env: { PLUE_SANDBOX: 'off' } });
  await s.initialize({ vaultKey, workspaceFolders: [project], trusted: true });
  const instance = await acpInstance(s.request, { endpoint: anthropic.endpoint, dir, command, args });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'agent' });
  return { s, chat, anthropic, dir };
}

test('an ACP agent killed mid-turn: the turn ends with an error naming the exit, its text so far is kept, and the next turn starts the agent anew', async (t) => {
  let holding = true;
  const { s, chat, anthropic, dir } = await agentChat(t, {
    reply: (body) => (!(body.tools ?? []).length ? { words: ['OK'] }
      : holding ? { words: ['Partial', ' answer'], hold: true } : { words: ['Back', ' again.'] }),
  });
  let streamed = '';
  s.connection.onNotification('session/partDelta', (p) => { streamed += p.delta; });

  const answer = s.request('session/send', { sessionId: chat.id, text: 'start something long' });
  await until(() => streamed.includes('Partial answer'), 'the partial text streamed', 120_000);
  const agents = descendants(s.pid).filter((pid) => procView(pid).cmdline.toString().includes('claude-code-acp'));
  assert.ok(agents.length > 0, 'the agent runs as a child of the sidecar');
  // What the agent started (the claude CLI it runs) carries its Claude settings folder in its environment.
  const startedByAgent = () => fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e) && Number(e) !== agents[0])
    .filter((pid) => procView(pid).environ.toString().split('\0').includes(`CLAUDE_CONFIG_DIR=${path.join(dir, 'claude-config')}`));
  assert.ok(startedByAgent().length > 0, 'the agent has started the claude CLI');
  process.kill(agents[0], 'SIGKILL');

  const failed = await answer;
  assert.equal(failed.status, 'error');
  assert.match(failed.error, /ACP agent 'Claude Code over ACP' exited in the middle of a turn/);
  assert.match(failed.error, /send again/i, 'the error says what to do');
  assert.equal(texts(failed), 'Partial answer', 'the text that streamed is kept');
  const stored = await s.request('session/messages', { id: chat.id });
  assert.equal(texts(stored.messages.at(-1)), 'Partial answer', 'and stored');
  // Its process group dies with it: nothing it started is left behind to go on writing (its CLI's session files).
  await until(() => startedByAgent().length === 0, 'what the killed agent started to end', 10_000, () => startedByAgent().map((pid) => procView(pid).cmdline.toString()).join('\n'));

  holding = false;
  for (const res of anthropic.held) res.destroy();
  const next = await s.request('session/send', { sessionId: chat.id, text: 'try again' });
  assert.equal(next.status, 'complete', next.error);
  assert.equal(texts(next), 'Back again.');
});

test('a line that is not JSON from an ACP agent costs that line only: the turn completes with all its text', async (t) => {
  const report = path.join(fs.realpathSync(scratch(t)), 'answered.jsonl');
  const { s, chat } = await agentChat(t, {
    reply: (body) => (!(body.tools ?? []).length ? { words: ['OK'] } : { words: ['Every', ' word', ' arrives.'] }),
    command: process.execPath,
    args: [path.join(import.meta.dirname, 'support', 'acpMalformedLine.mjs'), report, claudeCodeAcp],
  });
  const answer = await s.request('session/send', { sessionId: chat.id, text: 'say it' });
  assert.equal(answer.status, 'complete', answer.error);
  assert.equal(texts(answer), 'Every word arrives.');
  // The refusal went to the agent before the rest of its stream was read, yet reaches the file in its own time.
  const written = await until(() => fs.existsSync(report) && fs.readFileSync(report, 'utf8').trim(), 'the agent to hear that its line is not JSON', 10_000);
  const refusal = JSON.parse(written.split('\n')[0]);
  assert.equal(refusal.error.code, -32700, 'the agent was told its line is not JSON');
  assert.match(refusal.error.message, /Parse error: the body of session\/update is not valid JSON/);
});
