// Lists that lose no rows: a walk of session/list page by page while chats change, and instances/list past 1,000
// instances, on the real sidecar. Pages go by id (creation order), which a rename does not move.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const { startSidecar } = createRequire(import.meta.url)('./support/sidecar.js');
const vaultKey = Buffer.alloc(32, 11).toString('base64');

/** Sends every request at once (the connection keeps them in order) and waits for all the answers. */
const all = (n, request) => Promise.all(Array.from({ length: n }, (_, i) => request(i)));

test('SessionListWalk: a walk of 5,005 chats while 10 not yet reached are renamed and 10 reached are deleted reaches every chat still there exactly once', async (t) => {
  const s = startSidecar({ env: { PLUE_VAULT_KEY: vaultKey } });
  t.after(() => s.stop());
  await s.initialize({ vaultKey });
  const instance = await s.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: 'http://127.0.0.1:9/v1', apiKey: 'sk-walk-0123456789' });
  const created = await all(5_005, () => s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'gpt-walk', allowUnlisted: true }));

  const limit = 500;
  const reached = [];
  let page = await s.connection.sendRequest('session/list', { limit });
  reached.push(...page.map((c) => c.id));
  // Changes while the walk is under way: 10 chats it has not reached yet are renamed (a rename made a chat the newest
  // changed, ahead of the walk), and 10 it has reached are deleted, the page's last one among them (the next page follows it).
  const ahead = created.map((c) => c.id).filter((id) => !reached.includes(id)).slice(-10);
  assert.equal(ahead.length, 10);
  for (const id of ahead) await s.connection.sendRequest('session/rename', { id, title: `renamed ${id}` });
  const gone = [reached.at(-1), ...reached.slice(0, 9)];
  for (const id of gone) assert.deepEqual(await s.connection.sendRequest('session/delete', { id }), { deleted: true });
  while (page.length === limit) {
    page = await s.connection.sendRequest('session/list', { limit, after: reached.at(-1) });
    reached.push(...page.map((c) => c.id));
  }

  const counts = new Map();
  for (const id of reached) counts.set(id, (counts.get(id) ?? 0) + 1);
  const twice = [...counts].filter(([, n]) => n > 1);
  assert.deepEqual(twice, [], 'no chat reached twice');
  const existing = created.map((c) => c.id).filter((id) => !gone.includes(id));
  const missed = existing.filter((id) => !counts.has(id));
  assert.deepEqual(missed, [], 'every chat still there was reached');
  for (const id of ahead) assert.ok(counts.has(id), 'a renamed chat not yet reached is reached');
  // The whole list, asked without a limit: every chat still there, last changed first.
  const whole = await s.connection.sendRequest('session/list', {});
  assert.equal(whole.length, existing.length);
  assert.deepEqual(whole.slice(0, 10).map((c) => c.id).sort(), [...ahead].sort(), 'the renamed ones are the last changed');
});

test('InstancesListWalk: instances/list tells all of 1,200 instances, renamed or not, none twice, the deleted ones gone', async (t) => {
  const s = startSidecar({ env: { PLUE_VAULT_KEY: vaultKey } });
  t.after(() => s.stop());
  await s.initialize({ vaultKey });
  const created = await all(1_200, (i) => s.connection.sendRequest('instances/create', { displayName: `Loopback ${String(i).padStart(4, '0')}`, catalogProviderId: 'openai', endpoint: 'http://127.0.0.1:9/v1' }));
  for (const instance of created.slice(-10)) await s.connection.sendRequest('instances/update', { id: instance.id, version: instance.version, displayName: `A renamed ${instance.displayName}` });
  const gone = created.slice(0, 10).map((i) => i.id);
  for (const id of gone) await s.connection.sendRequest('instances/delete', { id });

  const listed = (await s.connection.sendRequest('instances/list')).filter((i) => !i.fromEnvironment).map((i) => i.id);
  assert.equal(new Set(listed).size, listed.length, 'no instance told twice');
  assert.deepEqual([...listed].sort(), created.map((i) => i.id).filter((id) => !gone.includes(id)).sort(), 'every instance still there, past the first 1,000');
});
