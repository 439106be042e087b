// Issue 68 item 7 (and 69 item 7): a chat uses the workspace's MCP servers as a task does. A `.mcp.json` stdio server's
// tools, granted to the chat through its `mcp_tools` (codex/update, as the chat's tools control writes it), are offered
// in the chat's request and run when the model calls one; a chat without the grant is offered none of them.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { startSidecar, scratchFolder, root } = require('./support/sidecar.js');

test('a chat with a .mcp.json server\'s tools granted (mcp_tools) is offered them and calls one; without the grant it is offered none', async (t) => {
  const fixture = path.join(root, 'tests', 'Plue.Server.Tests', 'Agents', 'Tools', 'Fixtures', 'mcp-fixture-server.js');
  const { startFakeOpenAI } = await import(path.join(root, 'tests', 'e2e', 'support', 'fakeOpenAI.mjs'));
  const offered = (body) => (body.tools ?? []).map((tool) => tool.function.name).filter((name) => name.startsWith('mcp__'));
  const fake = await startFakeOpenAI({
    respond: (body) => (body.messages.some((m) => m.role === 'tool') || !offered(body).includes('mcp__fixture-tools__env')
      ? { text: 'Done.', gapMs: 1 }
      : { toolCalls: [{ name: 'mcp__fixture-tools__env', arguments: { names: ['WHERE'] } }], gapMs: 1 }),
  });
  t.after(() => fake.close());
  const base = scratchFolder(t, 'plue-chat-mcp-');
  const workspace = path.join(base, 'workspace');
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, '.mcp.json'), JSON.stringify({
    mcpServers: { 'Fixture Tools': { command: 'node', args: [fixture], env: { WHERE: '${workspaceFolder}/here' } } },
  }));
  const s = startSidecar({ env: { HOME: path.join(base, 'nohome') } });
  t.after(() => s.stop());
  await s.initialize({ vaultKey: Buffer.alloc(32, 12).toString('base64'), workspaceFolders: [workspace], trusted: true });
  const asked = [];
  s.connection.onRequest('permission/request', (p) => { asked.push(p.tool); return { decision: 'allow' }; });
  const instance = await s.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: fake.endpoint, apiKey: 'loopback-node-chatmcp-0123456789' });
  const chat = await s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'loop-1', allowUnlisted: true });

  const before = fake.chats().length;
  const plain = await s.connection.sendRequest('session/send', { sessionId: chat.id, text: 'ENV check' });
  assert.equal(plain.status, 'complete');
  assert.deepEqual(fake.chats().slice(before).flatMap((c) => offered(c.body)), [], 'no grant, no MCP tool offered');

  const record = await s.connection.sendRequest('codex/get', { id: chat.id });
  await s.connection.sendRequest('codex/update', { id: chat.id, version: record.version, fields: { mcp_tools: ['mcp__fixture-tools'] } });
  const since = fake.chats().length;
  const answer = await s.connection.sendRequest('session/send', { sessionId: chat.id, text: 'ENV check again' });
  assert.equal(answer.status, 'complete');
  const requests = fake.chats().slice(since).map((c) => c.body);
  assert.ok(offered(requests[0]).includes('mcp__fixture-tools__env'), `offered: ${JSON.stringify(offered(requests[0]))}`);
  assert.deepEqual(asked, ['mcp__fixture-tools__env'], 'the call asked first, as a task\'s');
  const toolMessage = requests.find((b) => b.messages.some((m) => m.role === 'tool'))?.messages.find((m) => m.role === 'tool');
  assert.ok(toolMessage, 'the tool\'s result went back to the model');
  assert.equal(JSON.parse(toolMessage.content).values.WHERE, `${workspace}/here`, 'the server ran and answered');
});
