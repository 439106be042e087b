// Raw internals that reached the user (issue 46), each now a documented error in the user's words: a provider's
// failure during session/compact is -33003, and a store held by another process is said to be one.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { chatOn, fakeOpenAI, scratch, startSidecar } from './support/processes.mjs';

test('session/compact: a provider failure is the documented -33003 in its words, and the chat is left whole', { timeout: 60_000 }, async (t) => {
  // The first chat request is answered, the next (the compaction's) refused; a model listing (no body) is not counted.
  let chats = 0;
  const openai = await fakeOpenAI(t, ({ body }) => (!body || chats++ === 0
    ? { words: ['Hello', ' there'] }
    : { status: 400, body: '{"error":{"message":"context too long for this model","type":"invalid_request_error"}}' }));
  const s = startSidecar(t, { home: path.join(scratch(t), 'home') });
  await s.initialize();
  const { session } = await chatOn(s, openai.endpoint);
  const answer = await s.request('session/send', { sessionId: session.id, text: 'hello' });
  assert.equal(answer.status, 'complete');

  const error = await s.request('session/compact', { sessionId: session.id }).then(() => null, (e) => e);
  assert.ok(error, 'the compaction fails');
  assert.equal(error.code, -33003, `${error.code}: ${error.message}`);
  assert.doesNotMatch(error.message, /Internal error/);
  assert.match(error.message, /context too long for this model/);
  const messages = await s.request('session/messages', { id: session.id });
  assert.equal((messages.messages ?? messages).length, 2, 'the chat is left whole');
});

test('a store held by another process: an error that says so, never SQLite\'s "database is locked"', { timeout: 120_000 }, async (t) => {
  const home = path.join(scratch(t), 'home');
  const s = startSidecar(t, { home });
  await s.initialize();
  const { instance } = await chatOn(s, 'http://127.0.0.1:9/v1');
  const create = () => s.request('session/create', { instanceId: instance.id, modelId: 'gpt-faults' });
  // Another process takes the store's write lock and keeps it.
  const holder = spawn('python3', ['-c', [
    'import sqlite3, sys, time',
    `c = sqlite3.connect(${JSON.stringify(path.join(home, 'plue.db'))}, isolation_level=None)`,
    'c.execute("BEGIN EXCLUSIVE")',
    'print("held", flush=True)',
    'time.sleep(300)',
  ].join('\n')], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => holder.kill('SIGKILL'));
  await new Promise((resolve, reject) => { holder.stdout.once('data', resolve); holder.once('exit', (code) => reject(new Error(`python3 exited ${code}`))); });

  const error = await create().then(() => null, (e) => e);
  assert.ok(error, 'the write fails while the store is held');
  assert.equal(error.code, -33002, `${error.code}: ${error.message}`);
  assert.doesNotMatch(error.message, /database is locked|Internal error/);
  assert.match(error.message, /^Plue's store \(plue\.db in the Plue home\) is held by another process/);
  holder.kill('SIGKILL');
  await new Promise((r) => holder.once('exit', r));
  assert.ok((await create()).id, 'once the other process lets go, the store works');
});
