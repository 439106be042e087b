// A real ACP agent from npm (Zed's Claude Code adapter, @zed-industries/claude-code-acp, a dev dependency) as a Plue
// instance, pointed at a loopback Anthropic Messages API that a test scripts per request: streamed text, a tool call,
// or text then silence (the request held open).
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The adapter's command, as an instance names it. */
export const claudeCodeAcp = path.join(root, 'node_modules', '.bin', 'claude-code-acp');

/** The text of a Messages request's last user turn, and the tool results it carries. */
export function lastTurn(body) {
  const last = (body.messages ?? []).filter((m) => m.role === 'user').at(-1) ?? { content: '' };
  const blocks = typeof last.content === 'string' ? [{ type: 'text', text: last.content }] : last.content;
  const results = blocks.filter((b) => b.type === 'tool_result')
    .map((b) => ({ isError: b.is_error === true, text: typeof b.content === 'string' ? b.content : (b.content ?? []).map((c) => c.text ?? '').join('') }));
  return { text: blocks.filter((b) => b.type === 'text').map((b) => b.text).join('\n'), results };
}

/**
 * What the loopback model does for a chat on the adapter: the agent's own side requests (no tools) get a word; a tool
 * result is read back ("Tool said: …"); a message holding one of `writes`' phrases writes the file it names; any other
 * message is greeted.
 */
export function writingAgent(writes) {
  return (body) => {
    if (!(body.tools ?? []).some((tool) => tool.name === 'mcp__acp__Write')) return { words: ['OK'] };
    const { text, results } = lastTurn(body);
    if (results.length > 0) return { words: ['Tool said: ', results[0].text.slice(0, 400)] };
    const phrase = Object.keys(writes).find((p) => text.includes(p));
    if (phrase) return { tool: 'mcp__acp__Write', input: { file_path: writes[phrase], content: 'written by the agent\n' } };
    return { words: ['Hello', ' from', ' the', ' agent.'] };
  };
}

/**
 * A loopback /v1/messages. `reply(body)` answers each request: `{ words }` streams text, `{ tool, input }` calls a
 * tool, `{ words, hold: true }` streams the words and then keeps the request open. Every request's body and headers are kept.
 */
export async function fakeAnthropic(t, reply) {
  const requests = [];
  const headers = [];
  const held = [];
  const event = (res, type, data) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => { raw += d; });
    req.on('end', () => {
      if (!req.url.startsWith('/v1/messages') || req.url.includes('count_tokens')) {
        res.writeHead(req.url.includes('count_tokens') ? 200 : 404, { 'content-type': 'application/json' }).end('{"input_tokens":10}');
        return;
      }
      const body = JSON.parse(raw || '{}');
      requests.push(body);
      headers.push(req.headers);
      const answer = reply(body);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      event(res, 'message_start', { message: { id: `msg_${requests.length}`, type: 'message', role: 'assistant', model: body.model, content: [], stop_reason: null, usage: { input_tokens: 10, output_tokens: 0 } } });
      if (answer.tool) {
        event(res, 'content_block_start', { index: 0, content_block: { type: 'tool_use', id: `toolu_${requests.length}`, name: answer.tool, input: {} } });
        event(res, 'content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: JSON.stringify(answer.input) } });
      } else {
        event(res, 'content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
        for (const word of answer.words) event(res, 'content_block_delta', { index: 0, delta: { type: 'text_delta', text: word } });
        if (answer.hold) { held.push(res); return; }
      }
      event(res, 'content_block_stop', { index: 0 });
      event(res, 'message_delta', { delta: { stop_reason: answer.tool ? 'tool_use' : 'end_turn' }, usage: { output_tokens: 5 } });
      event(res, 'message_stop', {});
      res.end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => { server.closeAllConnections(); server.close(); });
  return { endpoint: `http://127.0.0.1:${server.address().port}`, requests, headers, held };
}

/** An acp-agent instance running the adapter (or `command`) against `endpoint`, its Claude settings in a folder of its own. */
export async function acpInstance(request, { endpoint, dir, command = claudeCodeAcp, args = [], timeoutMs }) {
  const config = path.join(dir, 'claude-config');
  fs.mkdirSync(config, { recursive: true });
  return request('instances/create', {
    displayName: 'Claude Code over ACP',
    catalogProviderId: 'acp-agent',
    cliPath: command,
    cliArgs: args,
    cliEnv: [`ANTHROPIC_BASE_URL=${endpoint}`, 'ANTHROPIC_API_KEY=loopback-anthropic-key', `CLAUDE_CONFIG_DIR=${config}`,
      'CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1', 'DISABLE_AUTOUPDATER=1'],
    ...(timeoutMs ? { timeoutMs } : {}),
  });
}
