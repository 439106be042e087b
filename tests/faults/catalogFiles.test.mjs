// The home's catalog files and the other files the sidecar reads back from the home (issue 46): a FIFO, a link to
// /dev/zero or out of the folder is reported and skipped, never read; imports are capped; backups never go through a
// link leading out.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { scratch, startSidecar, record } from './support/wire.mjs';

const provider = (id, extra = {}) => ({
  id, name: `Provider ${id}`, type: 'openai-compatible', defaultEndpoint: 'http://127.0.0.1:9/v1', apiKeyEnv: 'NONE_KEY',
  models: [{ id: 'm1', name: 'Model one', contextWindow: 8000, maxOutput: 1000, prices: { input: 1, output: 2, cacheRead: null, cacheWrite: null } }],
  ...extra,
});

test('catalog/: a FIFO, /dev/zero and a link outside are reported, catalog/list and instances/list answer', { timeout: 90_000 }, async (t) => {
  const base = scratch(t);
  const home = path.join(base, 'home');
  const dir = path.join(home, 'catalog');
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('mkfifo', [path.join(dir, 'pipe.json')]);
  fs.symlinkSync('/dev/zero', path.join(dir, 'zero.json'));
  fs.writeFileSync(path.join(base, 'leak.json'), JSON.stringify(provider('leak')));
  fs.symlinkSync(path.join(base, 'leak.json'), path.join(dir, 'leak.json'));
  fs.writeFileSync(path.join(dir, 'fine.json'), JSON.stringify(provider('fine')));
  // The files read back from the home, each a FIFO: permissions and instance tests.
  execFileSync('mkfifo', [path.join(home, 'permissions.json')]);
  execFileSync('mkfifo', [path.join(home, 'instance-tests.json')]);
  const s = startSidecar(t, { home });
  await s.initialize();

  const ids = (await s.request('catalog/list', {}, 20_000)).map((p) => p.id);
  assert.ok(ids.includes('fine'), 'the good file next to them loads');
  assert.ok(ids.includes('openai'), 'the shipped catalog is there');
  assert.ok(!ids.includes('leak'), 'the file behind the link outside is not read');
  const problems = await s.request('catalog/problems', {}, 20_000);
  const about = (name) => problems.find((p) => p.file.endsWith(`${path.sep}${name}`))?.message ?? '';
  assert.match(about('pipe.json'), /not a regular file/);
  assert.match(about('zero.json'), /leads outside/);
  assert.match(about('leak.json'), /leads outside/);
  assert.ok(Array.isArray(await s.request('instances/list', {}, 20_000)), 'instances/list answers over a FIFO instance-tests.json');
  assert.ok(await s.request('permissions/list', {}, 20_000), 'permissions/list answers over a FIFO permissions.json');
  record(t, `catalog FIFO: memory ${JSON.stringify(s.memory())}`);
});

test('catalog/import: a 50 MB file and a 100,000-character name are refused with the limit named; type null is required', { timeout: 90_000 }, async (t) => {
  const s = startSidecar(t);
  await s.initialize();
  const huge = JSON.stringify(provider('huge', { models: Array.from({ length: 1 }, () => ({ ...provider('x').models[0], name: 'n'.repeat(50 * 1024 * 1024) })) }));
  const big = await s.call('catalog/import', { fileName: 'huge.json', text: huge }, 60_000);
  assert.equal(big.error?.code, -32602, JSON.stringify(big).slice(0, 300));
  assert.match(big.error.message, /huge\.json is 50\.0 MiB, larger than the 1 MiB a catalog file may be/);

  const named = await s.call('catalog/import', { fileName: 'named.json', text: JSON.stringify(provider('named', { name: 'N'.repeat(100_000) })) });
  assert.equal(named.error?.code, -32602);
  assert.match(named.error.message, /name: 100,000 characters is longer than the 200 allowed/);

  const untyped = await s.call('catalog/import', { fileName: 'untyped.json', text: JSON.stringify(provider('untyped', { type: null })) });
  assert.equal(untyped.error?.code, -32602, JSON.stringify(untyped));
  assert.match(untyped.error.message, /type: required/);

  const ids = (await s.request('catalog/list', {})).map((p) => p.id);
  for (const id of ['huge', 'named', 'untyped']) assert.ok(!ids.includes(id), `${id} was not stored`);
  assert.ok(!fs.existsSync(path.join(s.home, 'catalog', 'untyped.json')));
  record(t, `catalog import caps: memory ${JSON.stringify(s.memory())}`);
});

test('catalog backups: a backups link leading outside the home is never written through, the change is saved', { timeout: 90_000 }, async (t) => {
  const base = scratch(t);
  const home = path.join(base, 'home');
  const outside = path.join(base, 'outside');
  fs.mkdirSync(path.join(home, 'catalog'), { recursive: true });
  fs.mkdirSync(outside);
  fs.symlinkSync(outside, path.join(home, 'catalog', 'backups'));
  const s = startSidecar(t, { home });
  await s.initialize();
  const first = await s.request('catalog/import', { fileName: 'mine.json', text: JSON.stringify(provider('mine')) });
  const deleted = await s.call('codex/delete', { id: first.id });
  assert.ok(!deleted.error, JSON.stringify(deleted));
  assert.deepEqual(fs.readdirSync(outside), [], 'nothing was written outside the home');
  assert.ok(!fs.existsSync(path.join(home, 'catalog', 'mine.json')), 'the change itself was made');
  assert.match(s.stderr(), /Catalog backup of .*mine\.json not kept: .*leads outside/);
});
