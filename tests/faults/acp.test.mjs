// Hostile input on `plue acp`'s stdio (one JSON-RPC message per line): malformed lines, a line far over the limit,
// unknown methods, and a client that never answers a permission question then cancels the turn. Each gets a clear
// error under its id where it has one, nothing ends the process, and the next message is served.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fakeProvider, lastMessage, scratch, spawnAcp, vaultKey } from '../support/acp.mjs';
import { startSidecar } from './support/processes.mjs';

/** `plue acp` with a raw line writer and a reader of the messages it sends back. */
function rawAcp(t, options) {
  const agent = spawnAcp(t, options);
  const messages = [];
  let rest = '';
  agent.child.stdout.on('data', (d) => {
    rest += d.toString('utf8');
    const lines = rest.split('\n');
    rest = lines.pop();
    for (const line of lines) messages.push(JSON.parse(line));
  });
  const write = (text) => new Promise((resolve) => { if (agent.child.stdin.write(text)) resolve(); else agent.child.stdin.once('drain', resolve); });
  const next = async (match, what, ms = 30_000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = messages.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(messages).slice(0, 2000)}\n${agent.stderr()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const request = async (id, method, params) => {
    await write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    return next((m) => m.id === id && !m.method, `the answer to ${method} (${id})`);
  };
  return { ...agent, messages, write, next, request };
}

test('malformed lines and unknown methods are answered with clear errors, and the agent goes on', { timeout: 60_000 }, async (t) => {
  const acp = rawAcp(t, scratch());
  await acp.write('this is not json\n');
  await acp.write('{"jsonrpc":"2.0","id":2,"method":"initialize","params":{"protocolVersion":1}\n'); // cut short
  await acp.write('\r\n   \n'); // blank lines are skipped, not errors
  await acp.write('{"jsonrpc":"1.0","id":3,"method":"initialize"}\n');
  await acp.write('{"jsonrpc":"2.0","id":4,"method":"session/fly","params":{}}\n');
  await acp.write('{"jsonrpc":"2.0","method":"session/unknown_notification","params":{}}\n');
  await acp.write('{"jsonrpc":"2.0","id":5,"method":"session/prompt","params":{"sessionId":7}}\n');

  const notJson = await acp.next((m) => m.error?.code === -32700 && m.id === null, 'the parse error of the first line');
  assert.match(notJson.error.message, /not valid JSON/);
  const cut = await acp.next((m) => m.id === 2, 'the error for the cut line');
  assert.equal(cut.error.code, -32700, 'a broken line is refused under the id its head still names');
  assert.equal((await acp.next((m) => m.id === 3, 'the wrong version')).error.code, -32600);
  const unknown = await acp.next((m) => m.id === 4, 'the unknown method');
  assert.equal(unknown.error.code, -32601);
  assert.equal(unknown.error.message, 'Method not found: session/fly');
  const badParams = await acp.next((m) => m.id === 5, 'the bad params');
  assert.equal(badParams.error.code, -32602);
  assert.match(badParams.error.message, /session\/prompt: invalid params/);

  const init = await acp.request(6, 'initialize', { protocolVersion: 1 });
  assert.equal(init.result.protocolVersion, 1, 'after all of it, initialize is served');
  assert.equal(acp.child.exitCode, null);
});

// Issue 46: a line ended by a bare CR was joined with the next; the first request got -32700, the next no answer.
test('a line ended by a bare CR is a line: both requests are answered', { timeout: 60_000 }, async (t) => {
  const acp = rawAcp(t, scratch());
  await acp.write('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":1}}\r{"jsonrpc":"2.0","id":2,"method":"session/fly","params":{}}\r');
  await acp.write('{"jsonrpc":"2.0","id":3,"method":"initialize","params":{"protocolVersion":1}}\r\n');
  const first = await acp.next((m) => m.id === 1, 'the answer to the first request');
  assert.equal(first.result?.protocolVersion, 1, JSON.stringify(first));
  const second = await acp.next((m) => m.id === 2, 'the answer to the second request');
  assert.equal(second.error?.code, -32601, JSON.stringify(second));
  assert.equal((await acp.next((m) => m.id === 3, 'the answer after a CRLF')).result?.protocolVersion, 1);
  assert.ok(!acp.messages.some((m) => m.error?.code === -32700), `no parse error: ${JSON.stringify(acp.messages)}`);
});

test('a line over the 64 MiB limit is dropped unread and refused under its id; the next line is served', { timeout: 120_000 }, async (t) => {
  const acp = rawAcp(t, scratch());
  await acp.request(1, 'initialize', { protocolVersion: 1 });
  const size = 4 * 64 * 1024 * 1024; // four times the limit: held whole, it alone would be 256 MiB
  await acp.write('{"jsonrpc":"2.0","id":2,"method":"session/prompt","params":{"sessionId":"x","prompt":[{"type":"text","text":"');
  const block = 'x'.repeat(1024 * 1024);
  for (let sent = 0; sent < size; sent += block.length) await acp.write(block);
  await acp.write('"}]}}\n');
  const refused = await acp.next((m) => m.id === 2, 'the refusal of the oversize line', 60_000);
  assert.equal(refused.error.code, -32600);
  assert.match(refused.error.message, /longer than the 67108864-byte limit was dropped unread/);
  const peak = Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${acp.child.pid}/status`, 'utf8'))[1]) * 1024;
  t.diagnostic(`peak resident memory after a ${size / 1024 / 1024} MiB line: ${(peak / 1024 / 1024).toFixed(0)} MiB`);
  assert.ok(peak < size, `the line was never held whole: peak ${(peak / 1024 / 1024).toFixed(0)} MiB`);
  const after = await acp.request(3, 'initialize', { protocolVersion: 1 });
  assert.equal(after.result.protocolVersion, 1, 'the line after it is served');
});

test('a permission question the client never answers is withdrawn by session/cancel; the turn ends cancelled, nothing ran, and the chat goes on', { timeout: 90_000 }, async (t) => {
  const { home, project } = scratch();
  const provider = await fakeProvider(t, ({ messages }) => {
    const last = lastMessage(messages);
    if (last.role === 'tool') return { words: ['told: ', last.content.slice(0, 30)] };
    return last.content.includes('touch') ? { tool: 'bash', args: { command: 'touch ran.txt' } } : { words: ['still ', 'here'] };
  });
  // The instance is set up the way a window does it, on the same home.
  const window = startSidecar(t, { home, env: { PLUE_VAULT_KEY: vaultKey } });
  await window.initialize({ vaultKey });
  await window.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: provider.endpoint, apiKey: 'sk-acp-faults-0123456789', defaultModel: 'gpt-acp' });
  await window.stop();

  const acp = rawAcp(t, { home, project, args: ['-m', 'gpt-acp'] });
  await acp.request(1, 'initialize', { protocolVersion: 1 });
  const { result: { sessionId } } = await acp.request(2, 'session/new', { cwd: project, mcpServers: [] });
  await acp.write(`${JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'session/prompt', params: { sessionId, prompt: [{ type: 'text', text: 'touch a file' }] } })}\n`);
  const question = await acp.next((m) => m.method === 'session/request_permission', 'the permission question');
  assert.equal(question.params.toolCall.title, 'touch ran.txt');

  await acp.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'session/cancel', params: { sessionId } })}\n`);
  const prompt = await acp.next((m) => m.id === 3 && !m.method, 'the cancelled prompt');
  assert.deepEqual(prompt.result, { stopReason: 'cancelled' }, JSON.stringify(prompt));
  const withdrawn = await acp.next((m) => m.method === '$/cancel_request', 'the withdrawal of the question');
  assert.equal(withdrawn.params.id, question.id);
  assert.ok(!fs.existsSync(path.join(project, 'ran.txt')), 'the command never ran');

  // A late answer to the withdrawn question is ignored; the chat takes the next prompt.
  await acp.write(`${JSON.stringify({ jsonrpc: '2.0', id: question.id, result: { outcome: { outcome: 'selected', optionId: 'allow' } } })}\n`);
  const again = await acp.request(4, 'session/prompt', { sessionId, prompt: [{ type: 'text', text: 'are you there' }] });
  assert.deepEqual(again.result, { stopReason: 'end_turn' });
  const told = acp.messages.filter((m) => m.method === 'session/update' && m.params.update.sessionUpdate === 'agent_message_chunk').map((m) => m.params.update.content.text).join('');
  assert.match(told, /still here$/, 'the next turn streams');
  assert.ok(!fs.existsSync(path.join(project, 'ran.txt')), 'the late answer ran nothing');
});
