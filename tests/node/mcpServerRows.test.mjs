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

// Issue 44, item 9: a server of an MCP file is a read-only row named by its file (the MCP Servers view's description),
// and its ${input:id} is asked once in an input box, masked for a password, and stored in the vault from the window.
test('a server of an MCP file: its row says the file (and why it is ignored); Run Task names the file; an input is asked masked and stored', async () => {
  const { describeServerRow, mcpServerItem, answerMcpInput } = await mcpServerModule();
  const base = { id: 'file:/w/.mcp.json#files', version: 1, env: [], trusted: false, enabled: true, slug: 'files', title: 'files', command: 'node', args: [] };
  assert.equal(describeServerRow({ ...base, file: '.vscode/mcp.json' }), 'from .vscode/mcp.json');
  assert.equal(describeServerRow({ ...base, enabled: false, file: '.mcp.json', ignored: 'the workspace is not trusted' }), 'from .mcp.json · ignored: the workspace is not trusted');
  assert.equal(describeServerRow({ ...base }), 'enabled', "a record's row is as before");
  assert.equal(mcpServerItem({ ...base, file: '.cursor/mcp.json' }).description, 'mcp__files · asks before each call · from .cursor/mcp.json');

  const params = { title: 'VS Tools', file: '.vscode/mcp.json', input: 'token', description: 'The API token', password: true, ref: 'vault://mcp/vs-tools.token' };
  const boxes = [];
  const stored = [];
  const given = await answerMcpInput(params, async (box) => { boxes.push(box); return 'typed'; }, async (ref, value) => { stored.push([ref, value]); });
  assert.deepEqual(given, { stored: true });
  assert.deepEqual(boxes, [{ title: 'VS Tools (.vscode/mcp.json)', prompt: 'The API token. It is kept encrypted in the Plue vault and asked only once.', password: true }]);
  assert.deepEqual(stored, [['vault://mcp/vs-tools.token', 'typed']]);
  assert.deepEqual(await answerMcpInput(params, async () => undefined, async () => assert.fail('nothing to store')), { stored: false }, 'dismissed: nothing stored');
});

// Issue 44, item 9: a pickString input (VS Code's `inputs` with `options` and `default`) is a pick of its choices, the
// default first, and only one of them is stored; a promptString's default fills its box.
test('an MCP file\'s pickString input is asked as a pick of its choices, its default first; only a choice is stored', async () => {
  const { answerMcpInput } = await mcpServerModule();
  const params = { title: 'VS Tools', file: '.vscode/mcp.json', input: 'region', description: 'The region', password: false, ref: 'vault://mcp/vs-tools.region', options: ['us-east', 'eu-west', 'ap-south'], default: 'eu-west' };
  const boxes = [];
  const stored = [];
  const store = async (ref, value) => { stored.push([ref, value]); };
  assert.deepEqual(await answerMcpInput(params, async (box) => { boxes.push(box); return 'ap-south'; }, store), { stored: true });
  assert.deepEqual(boxes[0].options, ['eu-west', 'us-east', 'ap-south'], 'the default first');
  assert.equal(boxes[0].value, undefined);
  assert.deepEqual(stored, [['vault://mcp/vs-tools.region', 'ap-south']]);
  assert.deepEqual(await answerMcpInput(params, async () => 'somewhere-else', store), { stored: false }, 'not one of the choices: nothing stored');
  assert.equal(stored.length, 1);

  const text = { ...params, input: 'user', options: undefined, default: 'me' };
  await answerMcpInput(text, async (box) => { boxes.push(box); return 'you'; }, store);
  assert.equal(boxes.at(-1).value, 'me', 'a promptString default fills the box');
  assert.equal(boxes.at(-1).options, undefined);
});
