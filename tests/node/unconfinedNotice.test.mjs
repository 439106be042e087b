// Where there is no sandbox, the first command of a chat or task says so: a sidecar that cannot sandbox (here
// PLUE_SANDBOX=off stands for Windows, macOS for now, Ubuntu's AppArmor restriction or a missing bubblewrap) runs a
// chat's commands unconfined, and the first one's result (what the model reads and the call's card shows) says it, with
// what to do; the chat's next command and a Sandbox Off chat do not repeat it. The real sidecar, a loopback provider.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fakeProvider, lastMessage, vaultKey } from '../support/acp.mjs';
import { scratch, startSidecar } from '../faults/support/processes.mjs';

function script({ messages }) {
  const last = lastMessage(messages);
  if (last.role === 'tool') return { words: ['done'] };
  const run = /RUN (.+?)(?:\n|$)/.exec(last.content);
  return run ? { tool: 'bash', args: { command: run[1].trim() } } : { words: ['nothing to run'] };
}

test('the first command of a chat that runs unconfined says so, once', { timeout: 120_000 }, async (t) => {
  const dir = fs.realpathSync(scratch(t, 'plue-unconfined-'));
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  const provider = await fakeProvider(t, script);
  const s = startSidecar(t, { home: path.join(dir, 'home'), env: { PLUE_VAULT_KEY: vaultKey, PLUE_SANDBOX: 'off' } });
  await s.initialize({ vaultKey, workspaceFolders: [workspace], trusted: true });
  s.connection.onRequest('permission/request', () => ({ decision: 'allow' }));
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: provider.endpoint, apiKey: 'loopback-unconfined-0123456789', defaultModel: 'gpt-u' });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-u', allowUnlisted: true });
  const results = async () => (await s.request('session/messages', { id: chat.id })).messages.flatMap((m) => m.parts).filter((p) => p.kind === 'tool_result');

  assert.equal((await s.request('session/send', { sessionId: chat.id, text: 'RUN echo first' })).status, 'complete');
  assert.equal((await s.request('session/send', { sessionId: chat.id, text: 'RUN echo second' })).status, 'complete');
  const [first, second] = await results();

  assert.match(first.output, /^\[Not sandboxed: this command ran with your full access\. PLUE_SANDBOX=off: the sandbox was turned off for this sidecar\.\]\n[\s\S]*first/);
  assert.equal(second.output.includes('Not sandboxed'), false, 'said again at the second command');
  const status = await s.request('plue/status', {});
  assert.equal(status.sandbox.active, false);
});
