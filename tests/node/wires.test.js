// A chat turn through each cloud provider's wire, in the real sidecar process (PLUE_SIDECAR: the Native AOT build
// scripts/test.sh runs), against one loopback server that speaks each wire's stream as the service does: Anthropic's
// SSE events, Gemini's SSE chunks, Azure OpenAI's deployment route and Bedrock's binary event stream. Each wire's JSON is read and written by its own serializer metadata, which Native AOT compiles ahead of
// time: a member or type it lost would show here as a turn that fails or an answer that is empty.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const zlib = require('node:zlib');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startSidecar, tempHome } = require('./support/sidecar');

const vaultKey = Buffer.alloc(32, 9).toString('base64');

/** Bedrock's event-stream frame: prelude (lengths and their CRC), string headers, the JSON payload, the frame's CRC. */
function eventFrame(type, payload) {
  const headers = Buffer.concat([[':event-type', type], [':content-type', 'application/json'], [':message-type', 'event']].map(([name, value]) => {
    const v = Buffer.from(value);
    return Buffer.concat([Buffer.from([name.length]), Buffer.from(name), Buffer.from([7, v.length >> 8, v.length & 0xff]), v]);
  }));
  const body = Buffer.from(JSON.stringify(payload));
  const total = 12 + headers.length + body.length + 4;
  const frame = Buffer.alloc(total);
  frame.writeUInt32BE(total, 0);
  frame.writeUInt32BE(headers.length, 4);
  frame.writeUInt32BE(zlib.crc32(frame.subarray(0, 8)), 8);
  headers.copy(frame, 12);
  body.copy(frame, 12 + headers.length);
  frame.writeUInt32BE(zlib.crc32(frame.subarray(0, total - 4)), total - 4);
  return frame;
}

const sse = (event, data) => `${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`;

/** How each wire streams `pieces`: the route it is asked on, its content type and its body. */
const wires = {
  anthropic: {
    route: (url) => url.pathname === '/v1/messages',
    type: 'text/event-stream',
    stream: (pieces) => [
      sse('message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-wire', content: [], stop_reason: null, usage: { input_tokens: 10, output_tokens: 1 } } }),
      sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
      ...pieces.map((text) => sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })),
      sse('content_block_stop', { type: 'content_block_stop', index: 0 }),
      sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 5 } }),
      sse('message_stop', { type: 'message_stop' }),
    ],
  },
  gemini: {
    route: (url) => url.pathname === '/v1beta/models/gemini-wire:streamGenerateContent' && url.searchParams.get('alt') === 'sse',
    type: 'text/event-stream',
    stream: (pieces) => pieces.map((text, i) => sse(null, {
      candidates: [{ content: { role: 'model', parts: [{ text }] }, index: 0, ...(i === pieces.length - 1 ? { finishReason: 'STOP' } : {}) }],
      ...(i === pieces.length - 1 ? { usageMetadata: { promptTokenCount: 7, candidatesTokenCount: 3, totalTokenCount: 10 } } : {}),
    })),
  },
  azure: {
    route: (url) => url.pathname === '/openai/deployments/gpt-wire/chat/completions' && url.searchParams.has('api-version'),
    type: 'text/event-stream',
    stream: (pieces) => [
      ...pieces.map((content) => sse(null, { id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content }, finish_reason: null }] })),
      sse(null, { id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 } }),
      'data: [DONE]\n\n',
    ],
  },
  bedrock: {
    route: (url) => url.pathname === '/model/bedrock-wire/converse-stream',
    type: 'application/vnd.amazon.eventstream',
    stream: (pieces) => [
      eventFrame('messageStart', { role: 'assistant' }),
      ...pieces.map((text) => eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text } })),
      eventFrame('contentBlockStop', { contentBlockIndex: 0 }),
      eventFrame('messageStop', { stopReason: 'end_turn' }),
      eventFrame('metadata', { usage: { inputTokens: 11, outputTokens: 4, totalTokens: 15 }, metrics: { latencyMs: 12 } }),
    ],
  },
};

/** One loopback server for every wire: a request on a wire's route gets its stream of `pieces`, anything else a 404. */
async function fakeClouds(pieces) {
  const requests = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', async () => {
      const url = new URL(req.url, 'http://loopback');
      const [name, wire] = Object.entries(wires).find(([, w]) => req.method === 'POST' && w.route(url)) ?? [];
      requests.push({ wire: name, method: req.method, path: req.url, headers: req.headers, body });
      if (!wire) { res.writeHead(404, { 'content-type': 'application/json' }); res.end('{"error":"no such route"}'); return; }
      // The claude CLI also asks Anthropic for whole answers (not streamed) around a turn.
      if (name === 'anthropic' && !/"stream":\s*true/.test(body)) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'msg_w', type: 'message', role: 'assistant', model: 'claude-wire', content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', usage: { input_tokens: 3, output_tokens: 1 } }));
        return;
      }
      res.writeHead(200, { 'content-type': wire.type });
      for (const chunk of wire.stream(pieces)) {
        res.write(chunk);
        await new Promise((r) => setTimeout(r, 2));
      }
      res.end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${server.address().port}`, requests, close: () => server.close() };
}

/** Each wire's instance (a secret only the fake's check would see) and the model it is asked for. */
const cases = [
  { wire: 'anthropic', provider: 'anthropic', model: 'claude-wire', key: 'sk-ant-wire-0123456789', sent: (h) => h['x-api-key'] },
  { wire: 'gemini', provider: 'gemini', model: 'gemini-wire', key: 'AIzaWire0123456789', sent: (h) => h['x-goog-api-key'] },
  { wire: 'azure', provider: 'azure', model: 'gpt-wire', key: 'azwire0123456789', sent: (h) => h['api-key'] },
  { wire: 'bedrock', provider: 'bedrock', model: 'bedrock-wire', key: 'AKIAWIRE0123456789:wireSecret0123456789', sent: (h) => /^AWS4-HMAC-SHA256 Credential=AKIAWIRE0123456789\//.test(h.authorization ?? '') && 'AKIAWIRE0123456789:wireSecret0123456789' },
];

for (const c of cases) {
  test(`a chat turn on the ${c.wire} wire streams its answer and keeps it`, async (t) => {
    const pieces = ['Hello ', `from ${c.wire}`, '.'];
    const fake = await fakeClouds(pieces);
    const s = startSidecar();
    t.after(async () => { fake.close(); await s.stop(); });
    await s.initialize({ vaultKey });
    const instance = await s.connection.sendRequest('instances/create', { displayName: `Wire ${c.wire}`, catalogProviderId: c.provider, endpoint: fake.endpoint, apiKey: c.key });
    const session = await s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: c.model, allowUnlisted: true });
    const deltas = [];
    s.connection.onNotification('session/partDelta', (p) => deltas.push(p.delta));

    const answer = await s.connection.sendRequest('session/send', { sessionId: session.id, text: `greet me on ${c.wire}` });

    const asked = fake.requests.filter((r) => r.wire === c.wire);
    assert.equal(asked.length, 1, `one request on the ${c.wire} route; the fake saw ${JSON.stringify(fake.requests.map((r) => `${r.method} ${r.path}`))}; stderr: ${s.stderr().slice(-2000)}`);
    assert.match(asked[0].body, new RegExp(`greet me on ${c.wire}`), 'the question is in the request body');
    assert.equal(c.sent(asked[0].headers), c.key, `the ${c.wire} credential is sent as the service expects it`);
    assert.equal(answer.status, 'complete', `the turn completed: ${JSON.stringify(answer)}`);
    assert.equal(answer.parts.filter((p) => p.kind === 'text').map((p) => p.text).join(''), pieces.join(''));
    assert.equal(deltas.join(''), pieces.join(''));
    assert.ok(!s.stderr().includes(c.key), 'the key is not in the log');
  });
}

/** The Claude Code CLI the claude-code instances run (tests/support/install-claude.sh installs it). */
function claudeCli() {
  const cli = process.env.PLUE_CLAUDE_CLI || path.join(os.homedir(), '.cache', 'plue-vscode', 'claude', 'node_modules', '.bin', 'claude');
  assert.ok(fs.existsSync(cli), `the claude CLI is needed (${cli}): run tests/support/install-claude.sh`);
  return cli;
}

test('a Claude Code turn: the sidecar runs the claude CLI on the Anthropic wire, reads its stream-json and keeps the answer', async (t) => {
  const pieces = ['Hello ', 'from Claude Code', '.'];
  const config = path.join(tempHome(), 'claude-config');
  fs.mkdirSync(config);
  const fake = await fakeClouds(pieces);
  const s = startSidecar({ env: { CLAUDE_CONFIG_DIR: config, CLAUDE_CODE_MAX_RETRIES: '0', ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: '', CLAUDE_CODE_OAUTH_TOKEN: '' } });
  t.after(async () => { fake.close(); await s.stop(); });
  await s.initialize({ vaultKey });
  const key = 'sk-ant-cli-wire-0123456789';
  const instance = await s.connection.sendRequest('instances/create', { displayName: 'Claude Code', catalogProviderId: 'claude-code', endpoint: fake.endpoint, apiKey: key, cliPath: claudeCli() });
  const session = await s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'claude-sonnet-4-5' });

  const answer = await s.connection.sendRequest('session/send', { sessionId: session.id, text: 'greet me through the CLI' });

  const streamed = fake.requests.filter((r) => r.wire === 'anthropic' && /"stream":\s*true/.test(r.body) && r.body.includes('greet me through the CLI'));
  assert.ok(streamed.length >= 1, `the CLI asked the fake with the question; it saw ${JSON.stringify(fake.requests.map((r) => `${r.method} ${r.path}`))}; stderr: ${s.stderr().slice(-2000)}`);
  assert.equal(streamed[0].headers['x-api-key'], key, 'the instance\'s key reaches the CLI as its Anthropic key');
  assert.equal(answer.status, 'complete', `the turn completed: ${JSON.stringify(answer)}`);
  assert.equal(answer.parts.filter((p) => p.kind === 'text').map((p) => p.text).join(''), pieces.join(''));
  assert.ok(!s.stderr().includes(key), 'the key is not in the log');
});
