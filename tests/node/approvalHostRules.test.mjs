// Grants that cannot widen, made from the approval question as the card makes them: "Always allow `curl` to
// 127.0.0.1:A everywhere" answered in one workspace's sidecar is a user-wide host rule. A second sidecar on the same
// home with another workspace runs `curl` to that loopback host without asking and asks for another loopback host;
// `plue approvals replay` in that workspace prints the rule, its level and both calls. The hosts are real loopback
// HTTP servers; a loopback OpenAI server makes the model run the command its prompt names.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fakeProvider, lastMessage, vaultKey } from '../support/acp.mjs';
import { scratch, startSidecar } from '../faults/support/processes.mjs';

const { plue } = createRequire(import.meta.url)('./support/plue.js');

function script({ messages }) {
  const last = lastMessage(messages);
  if (last.role === 'tool') return { words: ['done'] };
  const run = /RUN (.+?)(?:\n|$)/.exec(last.content);
  return run ? { tool: 'bash', args: { command: run[1].trim() } } : { words: ['nothing to run'] };
}

/** A loopback HTTP server answering ok; its host:port. */
async function loopbackHost(t) {
  const server = http.createServer((_, res) => res.end('ok'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  return `127.0.0.1:${server.address().port}`;
}

/** [command, decision, source, rule] of each tool call's recorded approval. */
const decisions = (messages) => messages.flatMap((m) => m.parts).filter((p) => p.kind === 'tool_use')
  .map((p) => [p.input?.command, p.approval?.decision, p.approval?.source, p.approval?.source === 'user' ? 'asked' : p.approval?.rule]);

test('a user-wide host rule made on the approval question lets curl reach one loopback host in another workspace and asks for another; replay shows both', { timeout: 240_000 }, async (t) => {
  const dir = fs.realpathSync(scratch(t, 'plue-host-rules-'));
  const home = path.join(dir, 'home');
  const [first, second] = [path.join(dir, 'first'), path.join(dir, 'second')];
  for (const folder of [first, second]) fs.mkdirSync(folder);
  const allowed = await loopbackHost(t);
  const other = await loopbackHost(t);
  const provider = await fakeProvider(t, script);

  // The first workspace: the question carries the prefix and the host, and the answer makes the rule everywhere.
  const one = startSidecar(t, { home, env: { PLUE_VAULT_KEY: vaultKey } });
  await one.initialize({ vaultKey, workspaceFolders: [first], trusted: true });
  const askedFirst = [];
  one.connection.onRequest('permission/request', (p) => {
    askedFirst.push(p);
    return { decision: 'allowAlways', scope: 'everywhere', commandPrefix: p.suggestedPrefix, host: p.suggestedHost };
  });
  const instance = await one.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: provider.endpoint, apiKey: 'loopback-hosts-0123456789', defaultModel: 'gpt-hosts' });
  const chat = await one.request('session/create', { instanceId: instance.id, modelId: 'gpt-hosts', allowUnlisted: true });
  assert.equal((await one.request('session/send', { sessionId: chat.id, text: `RUN curl -s http://${allowed}/ok` })).status, 'complete');
  assert.deepEqual(askedFirst.map((p) => [p.tool, p.suggestedPrefix, p.suggestedHost]), [['bash', 'curl', allowed]]);
  const grants = (await one.request('permissions/list', {})).grants;
  assert.deepEqual(grants.map((g) => [g.scope, g.what, g.folders ?? null]), [['everywhere', `bash \`curl\` to ${allowed}`, null]]);

  // The second workspace, on the same home: the rule holds there, for that host only.
  const two = startSidecar(t, { home, env: { PLUE_VAULT_KEY: vaultKey } });
  await two.initialize({ vaultKey, workspaceFolders: [second], trusted: true });
  const askedSecond = [];
  two.connection.onRequest('permission/request', (p) => { askedSecond.push(p.input.command); return { decision: 'deny' }; });
  const there = await two.request('session/create', { instanceId: instance.id, modelId: 'gpt-hosts', allowUnlisted: true });
  for (const host of [allowed, other]) {
    assert.equal((await two.request('session/send', { sessionId: there.id, text: `RUN curl -s http://${host}/ok` })).status, 'complete');
  }
  assert.deepEqual(askedSecond, [`curl -s http://${other}/ok`], 'only the other host was asked');
  assert.deepEqual(decisions((await two.request('session/messages', { id: there.id })).messages), [
    [`curl -s http://${allowed}/ok`, 'allow', 'everywhere', `grant: bash \`curl\` to ${allowed} everywhere`],
    [`curl -s http://${other}/ok`, 'deny', 'user', 'asked'],
  ]);

  // plue approvals replay, in the second workspace: the rule with its level, and what each call would get.
  const replay = await plue(['approvals', 'replay', there.id, '--trust'], { home, cwd: second });
  assert.equal(replay.code, 0, replay.stderr);
  assert.match(replay.stdout, new RegExp(`rule: allow bash \`curl\` to ${allowed.replaceAll('.', '\\.')} \\(everywhere\\)`));
  assert.match(replay.stdout, new RegExp(`1\\. bash curl -s http://${allowed.replaceAll('.', '\\.')}/ok: allowed by grant: bash \`curl\` to ${allowed.replaceAll('.', '\\.')} everywhere`));
  assert.match(replay.stdout, new RegExp(`2\\. bash curl -s http://${other.replaceAll('.', '\\.')}/ok: would have asked`));
});
