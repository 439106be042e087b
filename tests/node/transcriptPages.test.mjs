// A panel's transcript pages (extension/src/panel/transcriptPages.ts), bundled as the extension is: a reload keeps
// every message the panel holds, asked in pages the sidecar serves (session/messages refuses a limit above 1000).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bundle = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'plue-transcript-pages-')), 'transcriptPages.mjs');
buildSync({ entryPoints: [path.join(repoRoot, 'extension/src/panel/transcriptPages.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'error' });
const { TranscriptPages, pageSize } = await import(pathToFileURL(bundle).href);

/** A transcript of `count` messages served as session/messages serves it: the latest `limit` before `beforeSeq`, 1000 at most. */
function transcript(count) {
  const all = Array.from({ length: count }, (_, i) => ({ seq: i + 1 }));
  const asked = [];
  const fetch = async (limit, beforeSeq) => {
    asked.push(limit);
    if (limit > 1000) throw new Error('limit: at most 1000 messages a page');
    const before = all.filter(m => beforeSeq === undefined || m.seq < beforeSeq);
    const messages = before.slice(Math.max(0, before.length - limit));
    return { messages, hasMore: before.length > messages.length };
  };
  return { fetch, asked };
}

test('a reload after loading 2,300 earlier messages gets them all back in pages of at most 1000', async () => {
  const { fetch, asked } = transcript(2500);
  const pages = new TranscriptPages(fetch);
  assert.equal((await pages.latest()).messages.length, pageSize);
  for (let i = 0; i < 10; i++) await pages.earlier(() => { });
  const shown = pageSize * 11;

  const reloaded = await pages.latest();

  assert.equal(reloaded.messages.length, shown);
  assert.deepEqual(reloaded.messages.map(m => m.seq), Array.from({ length: shown }, (_, i) => 2500 - shown + i + 1), 'in order, none twice');
  assert.equal(reloaded.hasMore, true);
  assert.ok(asked.every(limit => limit <= 1000), `every page within the sidecar's maximum: ${asked}`);
});

test('a reload of a short transcript asks once', async () => {
  const { fetch, asked } = transcript(30);
  const pages = new TranscriptPages(fetch);
  await pages.latest();
  asked.length = 0;
  const reloaded = await pages.latest();
  assert.equal(reloaded.messages.length, 30);
  assert.equal(reloaded.hasMore, false);
  assert.deepEqual(asked, [pageSize]);
});
