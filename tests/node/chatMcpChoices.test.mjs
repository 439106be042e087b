// Issue 68 item 7: the chat's settings form (the window's control for a chat's tools) offers every MCP server in use
// for its "MCP tools": a `.mcp.json` file's and an `mcp-server` record's, as the grant that gives all of a server's
// tools. The form's model is built by the extension's own code (settings/formModel.ts, bundled as the window runs it)
// against the real sidecar.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';

const require = createRequire(import.meta.url);
const { startSidecar, scratchFolder, root } = require('./support/sidecar.js');

async function formModel() {
  const built = await esbuild.build({
    stdin: { contents: "export { buildForm } from './extension/src/settings/formModel';", resolveDir: root, loader: 'ts' },
    bundle: true, format: 'esm', write: false, platform: 'node',
  });
  return import(`data:text/javascript;base64,${Buffer.from(built.outputFiles[0].text).toString('base64')}`);
}

test("a chat's settings form suggests every MCP server in use, from a file or a record, for its MCP tools", async (t) => {
  const fixture = path.join(root, 'tests', 'Plue.Server.Tests', 'Agents', 'Tools', 'Fixtures', 'mcp-fixture-server.js');
  const base = scratchFolder(t, 'plue-chat-mcp-form-');
  const workspace = path.join(base, 'workspace');
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, '.mcp.json'), JSON.stringify({ mcpServers: { 'Fixture Tools': { command: 'node', args: [fixture] } } }));
  const s = startSidecar({ env: { HOME: path.join(base, 'nohome') } });
  t.after(() => s.stop());
  await s.initialize({ vaultKey: Buffer.alloc(32, 13).toString('base64'), workspaceFolders: [workspace], trusted: true });
  await s.connection.sendRequest('codex/create', { templateId: 'mcp-server', title: 'Docs Search', fields: { transport: 'http', url: 'http://127.0.0.1:9/mcp' } });
  const instance = await s.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: 'http://127.0.0.1:9/v1', apiKey: 'sk-form-0123456789' });
  const chat = await s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'loop-1', allowUnlisted: true });

  const { buildForm } = await formModel();
  const sidecar = { request: (method, params) => s.connection.sendRequest(method, params ?? {}) };
  const { form } = await buildForm({ sidecar, providers: { instances: async () => [] }, kinds: { of: () => ({}) } }, { kind: 'record', id: chat.id });

  const offered = form.choices.mcp_tools ?? [];
  assert.deepEqual(offered.map((c) => c.value).sort(), ['mcp__docs-search', 'mcp__fixture-tools']);
  assert.equal(offered.find((c) => c.value === 'mcp__fixture-tools').label, 'Fixture Tools (from .mcp.json)');
  assert.equal(offered.find((c) => c.value === 'mcp__docs-search').label, 'Docs Search');
});
