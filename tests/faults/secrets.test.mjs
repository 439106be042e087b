// The secrets sweep: with keys in the sidecar's environment, in the vault and in instances, and a provider that echoes
// its key back in other forms, no secret (raw, base64, URL-encoded) is found in any file under PLUE_HOME, any frame the
// client received, stderr at trace level, or the argv and environment of any child: the bash tool's command, the
// claude CLI (against a loopback Anthropic server) and an MCP server. A child holds only its own credential.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  descendants, fakeOpenAI, filesUnder, leaks, procView, running, scratch, startSidecar, until,
} from './support/processes.mjs';

const secrets = {
  openaiEnv: 'fake-openai-env-faults-0123456789',
  hfToken: 'fake-hf-token-faults-0123456789',
  githubToken: 'fake-github-token-faults-0123456789',
  vaultKey: Buffer.alloc(32, 11).toString('base64'),
  // '/', '+' and '=' make its URL-encoded form differ from it.
  instanceKey: 'sk-inst/faults+key=0123456789abcdefXYZ',
  cliKey: 'fake-anthropic-cli-key-faults-0123456789',
  mcpSecret: 'mcp-secret-Faults0123456789abcdef',
};
const all = Object.values(secrets);
const except = (...allowed) => all.filter((s) => !allowed.includes(s));

// An MCP server that records the argv and environment it was given, then answers initialize and tools/list.
const probeServer = `
const fs = require('node:fs');
fs.writeFileSync(require('node:path').join(process.env.PROBE_OUT, String(process.pid)), JSON.stringify({
  cmdline: fs.readFileSync('/proc/self/cmdline', 'latin1'), environ: fs.readFileSync('/proc/self/environ', 'latin1') }));
let buffer = '';
process.stdin.on('data', (d) => {
  buffer += d;
  for (let i; (i = buffer.indexOf('\\n')) >= 0;) {
    const line = buffer.slice(0, i); buffer = buffer.slice(i + 1);
    if (!line.trim()) continue;
    const m = JSON.parse(line);
    if (m.id === undefined) continue;
    const answer = m.method === 'initialize'
      ? { result: { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'probe', version: '1' } } }
      : m.method === 'tools/list' ? { result: { tools: [{ name: 'echo', description: 'Echoes.', inputSchema: { type: 'object', properties: {} } }] } }
      : { error: { code: -32601, message: 'Method not found' } };
    process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, ...answer }) + '\\n');
  }
});`;

/** A loopback Anthropic API that holds every /v1/messages request open: the CLI waits, running, until the test ends. */
async function holdingAnthropic(t) {
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url);
    if (!req.url.startsWith('/v1/messages')) { res.writeHead(404).end(); return; }
    req.resume();
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

test('no secret, in any form, reaches files, frames, trace logs or a child\'s argv and environment', async (t) => {
  const dir = scratch(t);
  const home = path.join(dir, 'home');
  const workspace = path.join(dir, 'ws');
  // Inside the workspace: the MCP server runs in the workspace's sandbox, which writes nowhere else.
  const probeOut = path.join(workspace, 'probe');
  const cliConfig = path.join(dir, 'claude');
  for (const folder of [workspace, probeOut, cliConfig]) fs.mkdirSync(folder);
  fs.writeFileSync(path.join(dir, 'probe.js'), probeServer);

  // Chats get a 401 that echoes the key as a provider might: raw, "Bearer <base64>", Basic, URL-encoded.
  const key = secrets.instanceKey;
  const echo = JSON.stringify({ error: {
    message: `Incorrect API key provided: ${key}. Header was Bearer ${Buffer.from(key).toString('base64')}, `
      + `Basic ${Buffer.from(`:${key}`).toString('base64')}, query key=${encodeURIComponent(key)}, url-safe ${Buffer.from(key).toString('base64url')}`,
    type: 'invalid_request_error', code: 'invalid_api_key' } });
  // The chat says hello (and gets the 401); the task, which waits, runs bash.
  const openai = await fakeOpenAI(t, ({ body }) => (body.includes('hello') ? { status: 401, body: echo } : { bash: 'sleep 60' }));
  const anthropic = await holdingAnthropic(t);

  const s = startSidecar(t, { home, env: {
    PLUE_LOG_LEVEL: 'Trace', PLUE_VAULT_KEY: secrets.vaultKey, OPENAI_API_KEY: secrets.openaiEnv, HF_TOKEN: secrets.hfToken,
    GITHUB_TOKEN: secrets.githubToken, CLAUDE_CONFIG_DIR: cliConfig, CLAUDE_CODE_MAX_RETRIES: '0',
    ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: '', CLAUDE_CODE_OAUTH_TOKEN: '',
  } });
  await s.initialize({ workspaceFolders: [workspace], trusted: true });

  // A provider's echo of its key (item: scrubbed in every form).
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: key });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-faults' });
  await s.request('session/send', { sessionId: chat.id, text: 'hello' }).catch(() => { /* the 401, as an error */ });
  await s.request('session/messages', { id: chat.id });

  // The bash tool's command, running.
  await s.request('task/start', {
    templateId: 'task', prompt: 'wait', providerRef: instance.ref, modelId: 'gpt-faults',
    fields: { available_tools: ['bash'], auto_approve: ['bash'] },
  });
  const shell = await until(() => descendants(s.pid).find((pid) => /sleep.60/.test(procView(pid).cmdline.toString())), 'the bash command running');

  // An MCP server with a vault secret in its environment, started by the sidecar (mcp/tools tests it as configured).
  await s.request('vault/store', { ref: 'vault://mcp/probe.TOKEN', value: secrets.mcpSecret });
  const server = await s.request('codex/create', { templateId: 'mcp-server', title: 'Probe', slug: 'probe', fields: {
    command: process.execPath, args: [path.join(dir, 'probe.js')], env: ['TOKEN=vault://mcp/probe.TOKEN', `PROBE_OUT=${probeOut}`] } });
  const tools = await s.request('mcp/tools', { id: server.id });
  assert.deepEqual(tools.tools.map((tool) => tool.name), ['echo']);
  const probes = fs.readdirSync(probeOut).map((pid) => [pid, JSON.parse(fs.readFileSync(path.join(probeOut, pid), 'utf8'))]);
  assert.equal(probes.length, 1);

  // The claude CLI, waiting on the loopback Anthropic server.
  const cliInstance = await s.request('instances/create', { displayName: 'Claude Code', catalogProviderId: 'claude-code', endpoint: anthropic.endpoint, apiKey: secrets.cliKey, cliPath: claudeCli() });
  const cliChat = await s.request('session/create', { instanceId: cliInstance.id, modelId: 'claude-sonnet-4-5' });
  s.request('session/send', { sessionId: cliChat.id, text: 'hello' }).catch(() => { /* ended with the sidecar */ });
  await until(() => anthropic.requests.some((url) => url.startsWith('/v1/messages')), 'the CLI asking the loopback Anthropic server', 60_000, s.stderr);
  const cli = descendants(s.pid).filter((pid) => /claude/.test(procView(pid).cmdline.toString()));
  assert.ok(cli.length > 0, 'the claude CLI runs');

  const children = descendants(s.pid).map(procView);
  const found = [
    ...leaks(filesUnder(home).map(([file, bytes]) => [`file ${path.relative(home, file)}`, bytes]), all),
    ...leaks([['frames', s.frames()], ['stderr', s.stderr()]], all),
    ...children.flatMap((c) => leaks([[`argv of ${c.pid} (${c.comm})`, c.cmdline]], all)),
    ...children.filter((c) => !cli.includes(c.pid)).flatMap((c) => leaks([[`environment of ${c.pid} (${c.comm})`, c.environ]], all)),
    ...cli.flatMap((pid) => leaks([[`environment of the CLI ${pid}`, procView(pid).environ]], except(secrets.cliKey))),
    ...probes.flatMap(([pid, p]) => leaks([[`argv of MCP server ${pid}`, p.cmdline]], all)),
    ...probes.flatMap(([pid, p]) => leaks([[`environment of MCP server ${pid}`, p.environ]], except(secrets.mcpSecret))),
  ];
  assert.deepEqual(found, [], `secrets found:\n${found.join('\n')}`);

  // Each child got what it needs: the CLI its key and endpoint, the MCP server its secret, the shell a PATH.
  const cliEnviron = procView(cli[0]).environ.toString('latin1').split('\0');
  assert.ok(cliEnviron.includes(`ANTHROPIC_API_KEY=${secrets.cliKey}`));
  assert.ok(cliEnviron.includes(`ANTHROPIC_BASE_URL=${anthropic.endpoint}`));
  assert.ok(probes[0][1].environ.split('\0').includes(`TOKEN=${secrets.mcpSecret}`));
  assert.ok(procView(shell).environ.toString().includes('PATH='));
  // The echoed key was scrubbed, not the whole error lost.
  assert.match(s.frames().toString('utf8'), /Incorrect API key provided: \*\*\*/);

  // And they die with it.
  const pids = descendants(s.pid);
  await s.kill9();
  await until(() => pids.every((pid) => !running(pid)), 'every child gone after kill -9', 10_000, () => pids.filter(running).map((pid) => `${pid} ${procView(pid).cmdline.toString().replaceAll('\0', ' ')}`).join('\n'));
});
