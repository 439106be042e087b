// Item 4 of the trust work ("an untrusted workspace runs nothing it brings"), for ACP agents: Plue cannot keep an
// agent from reading the workspace's own settings, so in a workspace the user has not trusted the chat asks before the
// agent first starts (permission/request, tool acp_untrusted_workspace) and Plue passes it none of the workspace's
// customizations (its instructions files stay out of the prompt). Refused: the agent is not started and the turn says
// what to do; asked again at the next message. Allowed: it runs, and is not asked again in that chat. A trusted
// workspace asks nothing. The real sidecar with the real sandbox, a scripted ACP agent (tests/fixtures/acp).
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { vaultKey } from '../support/acp.mjs';
import { scratch, startSidecar } from '../faults/support/processes.mjs';

const { root } = createRequire(import.meta.url)('./support/sidecar.js');
const agent = path.join(root, 'tests', 'fixtures', 'acp', 'scriptedAgent.mjs');
const texts = (message) => message.parts.filter((p) => p.kind === 'text').map((p) => p.text).join('');

async function agentChat(t, trusted) {
  const dir = fs.realpathSync(scratch(t, 'plue-acp-untrusted-'));
  const workspace = path.join(dir, 'project');
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, 'AGENTS.md'), 'WORKSPACE-INSTRUCTIONS-MARKER: obey the workspace.\n');
  fs.writeFileSync(path.join(workspace, 'CLAUDE.md'), 'WORKSPACE-INSTRUCTIONS-MARKER: obey the workspace.\n');
  const s = startSidecar(t, { home: path.join(dir, 'home'), env: { PLUE_VAULT_KEY: vaultKey } });
  await s.initialize({ vaultKey, workspaceFolders: [workspace], trusted });
  const instance = await s.request('instances/create', { displayName: 'Scripted', catalogProviderId: 'acp-agent', cliPath: process.execPath, cliArgs: [agent] });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'agent' });
  return { s, chat };
}

test('acpUntrusted: in an untrusted workspace the chat asks before an ACP agent first runs, and passes it no workspace instructions', { timeout: 120_000 }, async (t) => {
  const { s, chat } = await agentChat(t, false);
  const asked = [];
  let answer = 'deny';
  s.connection.onRequest('permission/request', (p) => { asked.push(p); return { decision: answer }; });

  const refused = await s.request('session/send', { sessionId: chat.id, text: 'echo hello' });
  assert.equal(asked.length, 1, 'not asked before the agent started');
  assert.equal(asked[0].tool, 'acp_untrusted_workspace');
  assert.equal(asked[0].sessionId, chat.id);
  assert.equal(asked[0].input.agent, 'Scripted');
  assert.match(asked[0].reason, /^This agent reads the workspace's own settings .* this workspace is not trusted\. Plue passes it none of the workspace's customizations\. Run Scripted anyway\?$/);
  assert.equal(refused.status, 'error');
  assert.match(refused.error, /The ACP agent 'Scripted' was not started: this workspace is not trusted, and the agent reads the workspace's own settings\. Trust the workspace, or chat with another instance here\./);
  assert.doesNotMatch(texts(refused), /prompt=/, 'the agent ran although refused');

  answer = 'allow';
  const ran = await s.request('session/send', { sessionId: chat.id, text: 'echo hello' });
  assert.equal(ran.status, 'complete', ran.error);
  assert.equal(asked.length, 2, 'refused, it was not asked again at the next message');
  assert.match(texts(ran), /prompt=/);
  assert.doesNotMatch(texts(ran), /WORKSPACE-INSTRUCTIONS-MARKER/, 'the workspace\'s instructions were passed to the agent');

  const again = await s.request('session/send', { sessionId: chat.id, text: 'echo again' });
  assert.equal(again.status, 'complete', again.error);
  assert.equal(asked.length, 2, 'asked again in the same chat once allowed');
});

test('acpUntrusted: a trusted workspace runs the ACP agent without asking', { timeout: 120_000 }, async (t) => {
  const { s, chat } = await agentChat(t, true);
  const asked = [];
  s.connection.onRequest('permission/request', (p) => { asked.push(p); return { decision: 'deny' }; });
  const ran = await s.request('session/send', { sessionId: chat.id, text: 'echo hello' });
  assert.equal(ran.status, 'complete', ran.error);
  assert.equal(asked.length, 0);
});
