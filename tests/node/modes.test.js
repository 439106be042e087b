// Chat modes and instructions files through the real sidecar process, read from the request a loopback
// OpenAI-compatible server received: a new chat is in Agent mode and offers write tools, Ask offers only reads,
// and a line of the workspace's AGENTS.md reaches the provider's system prompt.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { startSidecar, tempHome } = require('./support/sidecar');

/** A /v1/chat/completions server that answers every request "Noted." and keeps the bodies it was sent. */
async function recordingServer() {
  const bodies = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      bodies.push(JSON.parse(body || '{}'));
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'Noted.' }, finish_reason: null }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${server.address().port}/v1`, bodies, close: () => server.close() };
}

const toolNames = (body) => (body.tools ?? []).map((t) => t.function.name).sort();
const systemText = (body) => body.messages.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => JSON.stringify(m.content)).join('');

test('a new chat is in Agent mode with write tools, Ask offers only reads, and AGENTS.md reaches the provider', async (t) => {
  const fake = await recordingServer();
  const workspace = path.join(tempHome(), 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'AGENTS.md'), 'Name every test after what it proves.\n');
  const s = startSidecar();
  t.after(async () => { fake.close(); await s.stop(); });
  await s.initialize({ vaultKey: Buffer.alloc(32, 5).toString('base64'), workspaceFolders: [workspace], trusted: true });
  const instance = await s.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: fake.endpoint, apiKey: 'sk-node-modes-0123456789' });
  const chat = await s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'gpt-node', allowUnlisted: true });
  assert.equal(chat.mode, 'mode-agent');

  await s.connection.sendRequest('session/send', { sessionId: chat.id, text: 'what are the rules?' });
  await s.connection.sendRequest('session/setMode', { id: chat.id, mode: 'mode-ask' });
  await s.connection.sendRequest('session/send', { sessionId: chat.id, text: 'and now?' });

  assert.deepEqual(toolNames(fake.bodies[0]), ['bash', 'edit', 'read', 'search', 'write']);
  assert.match(systemText(fake.bodies[0]), /Name every test after what it proves\./);
  assert.deepEqual(toolNames(fake.bodies[1]), ['read', 'search'], 'Ask mode offered a tool that changes things');
  const modes = await s.connection.sendRequest('session/modes');
  assert.deepEqual(modes.map((m) => m.name), ['Ask', 'Agent', 'Plan']);
});
