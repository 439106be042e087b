// A Claude Code chat follows the chat's mode, with the real claude CLI against a loopback Anthropic API that scripts
// its tool calls: in Agent mode its Bash call waits for permission/request (what the chat shows as an approval card)
// and runs once allowed; in Ask mode the CLI is not given Write, and a Write the model asks for anyway changes nothing
// and asks nobody.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { scratch, startSidecar, until } from '../faults/support/processes.mjs';

const sse = (event, data) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** A streamed Anthropic message: one text block, or one tool_use block. */
function message({ text, tool }) {
  const block = tool ? { type: 'tool_use', id: `toolu_${tool.name}`, name: tool.name, input: {} } : { type: 'text', text: '' };
  const delta = tool ? { type: 'input_json_delta', partial_json: JSON.stringify(tool.input) } : { type: 'text_delta', text };
  return sse('message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-modes', content: [], usage: { input_tokens: 3, output_tokens: 0 } } })
    + sse('content_block_start', { type: 'content_block_start', index: 0, content_block: block })
    + sse('content_block_delta', { type: 'content_block_delta', index: 0, delta })
    + sse('content_block_stop', { type: 'content_block_stop', index: 0 })
    + sse('message_delta', { type: 'message_delta', delta: { stop_reason: tool ? 'tool_use' : 'end_turn' }, usage: { output_tokens: 5 } })
    + sse('message_stop', { type: 'message_stop' });
}

/** A loopback Anthropic API: a request with tools and no tool result gets the call `tool()`; any other a short text. */
async function scriptedAnthropic(t, tool) {
  const requests = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      if (!req.url.startsWith('/v1/messages')) { res.writeHead(404).end(); return; }
      const parsed = JSON.parse(body || '{}');
      requests.push(parsed);
      const asks = (parsed.tools ?? []).length > 0 && !body.includes('tool_result');
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(message(asks ? { tool: tool() } : { text: 'Done with it.' }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => { server.closeAllConnections(); server.close(); });
  return { endpoint: `http://127.0.0.1:${server.address().port}`, requests };
}

function claudeCli() {
  const cli = process.env.PLUE_CLAUDE_CLI || path.join(os.homedir(), '.cache', 'plue-vscode', 'claude', 'node_modules', '.bin', 'claude');
  assert.ok(fs.existsSync(cli), `the claude CLI is needed (${cli}): run tests/support/install-claude.sh`);
  return cli;
}

/** The live processes whose environment names this CLI home: the claude CLI and what it started. */
function cliProcesses(cliHome) {
  const named = `CLAUDE_CONFIG_DIR=${path.join(cliHome, '.claude')}`;
  return fs.readdirSync('/proc').filter((pid) => /^\d+$/.test(pid)).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(named);
    } catch {
      return false; // gone meanwhile
    }
  });
}

/** A sidecar with a Claude Code instance on `anthropic`, a workspace, and a chat on it; `asked` lists permission/requests. */
async function claudeChat(t, anthropic) {
  const dir = scratch(t, 'plue-claude-modes-');
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  const cliHome = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-claude-modes-cli-'));
  const s = startSidecar(t, { home: path.join(dir, 'home'), env: {
    PLUE_VAULT_KEY: Buffer.alloc(32, 7).toString('base64'), HOME: cliHome, CLAUDE_CONFIG_DIR: path.join(cliHome, '.claude'),
    CLAUDE_CODE_MAX_RETRIES: '0', ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: '', CLAUDE_CODE_OAUTH_TOKEN: '',
  } });
  // The CLI writes its own files until it has died with the sidecar (a hook run first removed the home while the CLI
  // was still writing: ENOTEMPTY in CI); then the home goes. A CLI still alive by then has outlived its sidecar.
  t.after(async () => {
    await s.stop();
    try {
      await until(() => cliProcesses(cliHome).length === 0, 'the claude CLI to die with its sidecar (it outlived it by 10 s)', 10_000,
        () => `still alive: ${cliProcesses(cliHome).join(', ')}`);
    } finally {
      fs.rmSync(cliHome, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    }
  });
  await s.initialize({ workspaceFolders: [workspace], trusted: true });
  const asked = [];
  s.connection.onRequest('permission/request', (p) => { asked.push(p); return { decision: 'allow' }; });
  const instance = await s.request('instances/create', { displayName: 'Claude Code', catalogProviderId: 'claude-code', endpoint: anthropic.endpoint, apiKey: 'fake-anthropic-modes-key-0123456789', cliPath: claudeCli() });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'claude-sonnet-4-5', allowUnlisted: true });
  return { s, chat, workspace, asked };
}

const toolNames = (request) => (request.tools ?? []).map((tool) => tool.name);

test('a Claude Code chat in Agent mode runs Bash once its permission/request is allowed', { timeout: 180_000 }, async (t) => {
  const anthropic = await scriptedAnthropic(t, () => ({ name: 'Bash', input: { command: 'echo plue-claude-$((6*7)) | tee ran.txt', description: 'Print a marker' } }));
  const { s, chat, workspace, asked } = await claudeChat(t, anthropic);
  assert.equal(chat.mode, 'mode-agent', 'a new chat is not in Agent mode');

  const answer = await s.request('session/send', { sessionId: chat.id, text: 'Run the marker command' });
  assert.equal(answer.status, 'complete', JSON.stringify(answer).slice(0, 1500));
  assert.deepEqual(asked.map((p) => p.tool), ['bash'], `Bash was not asked about once: ${JSON.stringify(asked).slice(0, 800)}`);
  assert.equal(asked[0].input.command, 'echo plue-claude-$((6*7)) | tee ran.txt', 'the question does not carry the command the card shows');
  assert.equal(fs.readFileSync(path.join(workspace, 'ran.txt'), 'utf8'), 'plue-claude-42\n', 'the command did not run in the workspace');
  const result = anthropic.requests.find((r) => JSON.stringify(r.messages ?? []).includes('tool_result'));
  assert.match(JSON.stringify(result.messages), /plue-claude-42/, 'the command\'s output did not go back to the model');
  // The CLI's own tool_use part keeps the rule that decided it, joined by its tool use id, as a Plue tool's part does.
  const call = answer.parts.find((p) => p.kind === 'tool_use');
  assert.deepEqual([call?.approval?.decision, call?.approval?.source, call?.approval?.rule], ['allow', 'user', 'you allowed it once'], JSON.stringify(call));
});

test('a Claude Code chat runs a Bash call a chat grant allows without asking, and its part names the grant', { timeout: 180_000 }, async (t) => {
  const anthropic = await scriptedAnthropic(t, () => ({ name: 'Bash', input: { command: 'touch granted.txt', description: 'Touch a marker' } }));
  const { s, chat, workspace, asked } = await claudeChat(t, anthropic);
  const grant = await s.request('codex/create', { templateId: 'tool-grant', title: 'bash `touch granted.txt` (chat)',
    fields: { scope: 'chat', owner_id: chat.id, tool: 'bash', command_prefix: 'touch granted.txt', decision: 'allow' } });

  const answer = await s.request('session/send', { sessionId: chat.id, text: 'Run the granted command' });
  assert.equal(answer.status, 'complete', JSON.stringify(answer).slice(0, 1500));
  assert.deepEqual(asked, [], 'the grant did not answer the CLI\'s question');
  assert.ok(fs.existsSync(path.join(workspace, 'granted.txt')), 'the granted command did not run');
  const call = answer.parts.find((p) => p.kind === 'tool_use');
  assert.deepEqual([call?.approval?.decision, call?.approval?.source, call?.approval?.grantId, call?.approval?.rule],
    ['allow', 'chat', grant.id, 'grant: bash `touch granted.txt` in this chat'], JSON.stringify(call));
});

test('a Claude Code chat in Ask mode cannot write: Write is not offered, and a Write asked for anyway changes nothing', { timeout: 180_000 }, async (t) => {
  let target;
  // The model's Write names a file inside the workspace.
  const anthropic = await scriptedAnthropic(t, () => ({ name: 'Write', input: { file_path: target, content: 'never\n' } }));
  const { s, chat, workspace, asked } = await claudeChat(t, anthropic);
  target = path.join(workspace, 'ask.txt');
  const modes = await s.request('session/modes', {});
  const ask = modes.find((m) => m.id === 'mode-ask');
  assert.ok(ask, `no Ask mode: ${modes.map((m) => m.id)}`);
  await s.request('session/setMode', { id: chat.id, mode: ask.id });

  const answer = await s.request('session/send', { sessionId: chat.id, text: 'Write ask.txt' });
  assert.equal(answer.status, 'complete', JSON.stringify(answer).slice(0, 1500));
  const main = anthropic.requests.filter((r) => toolNames(r).length > 0);
  assert.ok(main.length > 0, 'the CLI sent no request with tools');
  for (const request of main) {
    for (const refused of ['Write', 'Edit', 'Bash', 'NotebookEdit']) assert.ok(!toolNames(request).includes(refused), `Ask mode offered ${refused}: ${toolNames(request)}`);
  }
  assert.equal(fs.existsSync(target), false, 'Ask mode wrote a file');
  assert.deepEqual(asked, [], 'Ask mode asked for permission to write');
});
