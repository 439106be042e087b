// How the extension names an MCP server in its picks (extension/src/mcp/mcpServer.ts, which imports no vscode),
// bundled from the source as the extension is.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';

const { root } = createRequire(import.meta.url)('./support/sidecar.js');

async function mcpServerModule() {
  const built = await esbuild.build({ entryPoints: [path.join(root, 'extension/src/mcp/mcpServer.ts')], bundle: true, format: 'esm', write: false, platform: 'node' });
  return import(`data:text/javascript;base64,${Buffer.from(built.outputFiles[0].text).toString('base64')}`);
}

test("Run Task's MCP pick shows a remote server by its URL and a program by its command line", async () => {
  const { mcpServerItem } = await mcpServerModule();
  const base = { id: 'x', version: 1, env: [], trusted: false, enabled: true };
  const remote = mcpServerItem({ ...base, slug: 'docs', title: 'Docs', url: 'https://mcp.example.com/mcp', command: '', args: [] });
  const local = mcpServerItem({ ...base, slug: 'files', title: 'Files', command: 'node', args: ['server.js', '--root', 'my dir'], trusted: true });

  assert.deepEqual([remote.label, remote.detail, remote.description], ['Docs', 'https://mcp.example.com/mcp', 'mcp__docs · asks before each call']);
  assert.equal(local.detail, "node server.js --root 'my dir'");
  assert.equal(local.description, 'mcp__files · runs without asking');
});
