// Item 2 of the doors (docs/SANDBOX.md, "The doors"): an abstract Unix socket (`@name`, in the network namespace, which
// no mount hides) is out of reach of a sandboxed bash call, a hook and an MCP server even under a policy whose network
// is open, unless the policy names it. The real sidecar and bubblewrap; skipped, saying why, where bwrap is missing,
// and where the kernel cannot close them (before Linux 6.12: docs/SANDBOX.md says so).
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { fakeOpenAI, scratch, startSidecar, until } from '../faults/support/processes.mjs';
import { stdioMcpScript } from './support/mcpScript.js';

const bwrap = ['/usr/bin/bwrap', '/bin/bwrap', '/usr/local/bin/bwrap'].find((p) => fs.existsSync(p));
const [major, minor] = (process.platform === 'linux' ? (await import('node:os')).release() : '0.0').split('.').map(Number);
const skip = process.platform !== 'linux' ? 'the sandbox is Linux-only (bubblewrap)'
  : !bwrap ? 'bubblewrap is missing: install it (sudo apt-get install bubblewrap, or bash scripts/install-tools.sh)'
  : major < 6 || (major === 6 && minor < 12) ? 'the kernel is older than 6.12: Landlock cannot close abstract sockets here' : false;

// `node probe.js <out> <socket name> [--serve]`: tries the abstract socket, writes what it got to <out>, and with
// --serve answers as an MCP server.
const probe = stdioMcpScript({ name: 'abstract', when: 'serve', prelude: `
const fs = require('node:fs'), net = require('node:net'), path = require('node:path');
const [out, name, serve] = process.argv.slice(2);
const c = net.connect('\\0' + name, () => { c.end(); fs.writeFileSync(path.join(__dirname, out), 'connected'); });
c.on('error', (e) => fs.writeFileSync(path.join(__dirname, out), 'refused ' + e.code));` });

test('item 2: a sandboxed bash call, a hook and an MCP server reach no abstract Unix socket under an open network, and one the policy names is reached', { skip, timeout: 240_000 }, async (t) => {
  const dir = fs.realpathSync(scratch(t, 'plue-abstract-'));
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(path.join(workspace, '.claude'), { recursive: true });
  const name = `plue-abstract-${process.pid}-${Date.now()}`;
  const server = net.createServer((c) => { c.on('error', () => {}); c.end('answer'); });
  await new Promise((resolve, reject) => { server.once('error', reject); server.listen(`\0${name}`, resolve); });
  t.after(() => server.close());
  fs.writeFileSync(path.join(workspace, 'probe.js'), probe);
  fs.writeFileSync(path.join(workspace, '.claude', 'settings.json'), JSON.stringify({ hooks: { UserPromptSubmit: [{ hooks: [{ type: 'command',
    command: `node probe.js hook.out ${name}` }] }] } }));
  fs.writeFileSync(path.join(workspace, '.mcp.json'), JSON.stringify({ mcpServers: { abstract: { command: process.execPath,
    args: [path.join(workspace, 'probe.js'), 'mcp.out', name, '--serve'] } } }));

  const openai = await fakeOpenAI(t, ({ body }) => (body.includes('"tool"') ? { words: ['done'] } : { bash: `node probe.js bash.out ${name}; sleep 0.5` }));
  const s = startSidecar(t, { home: path.join(dir, 'home') });
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  s.connection.onRequest('permission/request', () => ({ decision: 'allow' }));
  const policy = await s.request('codex/create', { templateId: 'sandbox-policy', title: 'Open network', fields: {
    filesystem: 'workspace-write', home: 'hidden', network: 'open', folders: [workspace] } });
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-abstract-key' });

  const run = async (suffix) => {
    for (const out of ['hook.out', 'bash.out', 'mcp.out']) fs.rmSync(path.join(workspace, out), { force: true });
    const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-abstract', allowUnlisted: true });
    await s.request('codex/update', { id: chat.id, version: chat.version, fields: { available_tools: ['bash'] } });
    assert.equal((await s.request('session/send', { sessionId: chat.id, text: `probe ${suffix}` })).status, 'complete');
    const task = await s.request('task/start', { templateId: 'task', prompt: 'nothing to do', providerRef: instance.id, modelId: 'gpt-abstract',
      allowUnlisted: true, fields: { available_tools: [], mcp_tools: ['mcp__abstract'] } });
    await until(async () => !['queued', 'running', 'waiting-approval'].includes((await s.request('task/get', { id: task.id })).status), 'the task ends', 60_000);
    const said = {};
    for (const out of ['hook.out', 'bash.out', 'mcp.out']) {
      await until(() => fs.existsSync(path.join(workspace, out)), `${out} written`, 30_000);
      said[out] = fs.readFileSync(path.join(workspace, out), 'utf8');
    }
    return said;
  };

  const closed = await run('closed');
  for (const [out, text] of Object.entries(closed)) assert.match(text, /^refused EPERM/, `${out}: ${text}`);

  // The policy names it: reached (a new policy is a new MCP server instance, started under it).
  const record = await s.request('codex/get', { id: policy.id });
  await s.request('codex/update', { id: policy.id, version: record.version, fields: { sockets: [`@${name}`] } });
  const named = await run('named');
  for (const [out, text] of Object.entries(named)) assert.equal(text, 'connected', `${out}: ${text}`);
});
