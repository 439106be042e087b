// How the window reads a whole list (extension/src/sidecar/listPages.ts, loaded from source): page by page with
// limit and after until a short page, none lost or repeated; a sidecar that ignores limit is read twice (the repeat ends it).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
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
