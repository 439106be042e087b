// Issue 68 item 6: the window follows the command line. A key set and a test run by `plue` on the same home as an open
// window's sidecar are home files (the vault, the tests' log), not records: the window's client still hears them, as
// `codex/changed` with the instance's view as it is now (its key there, its test's result), within a few seconds; the
// window's own test and key are not told a second time.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startFakeOpenAI } from '../e2e/support/fakeOpenAI.mjs';
import { until } from '../faults/support/processes.mjs';

const require = createRequire(import.meta.url);
const { startSidecar } = require('./support/sidecar');
const { plue } = require('./support/plue');
const vaultKey = Buffer.alloc(32, 7).toString('base64');

test('a key set and a test run with plue on the same home reach the open window as the instance\'s changed view', async (t) => {
  const fake = await startFakeOpenAI({ models: ['loop-1', 'loop-2'] });
  const s = startSidecar();
  t.after(async () => { fake.close(); await s.stop(); });
  await s.initialize({ vaultKey });
  const instance = await s.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: fake.endpoint });
  assert.equal(instance.hasKey, false);
  const heard = [];
  s.connection.onNotification('codex/changed', (change) => { if (change.id === instance.id) heard.push(change.view?.instance); });

  const key = await plue(['instances', 'key', 'Loopback', '--key-stdin'], { home: s.home, vaultKey, input: 'sk-loopback-from-the-cli-0123456789' });
  assert.equal(key.code, 0, key.stderr);
  const withKey = await until(() => heard.find((view) => view?.hasKey === true), 'the window hearing of the key', 15_000);
  assert.equal(withKey.lastTest, undefined, 'not tested yet');

  const version = (await s.connection.sendRequest('codex/get', { id: instance.id })).version;
  const tested = await plue(['instances', 'test', 'Loopback'], { home: s.home, vaultKey });
  assert.equal(tested.code, 0, tested.stderr + tested.stdout);
  const withTest = await until(() => heard.find((view) => view?.lastTest), 'the window hearing of the test', 15_000);
  assert.equal(withTest.lastTest.ok, true, JSON.stringify(withTest.lastTest));
  assert.equal(withTest.lastTest.modelCount, 2);
  // A test is no edit: the record did not change, only the home's tests' log did, and that was told.
  assert.equal((await s.connection.sendRequest('codex/get', { id: instance.id })).version, version);
  // What the window reads from now on is the same.
  assert.equal((await s.connection.sendRequest('instances/get', { id: instance.id })).lastTest.ok, true);

  // The window's own test and key are told by their requests only: the watcher tells apart the sidecar's own writes of
  // the home's files from another process's (told again, the Providers row redrew under the user's pointer).
  for (const [what, own] of [
    ['test', () => s.connection.sendRequest('instances/test', { id: instance.id })],
    ['key', async () => s.connection.sendRequest('instances/update', { id: instance.id, version: (await s.connection.sendRequest('codex/get', { id: instance.id })).version, apiKey: 'sk-loopback-from-the-window-0123456789' })],
  ]) {
    const before = heard.length;
    await own();
    const byRequest = heard.length - before;
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    assert.equal(heard.length - before, byRequest, `the window's own ${what} was told again by the store watcher (${heard.length - before - byRequest} more)`);
  }
});
