// A store a newer Plue wrote (PRAGMA user_version above this sidecar's), opened by this sidecar (issue 46): the store
// watcher stops with one line in words, never a stack trace; the window keeps answering (initialize, catalog/list,
// plue/status), session/list answers with the documented refusal (-33006, in the user's words), and plue.db is left
// byte for byte as it was.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chatOn, scratch, startSidecar, until } from './support/processes.mjs';

test('a newer store: the watcher stops with one line in words, the window keeps answering, session/list refuses, nothing changes', { timeout: 120_000 }, async (t) => {
  const home = path.join(scratch(t), 'home');
  const first = startSidecar(t, { home });
  await first.initialize();
  await chatOn(first, 'http://127.0.0.1:9/v1');
  await first.stop();
  // What a newer Plue leaves: the same store, a later schema version (SQLite writes it into the file's header).
  const store = path.join(home, 'plue.db');
  execFileSync('python3', ['-c', `import sqlite3; c = sqlite3.connect(${JSON.stringify(store)}); c.execute("PRAGMA user_version = 9999"); c.commit(); c.execute("PRAGMA wal_checkpoint(TRUNCATE)"); c.close()`]);
  const before = fs.readFileSync(store);

  const s = startSidecar(t, { home });
  assert.ok(await s.initialize(), 'initialize answers');
  const error = await s.request('session/list', {}).then(() => null, (e) => e);
  assert.ok(error, 'session/list refuses');
  assert.equal(error.code, -33006, `${error.code}: ${error.message}`);
  assert.match(error.message, /saved by a newer version of Plue \(store version 9999; this one reads up to \d+\)\. Nothing was changed\. Update Plue to open them/);
  await until(() => /Stopped watching the store/.test(s.stderr()), 'the watcher says it stopped', 10_000, s.stderr);
  // A few of the watcher's ticks later: still one line, and the window still answers.
  await new Promise((r) => setTimeout(r, 2_500));
  assert.equal(s.child.exitCode, null, `the sidecar runs\n${s.stderr()}`);
  assert.ok((await s.request('catalog/list', {})).length > 0, 'catalog/list answers');
  assert.ok(await s.request('plue/status', {}), 'plue/status answers');
  const lines = s.stderr().split('\n');
  assert.equal(lines.filter((l) => /Stopped watching the store/.test(l)).length, 1, s.stderr());
  assert.match(lines.find((l) => /Stopped watching the store/.test(l)), /saved by a newer version of Plue/);
  assert.deepEqual(lines.filter((l) => /^\s+at |Unhandled|Exception:/.test(l)), [], 'no stack trace in the log');
  await s.stop();
  assert.ok(before.equals(fs.readFileSync(store)), 'plue.db is left byte for byte as it was');
});
