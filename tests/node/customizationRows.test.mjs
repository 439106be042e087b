// Issue 44, item 8 in the view: which rows the Customizations view shows for what customizations/list answers
// (extension/src/customizations/customizationRows.ts, which imports no vscode, bundled from the source as the
// extension is), fed by the real sidecar over the fixture workspace, trusted and not.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { startSidecar, root } = require('./support/sidecar.js');
const { makeCustomizationsFixture } = require('./support/customizationsFixture.js');

async function rowsModule() {
  const built = await esbuild.build({ entryPoints: [path.join(root, 'extension/src/customizations/customizationRows.ts')], bundle: true, format: 'esm', write: false, platform: 'node' });
  return import(`data:text/javascript;base64,${Buffer.from(built.outputFiles[0].text).toString('base64')}`);
}

test('the Customizations view: an untrusted workspace\'s list is led by the Trust this workspace row, counting what it ignores for that; a trusted one has none', async (t) => {
  const { rootRows } = await rowsModule();
  const fixture = makeCustomizationsFixture();
  t.after(() => fs.rmSync(fixture.base, { recursive: true, force: true }));
  const list = async (trusted) => {
    const s = startSidecar({ env: { HOME: fixture.home } });
    try {
      await s.initialize({ workspaceFolders: [fixture.workspace], trusted });
      return (await s.connection.sendRequest('customizations/list', {})).items;
    } finally {
      await s.stop();
    }
  };

  const untrusted = await list(false);
  const rows = rootRows(untrusted);
  const notTrusted = untrusted.filter((i) => /^the workspace is not trusted/.test(i.reason ?? ''));
  // Every workspace file, and the user's own MCP file's server, which runs only in a trusted workspace.
  assert.equal(notTrusted.length, untrusted.filter((i) => i.scope === 'workspace').length + untrusted.filter((i) => i.scope === 'user' && i.kind === 'mcpServer').length);
  assert.deepEqual(rows[0], { row: 'trust', count: notTrusted.length }, 'the trust row leads, with how many it would bring');
  assert.deepEqual(rows.slice(1).map((r) => r.row), rows.slice(1).map(() => 'kind'), 'then the kinds\' groups');
  assert.deepEqual(rows.slice(1).map((r) => r.kind), ['instructions', 'skill', 'command', 'agent', 'agentHook', 'mcpServer']);
  assert.equal(rows.slice(1).reduce((n, r) => n + r.items.length, 0), untrusted.length, 'every item is in its kind\'s group');

  const trusted = await list(true);
  assert.ok(rootRows(trusted).every((r) => r.row === 'kind'), 'a trusted workspace has no trust row');
  // Only the user's files, none ignored for trust: no row either (a window with no folder).
  assert.ok(rootRows(untrusted.filter((i) => i.scope === 'user' && i.kind !== 'mcpServer')).every((r) => r.row === 'kind'));
});
