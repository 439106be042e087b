// kill -9 in the middle of a Claude Code task whose MCP server holds a vault secret and whose Bash tool runs a long
// command: afterwards no file under the temp folder or the home holds the secret (the CLI's MCP config names it, the
// value lives in that one process's environment), and no process the sidecar started, however deep, still runs.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { descendants, filesUnder, leaks, procView, running, scratch, startSidecar, until } from './support/processes.mjs';

const mcpSecret = 'mcp-secret-Kill9-0123456789abcdef';
const fixtureServer = path.join(import.meta.dirname, '..', 'Plue.Server.Tests', 'Agents', 'Tools', 'Fixtures', 'mcp-fixture-server.js');

const sse = (event, data) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** A loopback Anthropic API whose turns call the Bash tool with `command`; any later request is held open. */
async function bashCallingAnthropic(t, command) {
  const requests = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      requests.push({ url: req.url, body });
      if (!req.url.startsWith('/v1/messages') || body.includes('tool_result') || !body.includes('"Bash"')) return;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(sse('message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-kill', content: [], usage: { input_tokens: 3, output_tokens: 0 } } })
        + sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_sleep', name: 'Bash', input: {} } })
        + sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: JSON.stringify({ command, description: 'Wait' }) } })
        + sse('content_block_stop', { type: 'content_block_stop', index: 0 })
        + sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 5 } })
        + sse('message_stop', { type: 'message_stop' }));
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

test('kill -9 mid-turn of a Claude Code task with an MCP server: no file holds its secret, no descendant survives', async (t) => {
  const started = Date.now() - 1000;
  const dir = scratch(t);
  const home = path.join(dir, 'home');
  const workspace = path.join(dir, 'ws');
  const cliHome = path.join(dir, 'cli-home');
  for (const folder of [workspace, cliHome]) fs.mkdirSync(folder);
  const anthropic = await bashCallingAnthropic(t, 'sleep 300 & sleep 301');

  const s = startSidecar(t, { home, env: {
    PLUE_VAULT_KEY: Buffer.alloc(32, 9).toString('base64'), HOME: cliHome, CLAUDE_CONFIG_DIR: path.join(cliHome, '.claude'),
    CLAUDE_CODE_MAX_RETRIES: '0', ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: '', CLAUDE_CODE_OAUTH_TOKEN: '',
  } });
  await s.initialize({ workspaceFolders: [workspace], trusted: true });
  await s.request('vault/store', { ref: 'vault://fixture/secret', value: mcpSecret });
  await s.request('codex/create', { templateId: 'mcp-server', title: 'Fixture', slug: 'fixture', fields: {
    command: process.execPath, args: [fixtureServer], env: ['FIXTURE_SECRET=vault://fixture/secret'] } });
  const instance = await s.request('instances/create', { displayName: 'Claude Code', catalogProviderId: 'claude-code', endpoint: anthropic.endpoint, apiKey: 'fake-anthropic-kill-key-0123456789', cliPath: claudeCli() });
  await s.request('task/start', {
    templateId: 'task', prompt: 'wait a while', providerRef: instance.ref, modelId: 'claude-sonnet-4-5', allowUnlisted: true,
    fields: { available_tools: ['bash'], auto_approve: ['bash'], mcp_tools: ['mcp__fixture__echo'] },
  });

  const sleeping = () => descendants(s.pid).filter((pid) => /^sleep\0(300|301)\0/.test(procView(pid).cmdline.toString()));
  await until(() => sleeping().length === 2, 'the Bash tool\'s commands running', 90_000, s.stderr);
  const cli = descendants(s.pid).find((pid) => /claude/.test(procView(pid).cmdline.toString()));
  const server = descendants(s.pid).find((pid) => procView(pid).cmdline.toString().includes(fixtureServer));
  assert.ok(cli && server, 'the CLI and its MCP server run');
  assert.ok(procView(server).environ.toString('latin1').split('\0').includes(`FIXTURE_SECRET=${mcpSecret}`), 'the server got its secret');
  const everyone = descendants(s.pid);

  await s.kill9();

  await until(() => everyone.every((pid) => !running(pid)), 'every descendant of the sidecar gone after kill -9', 15_000,
    () => everyone.filter(running).map((pid) => `${pid}: ${procView(pid).cmdline.toString().replaceAll('\0', ' ')}`).join('\n'));
  // The temp folders the sidecar and the CLI made during the test (others' runs share the temp folder), and ours.
  const tmp = fs.readdirSync(os.tmpdir()).filter((name) => /^(plue-claude-|claude)/.test(name)).map((name) => path.join(os.tmpdir(), name))
    .filter((entry) => { try { return fs.statSync(entry).mtimeMs >= started; } catch { return false; } });
  const files = [dir, ...tmp].flatMap((entry) => (fs.statSync(entry).isDirectory() ? filesUnder(entry) : [[entry, fs.readFileSync(entry)]]));
  const found = leaks(files.map(([file, bytes]) => [`file ${file}`, bytes]), [mcpSecret]);
  assert.deepEqual(found, [], `the MCP secret outlived the sidecar:\n${found.join('\n')}`);
});
