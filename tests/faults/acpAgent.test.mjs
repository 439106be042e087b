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
  return { s, chat, anthropic };
}

test('an ACP agent killed mid-turn: the turn ends with an error naming the exit, its text so far is kept, and the next turn starts the agent anew', async (t) => {
  let holding = true;
  const { s, chat, anthropic } = await agentChat(t, {
    reply: (body) => (!(body.tools ?? []).length ? { words: ['OK'] }
      : holding ? { words: ['Partial', ' answer'], hold: true } : { words: ['Back', ' again.'] }),
  });
  let streamed = '';
  s.connection.onNotification('session/partDelta', (p) => { streamed += p.delta; });

  const answer = s.request('session/send', { sessionId: chat.id, text: 'start something long' });
  await until(() => streamed.includes('Partial answer'), 'the partial text streamed', 120_000);
  const agents = descendants(s.pid).filter((pid) => procView(pid).cmdline.toString().includes('claude-code-acp'));
  assert.ok(agents.length > 0, 'the agent runs as a child of the sidecar');
  process.kill(agents[0], 'SIGKILL');

  const failed = await answer;
  assert.equal(failed.status, 'error');
  assert.match(failed.error, /ACP agent 'Claude Code over ACP' exited in the middle of a turn/);
  assert.match(failed.error, /send again/i, 'the error says what to do');
  assert.equal(texts(failed), 'Partial answer', 'the text that streamed is kept');
  const stored = await s.request('session/messages', { id: chat.id });
  assert.equal(texts(stored.messages.at(-1)), 'Partial answer', 'and stored');

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
  const refusal = JSON.parse(fs.readFileSync(report, 'utf8').trim().split('\n')[0]);
  assert.equal(refusal.error.code, -32700, 'the agent was told its line is not JSON');
  assert.match(refusal.error.message, /Parse error: the body of session\/update is not valid JSON/);
});
