// Secrets follow their record: an MCP server deleted through codex/delete (the door scripts, other windows and the MCP
// Servers view use) leaves none of the secrets it owns in the vault, its variables' and its sign-in; a secret it only
// names stays; codex/undo brings the server back with them. The real sidecar, spoken to with vscode-jsonrpc.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { vaultKey } from '../support/acp.mjs';
import { scratch, startSidecar } from '../faults/support/processes.mjs';

test('an MCP server deleted with codex/delete leaves no secret of its own in the vault, and undo brings them back', { timeout: 120_000 }, async (t) => {
  const home = path.join(scratch(t, 'plue-mcp-secrets-'), 'home');
  const s = startSidecar(t, { home, env: { PLUE_VAULT_KEY: vaultKey } });
  await s.initialize({ vaultKey });
  const owned = ['vault://mcp/search.API_TOKEN', 'vault://mcp/wiki.HEADER_KEY', 'vault://mcp-oauth/wiki'];
  const shared = 'vault://shared/team-token';
  for (const ref of [...owned, shared]) await s.request('vault/store', { ref, value: `secret-${ref.length}-0123456789abcdef` });
  const search = await s.request('codex/create', { templateId: 'mcp-server', title: 'Search', slug: 'search',
    fields: { command: 'node', args: ['server.js'], env: ['API_TOKEN=vault://mcp/search.API_TOKEN', `TEAM=${shared}`] } });
  const wiki = await s.request('codex/create', { templateId: 'mcp-server', title: 'Wiki', slug: 'wiki',
    fields: { transport: 'http', url: 'https://mcp.example.com/mcp', headers: ['X-Key: vault://mcp/wiki.HEADER_KEY'] } });

  for (const record of [search, wiki]) await s.request('codex/delete', { id: record.id });
  const afterDelete = await s.request('vault/list', {});
  assert.deepEqual(owned.filter((ref) => afterDelete.includes(ref)), [], 'a deleted server left its secrets in the vault');
  assert.ok(afterDelete.includes(shared), 'a secret the server only named was deleted with it');

  for (const record of [search, wiki]) await s.request('codex/undo', { id: record.id });
  const afterUndo = await s.request('vault/list', {});
  assert.deepEqual(owned.filter((ref) => afterUndo.includes(ref)), owned, 'undo did not bring the secrets back');
  assert.deepEqual(afterUndo.filter((ref) => ref.startsWith('vault://undo/')), []);
  const servers = await s.request('mcp/servers', {});
  assert.deepEqual(servers.find((v) => v.slug === 'search')?.env.find((e) => e.name === 'API_TOKEN')?.stored, true, 'the view does not see the secret back');
});

test('item 6: the secrets kept for the undo of a delete are purged when their undo time (7 days) is over, at the next start, and an undo after that brings the server back without them', { timeout: 120_000 }, async (t) => {
  const { execFileSync } = await import('node:child_process');
  const { until } = await import('../faults/support/processes.mjs');
  const home = path.join(scratch(t, 'plue-undo-purge-'), 'home');
  const first = startSidecar(t, { home, env: { PLUE_VAULT_KEY: vaultKey } });
  await first.initialize({ vaultKey });
  const servers = {};
  for (const slug of ['old', 'recent']) {
    await first.request('vault/store', { ref: `vault://mcp/${slug}.API_TOKEN`, value: `secret-${slug}-0123456789abcdef` });
    servers[slug] = await first.request('codex/create', { templateId: 'mcp-server', title: slug, slug,
      fields: { command: 'node', args: ['server.js'], env: [`API_TOKEN=vault://mcp/${slug}.API_TOKEN`] } });
    await first.request('codex/delete', { id: servers[slug].id });
  }
  const kept = (await first.request('vault/list', {})).filter((ref) => ref.startsWith('vault://undo/')).sort();
  assert.deepEqual(kept, [`vault://undo/${servers.old.id}`, `vault://undo/${servers.recent.id}`].sort());
  await first.stop();

  // Eight days pass for the first delete (its history row says when it was made).
  const eightDays = 8 * 24 * 3600 * 1000;
  execFileSync('sqlite3', [path.join(home, 'plue.db'), `UPDATE codex_history SET at = at - ${eightDays} WHERE codex_id = '${servers.old.id}'`]);

  const second = startSidecar(t, { home, env: { PLUE_VAULT_KEY: vaultKey } });
  await second.initialize({ vaultKey });
  await until(async () => !(await second.request('vault/list', {})).includes(`vault://undo/${servers.old.id}`), 'the stale undo secrets are purged at start');
  const after = await second.request('vault/list', {});
  assert.ok(after.includes(`vault://undo/${servers.recent.id}`), 'a delete still in its undo time keeps its secrets');
  for (const slug of ['old', 'recent']) await second.request('codex/undo', { id: servers[slug].id });
  const listed = await second.request('mcp/servers', {});
  const stored = (slug) => listed.find((v) => v.slug === slug)?.env.find((e) => e.name === 'API_TOKEN')?.stored;
  assert.equal(stored('old'), false, 'the server is back, its purged secret said not stored');
  assert.equal(stored('recent'), true);
  assert.deepEqual((await second.request('vault/list', {})).filter((ref) => ref.startsWith('vault://undo/')), []);
});
