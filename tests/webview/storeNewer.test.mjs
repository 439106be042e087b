// What the window makes of a store a newer Plue wrote (extension/src/sidecar/requestErrors.ts, bundled from source with
// the generated contract): the sidecar's -33006 refusal becomes the notice the window shows once (its words, the store's
// path for Open the Folder, the export to run with the newer Plue); any other error is not one.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import * as esbuild from 'esbuild';
import { repoRoot } from '../support/codeServer.mjs';

async function load() {
  const built = await esbuild.build({ entryPoints: [path.join(repoRoot, 'extension/src/sidecar/requestErrors.ts')], bundle: true, write: false, format: 'esm', platform: 'node' });
  return import(`data:text/javascript;base64,${Buffer.from(built.outputFiles[0].text).toString('base64')}`);
}

test('storeNewerNotice_TheSidecarsRefusal_NamesTheStoreAndTheExport', async () => {
  const { storeNewerNotice } = await load();
  const refusal = Object.assign(new Error('Your chats and tasks (/home/u/.plue/plue.db) were saved by a newer version of Plue (store version 9; this one reads up to 7). Nothing was changed.'),
    { code: -33006, data: { store: '/home/u/.plue/plue.db', version: 9, readsUpTo: 7 } });
  assert.deepEqual(storeNewerNotice(refusal), {
    message: refusal.message,
    store: '/home/u/.plue/plue.db',
    exportCommand: 'plue sessions export --all --out plue-sessions.json',
  });
});

test('storeNewerNotice_AnyOtherError_IsNotOne', async () => {
  const { storeNewerNotice } = await load();
  assert.equal(storeNewerNotice(Object.assign(new Error('stale'), { code: -33002 })), undefined);
  assert.equal(storeNewerNotice(new Error('plain')), undefined);
  assert.equal(storeNewerNotice(undefined), undefined);
});
