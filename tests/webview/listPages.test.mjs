// How the window reads a whole list (extension/src/sidecar/listPages.ts, loaded from source): page by page with
// limit and after until a short page, none lost or repeated; a sidecar that ignores limit is read twice (the repeat ends it).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createRequire } from 'node:module';
import { loadSource } from './harness.mjs';

let listInPages;

before(async () => {
  ({ listInPages } = await loadSource('extension/src/sidecar/listPages.ts'));
});

const chats = Array.from({ length: 1200 }, (_, i) => ({ id: `chat-${1199 - i}` }));

test('listInPages_1200Chats_ReadsThreePagesOf500AndKeepsTheOrder', async () => {
  const asked = [];
  const all = await listInPages(async (limit, after) => {
    asked.push({ limit, after });
    const start = after === undefined ? 0 : chats.findIndex((c) => c.id === after) + 1;
    return chats.slice(start, start + limit);
  });
  assert.deepEqual(all.map((c) => c.id), chats.map((c) => c.id));
  assert.deepEqual(asked, [{ limit: 500, after: undefined }, { limit: 500, after: 'chat-700' }, { limit: 500, after: 'chat-200' }]);
});

test('listInPages_ASidecarThatIgnoresLimit_EndsWhenAPageRepeats', async () => {
  let calls = 0;
  const all = await listInPages(async () => { calls++; return chats; });
  assert.equal(all.length, 1200);
  assert.equal(calls, 2, 'the second page repeats the first and ends the reading');
});

// The Channels view's tags (extension/src/channels/recordTags.ts) read codex/list through listByCursor: against the
// real sidecar with 1,005 tagged chats (imported in one sessions file), the tags past the first 1,000 are there too.
test('listByCursor_1005TaggedChatsInTheRealSidecar_ReadsEveryOnesTags', { timeout: 180_000 }, async (t) => {
  const { listByCursor } = await loadSource('extension/src/sidecar/listPages.ts');
  const { startSidecar } = createRequire(import.meta.url)('../node/support/sidecar.js');
  const s = startSidecar();
  t.after(() => s.stop());
  await s.initialize({ vaultKey: Buffer.alloc(32, 5).toString('base64') });
  const at = Date.parse('2026-11-01T00:00:00Z');
  const records = Array.from({ length: 1005 }, (_, i) => ({
    kind: 'chat',
    record: {
      id: `chat-${i}`, templateId: 'ai-chat', collection: 'chats', slug: `chat-${i}`, title: `Chat ${i}`,
      fields: { instance_ref: 'codex://providers/elsewhere', model_id: 'gpt-node' }, tags: [`tag-${i}`], version: 1,
      createdAt: new Date(at + i * 1000).toISOString(), updatedAt: new Date(at + i * 1000).toISOString(),
    },
    messages: [],
  }));
  const imported = await s.connection.sendRequest('session/import', { json: JSON.stringify({ format: 'plue-sessions', version: 1, records }) });
  assert.equal(imported.chats, 1005);

  const asked = [];
  const all = await listByCursor((cursor) => { asked.push(cursor); return s.connection.sendRequest('codex/list', { templateId: 'ai-chat', limit: 1000, ...(cursor ? { cursor } : {}) }); });
  assert.equal(asked.length, 2, 'two pages');
  assert.equal(all.length, 1005);
  assert.deepEqual(new Set(all.flatMap((r) => r.tags)), new Set(records.map((r) => r.record.tags[0])));
});

test('listByCursor_ACursorGivenTwice_EndsTheReading', async () => {
  const { listByCursor } = await loadSource('extension/src/sidecar/listPages.ts');
  let calls = 0;
  const all = await listByCursor(async () => { calls++; return { items: [{ id: 'a' }], nextCursor: 'same' }; });
  assert.equal(calls, 2);
  assert.equal(all.length, 2);
});
