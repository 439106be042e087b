// The sandbox policy a command will run under, told before it runs: a chat's bash call asks permission/request with
// the policy in words (the approval card's line), and session/modes gives each mode's policy (the chat's header).
// The real sidecar process and a loopback OpenAI server.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fakeOpenAI, scratch, startSidecar } from '../faults/support/processes.mjs';

test('the sandbox policy a command will run under is told on its approval question and with each chat mode', async (t) => {
  const dir = scratch(t, 'plue-sandbox-shown-');
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  const openai = await fakeOpenAI(t, [{ bash: 'echo hello' }, { words: ['Said hello.'] }]);
  const s = startSidecar(t, { home: path.join(dir, 'home') });
  await s.initialize({ vaultKey: Buffer.alloc(32, 9).toString('base64'), workspaceFolders: [workspace], trusted: true });
  const asked = [];
  s.connection.onRequest('permission/request', (p) => { asked.push(p); return { decision: 'deny' }; });

  const modes = await s.request('session/modes', {});
  const agent = modes.find((m) => m.id === 'mode-agent');
  assert.match(agent?.sandboxPolicy ?? '', /^Workspace write \(home hidden, no network\)$/, JSON.stringify(agent));
  assert.ok(modes.every((m) => typeof m.sandboxPolicy === 'string'), 'a mode without its sandbox policy');

  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-sandbox-0123456789' });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-sandbox', allowUnlisted: true });
  await s.request('session/setMode', { id: chat.id, mode: 'mode-agent' });
  await s.request('session/send', { sessionId: chat.id, text: 'Say hello in the shell' });
  const bash = asked.find((p) => p.tool === 'bash');
  assert.ok(bash, `bash did not ask: ${JSON.stringify(asked)}`);
  assert.equal(bash.sandboxPolicy, agent.sandboxPolicy, 'the question does not say the sandbox the command runs under');
});

// A machine whose bubblewrap cannot make a sandbox (Ubuntu's AppArmor restriction; here a bwrap that fails as it does
// there): the question and the mode say the policy does not apply here, rather than showing a lock that is not there.
test('the sandbox policy is told as not applying where this machine cannot make a sandbox', { skip: process.platform !== 'linux' && 'bubblewrap is Linux-only' }, async (t) => {
  const dir = scratch(t, 'plue-sandbox-shown-off-');
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  const bwrap = path.join(dir, 'bwrap');
  fs.writeFileSync(bwrap, '#!/bin/sh\necho "bwrap: setting up uid map: Permission denied" >&2\nexit 1\n', { mode: 0o755 });
  const openai = await fakeOpenAI(t, [{ bash: 'echo hello' }, { words: ['Said hello.'] }]);
  const s = startSidecar(t, { home: path.join(dir, 'home'), env: { PLUE_BWRAP: bwrap } });
  await s.initialize({ vaultKey: Buffer.alloc(32, 9).toString('base64'), workspaceFolders: [workspace], trusted: true });
  const asked = [];
  s.connection.onRequest('permission/request', (p) => { asked.push(p); return { decision: 'deny' }; });

  const agent = (await s.request('session/modes', {})).find((m) => m.id === 'mode-agent');
  assert.equal(agent?.sandboxPolicy, 'Workspace write, which this machine cannot apply (not sandboxed)');
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-sandbox-0123456789' });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-sandbox', allowUnlisted: true });
  await s.request('session/setMode', { id: chat.id, mode: 'mode-agent' });
  await s.request('session/send', { sessionId: chat.id, text: 'Say hello in the shell' });
  assert.equal(asked.find((p) => p.tool === 'bash')?.sandboxPolicy, agent.sandboxPolicy);
});
