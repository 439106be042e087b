// `plue acp` driven by the official ACP TypeScript SDK as an editor would: initialize, a new session, a prompt that
// streams, tool calls that ask permission (granted once, denied once), a cancel while a question waits, and
// session/load of a chat made through the window's own JSON-RPC (the real sidecar) on the same store.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { until } from '../faults/support/processes.mjs';
import { acpClient, fakeProvider, lastMessage, scratch, spawnAcp, vaultKey } from '../support/acp.mjs';

const { startSidecar, within } = createRequire(import.meta.url)('./support/sidecar.js');

/** What the loopback model does for each user message; after a tool's result it says what the result was. */
function script({ messages }) {
  const last = lastMessage(messages);
  if (last.role === 'tool') return { words: ['after ', 'tool: ', last.content.slice(0, 40)] };
  if (last.content.includes('write a note')) return { tool: 'write', args: { path: 'note.txt', content: 'from acp\n' } };
  if (last.content.includes('remove it')) return { tool: 'bash', args: { command: 'rm -f note.txt' } };
  if (last.content.includes('wait for me')) return { tool: 'bash', args: { command: 'touch waited.txt' } };
  return { words: ['Hello', ', ', 'editor'] };
}

const textOf = (updates, kind) => updates.filter((u) => u.update.sessionUpdate === kind).map((u) => u.update.content.text).join('');

test('an ACP client streams a Plue chat, answers its approvals, cancels a waiting one and loads a chat made in the window', async (t) => {
  const { home, project } = scratch();
  const provider = await fakeProvider(t, script);

  // The window's sidecar sets up the instance and makes a chat of its own, as VS Code would.
  const window = startSidecar({ home, env: { PLUE_VAULT_KEY: vaultKey } });
  t.after(() => window.stop());
  await window.initialize({ vaultKey, workspaceFolders: [project] });
  const instance = await window.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: provider.endpoint, apiKey: 'sk-acp-test-0123456789', defaultModel: 'gpt-acp' });
  const windowChat = await window.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'gpt-acp', allowUnlisted: true });
  await window.connection.sendRequest('session/send', { sessionId: windowChat.id, text: 'made in the window' });
  const seenByWindow = new Set();
  window.connection.onNotification('codex/changed', (p) => seenByWindow.add(p.id));

  const agent = spawnAcp(t, { home, project, args: ['-m', 'gpt-acp'] });
  let hold;
  const answers = [
    { outcome: { outcome: 'selected', optionId: 'allow' } },
    { outcome: { outcome: 'selected', optionId: 'reject' } },
  ];
  const client = acpClient(agent, (params, signal) => {
    const next = answers.shift();
    if (next) return next;
    // The third question is never answered: the client cancels the turn instead.
    return new Promise((resolve) => { hold = resolve; signal.addEventListener('abort', () => resolve({ outcome: { outcome: 'cancelled' } })); });
  });
  t.after(() => client.connection.close());
  const ctx = client.connection.agent;

  const init = await within(30_000, ctx.request('initialize', { protocolVersion: 1, clientCapabilities: {} }), 'initialize');
  assert.equal(init.protocolVersion, 1);
  assert.equal(init.agentCapabilities.loadSession, true);
  assert.equal(init.agentCapabilities.promptCapabilities.embeddedContext, true);
  assert.deepEqual(init.authMethods, [], 'an instance with a key is usable: nothing to authenticate');
  assert.equal(init.agentInfo.name, 'plue');

  const { sessionId } = await ctx.request('session/new', { cwd: project, mcpServers: [] });
  assert.ok(sessionId);

  // A prompt that streams.
  const first = await within(30_000, ctx.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'say hello' }] }), 'first prompt');
  assert.equal(first.stopReason, 'end_turn');
  assert.equal(textOf(client.updates, 'agent_message_chunk'), 'Hello, editor');
  assert.ok(client.updates.every((u) => u.sessionId === sessionId));

  // Resources and images go to the model as attachments; a link is named for the read tool.
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f60000000049454e44ae426082', 'hex').toString('base64');
  const withContext = await within(30_000, ctx.request('session/prompt', { sessionId, prompt: [
    { type: 'text', text: 'look at these' },
    { type: 'resource', resource: { uri: `file://${project}/notes.md`, text: 'NOTES-BODY-42', mimeType: 'text/markdown' } },
    { type: 'image', mimeType: 'image/png', data: png },
    { type: 'resource_link', uri: `file://${project}/src/app.ts`, name: 'app.ts' },
  ] }), 'prompt with context');
  assert.equal(withContext.stopReason, 'end_turn');
  const sent = JSON.stringify(provider.requests.at(-1).messages.at(-1));
  assert.match(sent, /look at these/);
  assert.match(sent, /NOTES-BODY-42/, 'the embedded resource reaches the model');
  assert.ok(sent.includes(png), 'the image reaches the model');
  assert.ok(sent.includes(`@${project}/src/app.ts`), 'the link is named');

  // A write asks; allowed once, it runs and its result is told, with the diff and where it writes.
  client.updates.length = 0;
  const second = await within(30_000, ctx.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'write a note' }] }), 'write prompt');
  assert.equal(second.stopReason, 'end_turn');
  const asked = client.questions[0];
  assert.equal(asked.sessionId, sessionId);
  assert.equal(asked.toolCall.kind, 'edit');
  assert.deepEqual(asked.toolCall.locations, [{ path: path.join(project, 'note.txt') }]);
  assert.deepEqual(asked.toolCall.content, [{ type: 'diff', path: path.join(project, 'note.txt'), newText: 'from acp\n' }]);
  assert.deepEqual(asked.options.map((o) => o.kind), ['allow_once', 'allow_always', 'reject_once']);
  assert.equal(fs.readFileSync(path.join(project, 'note.txt'), 'utf8'), 'from acp\n');
  const call = client.updates.find((u) => u.update.sessionUpdate === 'tool_call');
  assert.equal(call.update.toolCallId, asked.toolCall.toolCallId, 'the question is about the call the client was told of');
  const finished = client.updates.filter((u) => u.update.toolCallId === call.update.toolCallId).at(-1);
  assert.equal(finished.update.status, 'completed');

  // A bash rejected: it does not run, the call fails, the model hears of it.
  client.updates.length = 0;
  const third = await within(30_000, ctx.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'now remove it' }] }), 'bash prompt');
  assert.equal(third.stopReason, 'end_turn');
  assert.equal(client.questions[1].toolCall.kind, 'execute');
  assert.equal(client.questions[1].toolCall.title, 'rm -f note.txt');
  // A command offers "Always" for its prefix in this workspace besides this chat (a grant shared with the window).
  assert.deepEqual(client.questions[1].options.map((o) => o.name), ['Allow', 'Always allow `rm` in this workspace', 'Always allow in this chat', 'Reject']);
  assert.ok(fs.existsSync(path.join(project, 'note.txt')), 'a rejected command does not run');
  assert.ok(client.updates.some((u) => u.update.sessionUpdate === 'tool_call_update' && u.update.status === 'failed'));

  // A question nobody answers, then session/cancel: the prompt answers cancelled and the command never ran.
  const waiting = ctx.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: 'wait for me' }] });
  await within(30_000, (async () => { while (client.questions.length < 3) await new Promise((r) => setTimeout(r, 20)); })(), 'the third question');
  await ctx.notify('session/cancel', { sessionId });
  const cancelled = await within(30_000, waiting, 'the cancelled prompt');
  assert.equal(cancelled.stopReason, 'cancelled');
  assert.ok(!fs.existsSync(path.join(project, 'waited.txt')), 'a cancelled question runs nothing');
  hold?.({ outcome: { outcome: 'cancelled' } });

  // The ACP chat is an ordinary Plue chat: the window lists it and hears of it through the store's change feed.
  const listed = await window.connection.sendRequest('session/list', {});
  assert.ok(listed.some((s) => s.id === sessionId), 'the window lists the chat made over ACP');
  await within(20_000, (async () => { while (!seenByWindow.has(sessionId)) await new Promise((r) => setTimeout(r, 50)); })(), 'codex/changed of the ACP chat in the window');

  // session/load replays the window's chat as updates, before it answers.
  client.updates.length = 0;
  await within(30_000, ctx.request('session/load', { sessionId: windowChat.id, cwd: project, mcpServers: [] }), 'session/load');
  assert.equal(textOf(client.updates, 'user_message_chunk'), 'made in the window');
  assert.equal(textOf(client.updates, 'agent_message_chunk'), 'Hello, editor');
  assert.deepEqual(client.updates.filter((u) => u.sessionId !== windowChat.id), []);
  // And the loaded chat goes on over ACP.
  const more = await within(30_000, ctx.request('session/prompt', { sessionId: windowChat.id, prompt: [{ type: 'text', text: 'again' }] }), 'prompt on the loaded chat');
  assert.equal(more.stopReason, 'end_turn');
  const windowMessages = await window.connection.sendRequest('session/messages', { id: windowChat.id });
  assert.equal(windowMessages.messages.length, 4, 'the turn made over ACP is in the window\'s chat');
});

test('without a usable instance, initialize offers how to set one up and session/new says what to do', async (t) => {
  const { home, project } = scratch();
  const agent = spawnAcp(t, { home, project });
  const client = acpClient(agent, () => ({ outcome: { outcome: 'cancelled' } }));
  t.after(() => client.connection.close());
  const ctx = client.connection.agent;
  const init = await within(30_000, ctx.request('initialize', { protocolVersion: 1, clientCapabilities: {} }), 'initialize');
  assert.equal(init.authMethods.length, 1);
  assert.match(init.authMethods[0].description, /plue instances add/);
  await assert.rejects(ctx.request('session/new', { cwd: project, mcpServers: [] }), (e) => e.code === -32000 && /plue instances add/.test(e.message));
  await assert.rejects(ctx.request('session/new', { cwd: path.join(project, '..'), mcpServers: [] }), (e) => e.code === -32602 && /serves the folder it was started in/.test(e.message));
});

// Issue 44, item 5: the commands from files are ACP's available commands, and a prompt typed as /name runs one.
test('over plue acp the commands from files are the available commands, and /name args sends the body', async (t) => {
  const { home, project } = scratch();
  const provider = await fakeProvider(t, () => ({ words: ['Ok'] }));
  fs.mkdirSync(path.join(project, '.claude', 'commands'), { recursive: true });
  fs.writeFileSync(path.join(project, '.claude', 'commands', 'review.md'), '---\ndescription: Review the named file\n---\nACP-CMD-BODY review $ARGUMENTS\n');
  const window = startSidecar({ home, env: { PLUE_VAULT_KEY: vaultKey } });
  t.after(() => window.stop());
  await window.initialize({ vaultKey, workspaceFolders: [project] });
  await window.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: provider.endpoint, apiKey: 'sk-acp-test-0123456789', defaultModel: 'gpt-acp' });

  const agent = spawnAcp(t, { home, project, args: ['-m', 'gpt-acp', '--trust'] });
  const client = acpClient(agent, () => ({ outcome: { outcome: 'cancelled' } }));
  t.after(() => client.connection.close());
  const ctx = client.connection.agent;
  await within(30_000, ctx.request('initialize', { protocolVersion: 1, clientCapabilities: {} }), 'initialize');
  const { sessionId } = await ctx.request('session/new', { cwd: project, mcpServers: [] });
  const told = await within(10_000, (async () => {
    for (;;) {
      const update = client.updates.find((u) => u.update.sessionUpdate === 'available_commands_update');
      if (update) return update;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })(), 'available commands');
  assert.equal(told.sessionId, sessionId);
  assert.deepEqual(told.update.availableCommands, [{ name: 'review', description: 'Review the named file' }]);

  const done = await within(30_000, ctx.request('session/prompt', { sessionId, prompt: [{ type: 'text', text: '/review src/app.ts' }] }), 'command prompt');
  assert.equal(done.stopReason, 'end_turn');
  assert.match(JSON.stringify(provider.requests.at(-1).messages.at(-1)), /ACP-CMD-BODY review src\/app\.ts/);
});

test('AcpOutputClosed: plue acp ends within 5 s when the editor closes its output mid-turn, the chat\'s text kept', async (t) => {
  const { home, project } = scratch();
  // A model that streams a word every 100 ms for a minute: the turn is under way when the output closes.
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', async () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < 600 && !res.destroyed; i++) {
        res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: `w${i} ` }, finish_reason: null }] })}\n\n`);
        await new Promise((r) => setTimeout(r, 100));
      }
      res.end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => { server.closeAllConnections(); server.close(); });
  const endpoint = `http://127.0.0.1:${server.address().port}/v1`;
  const window = startSidecar({ home, env: { PLUE_VAULT_KEY: vaultKey } });
  t.after(() => window.stop());
  await window.initialize({ vaultKey, workspaceFolders: [project] });
  await window.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint, apiKey: 'sk-acp-test-0123456789', defaultModel: 'gpt-acp' });

  const agent = spawnAcp(t, { home, project, args: ['-m', 'gpt-acp'] });
  let out = '';
  agent.child.stdout.on('data', (d) => { out += d; });
  // Whole lines only: the last one may still be arriving.
  const answer = (id) => until(() => out.split('\n').slice(0, -1).map((l) => JSON.parse(l)).find((m) => m.id === id), `the answer to request ${id}`, 30_000);
  const send = (id, method, params) => agent.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
  send(1, 'initialize', { protocolVersion: 1, clientCapabilities: {} });
  await answer(1);
  send(2, 'session/new', { cwd: project, mcpServers: [] });
  const { sessionId } = (await answer(2)).result;
  send(3, 'session/prompt', { sessionId, prompt: [{ type: 'text', text: 'a long answer, please' }] });
  await until(() => (out.match(/agent_message_chunk/g) ?? []).length >= 5, 'a few streamed words', 30_000);

  // The editor closes the agent's output (its read end) and keeps its input open.
  agent.child.stdout.destroy();
  const closedAt = Date.now();
  const ended = await within(5_000, agent.exited, 'plue acp to exit after its output closed');
  t.diagnostic(`exited ${Date.now() - closedAt} ms after its output closed (${JSON.stringify(ended)})`);
  const { messages } = await window.connection.sendRequest('session/messages', { id: sessionId });
  const kept = messages.find((m) => m.role === 'assistant');
  assert.equal(kept.status, 'cancelled', 'its turn was cancelled, not left streaming');
  assert.match(kept.parts.find((p) => p.kind === 'text')?.text ?? '', /^w0 w1 w2 w3 w4 /, 'what arrived is kept');
});
