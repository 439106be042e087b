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
  // The card the chat shows above the first result: why, in the user's words; no known narrow fix for this case.
  assert.equal(first.unconfined, 'PLUE_SANDBOX=off: the sandbox was turned off for this sidecar.');
  assert.equal(first.unconfinedFix, undefined);
  assert.equal(second.unconfined, undefined, 'the card shown again at the second command');
  const status = await s.request('plue/status', {});
  assert.equal(status.sandbox.active, false);
});

// Item 8 of the trust work ("where there is no sandbox, say it where it matters"): a bubblewrap that is installed but
// cannot make a sandbox (as under Ubuntu 24.04's AppArmor restriction; here a bwrap that fails as it does there, named
// by PLUE_BWRAP) makes the first command of a chat and of another chat carry the card, with what bwrap answered.
test('unconfinedCard: bubblewrap that cannot start puts the card on the first command of each chat', { timeout: 120_000, skip: process.platform !== 'linux' && 'bubblewrap is Linux-only' }, async (t) => {
  const dir = fs.realpathSync(scratch(t, 'plue-unconfined-bwrap-'));
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  const bwrap = path.join(dir, 'bwrap');
  fs.writeFileSync(bwrap, '#!/bin/sh\necho "bwrap: setting up uid map: Permission denied" >&2\nexit 1\n', { mode: 0o755 });
  const provider = await fakeProvider(t, script);
  const s = startSidecar(t, { home: path.join(dir, 'home'), env: { PLUE_VAULT_KEY: vaultKey, PLUE_BWRAP: bwrap } });
  await s.initialize({ vaultKey, workspaceFolders: [workspace], trusted: true });
  s.connection.onRequest('permission/request', () => ({ decision: 'allow' }));
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: provider.endpoint, apiKey: 'loopback-unconfined-0123456789', defaultModel: 'gpt-u' });
  const results = async (id) => (await s.request('session/messages', { id })).messages.flatMap((m) => m.parts).filter((p) => p.kind === 'tool_result');
  for (const name of ['first chat', 'second chat']) {
    const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-u', allowUnlisted: true });
    assert.equal((await s.request('session/send', { sessionId: chat.id, text: 'RUN echo one' })).status, 'complete');
    assert.equal((await s.request('session/send', { sessionId: chat.id, text: 'RUN echo two' })).status, 'complete');
    const [first, second] = await results(chat.id);
    assert.match(first.unconfined ?? '', /^Bubblewrap cannot make a sandbox on this machine \(bwrap: setting up uid map: Permission denied\)/, `${name}: ${JSON.stringify(first)}`);
    assert.match(first.output, /one/);
    assert.equal(second.unconfined, undefined, `${name}: the card shown again`);
  }
  const status = await s.request('plue/status', {});
  assert.equal(status.sandbox.active, false);
  assert.match(status.sandbox.reason, /bwrap: setting up uid map/);
});

// Item 8: on Ubuntu 24.04 (AppArmor keeps programs from making user namespaces, kernel.apparmor_restrict_unprivileged_userns
// = 1; here read from the file PLUE_APPARMOR_USERNS_FILE names, with a bwrap that fails as it does there) the first
// command's card carries Ubuntu's narrow fix, an AppArmor profile for bwrap alone, and `plue status` prints the exact commands.
test('unconfinedCard: under Ubuntu\'s AppArmor restriction the card and plue status give the exact commands of the profile for bwrap', { timeout: 120_000, skip: process.platform !== 'linux' && 'bubblewrap is Linux-only' }, async (t) => {
  const { plue } = (await import('node:module')).createRequire(import.meta.url)('./support/plue.js');
  const dir = fs.realpathSync(scratch(t, 'plue-unconfined-apparmor-'));
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  const bwrap = path.join(dir, 'bwrap');
  fs.writeFileSync(bwrap, '#!/bin/sh\necho "bwrap: setting up uid map: Permission denied" >&2\nexit 1\n', { mode: 0o755 });
  const restriction = path.join(dir, 'apparmor_restrict_unprivileged_userns');
  fs.writeFileSync(restriction, '1\n');
  const env = { PLUE_VAULT_KEY: vaultKey, PLUE_BWRAP: bwrap, PLUE_APPARMOR_USERNS_FILE: restriction };
  const profile = [
    "sudo tee /etc/apparmor.d/bwrap > /dev/null <<'EOF'",
    'abi <abi/4.0>,',
    'include <tunables/global>',
    '',
    `profile bwrap ${bwrap} flags=(unconfined) {`,
    '  userns,',
    '',
    '  include if exists <local/bwrap>',
    '}',
    'EOF',
    'sudo apparmor_parser -r /etc/apparmor.d/bwrap',
  ].join('\n');

  const provider = await fakeProvider(t, script);
  const home = path.join(dir, 'home');
  const s = startSidecar(t, { home, env });
  await s.initialize({ vaultKey, workspaceFolders: [workspace], trusted: true });
  s.connection.onRequest('permission/request', () => ({ decision: 'allow' }));
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: provider.endpoint, apiKey: 'loopback-unconfined-0123456789', defaultModel: 'gpt-u' });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-u', allowUnlisted: true });
  assert.equal((await s.request('session/send', { sessionId: chat.id, text: 'RUN echo one' })).status, 'complete');
  const [first] = (await s.request('session/messages', { id: chat.id })).messages.flatMap((m) => m.parts).filter((p) => p.kind === 'tool_result');
  assert.match(first.unconfined, /AppArmor keeps programs from making user namespaces \(Ubuntu 23\.10 and later\)/);
  assert.equal(first.unconfinedFix, profile);

  const status = await plue(['status'], { home, cwd: workspace, env, vaultKey });
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /^sandbox {4}not active: bubblewrap cannot make a sandbox on this machine \(bwrap: setting up uid map: Permission denied\): AppArmor keeps/m);
  assert.ok(status.stdout.includes(`to fix it, run:\n${profile.split('\n').map((line) => `             ${line}`).join('\n')}`), status.stdout);
});
