// Every chat and task across homes through the real sidecar and `plue`: `plue sessions export --all` writes one sessions
// file (format and version), `plue sessions import` and `session/import` read it back in one transaction, never over a
// record here; a newer file, a cut one and a store a newer Plue wrote are refused in the user's words.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { startSidecar } = require('./support/sidecar');
const { plue, tempHome } = require('./support/plue');

/** A /v1/chat/completions server that answers every request with `answer`, streamed, with its usage. */
async function fakeOpenAI(answer) {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: answer }, finish_reason: null }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 } })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${server.address().port}/v1`, close: () => server.close() };
}

const vaultKey = Buffer.alloc(32, 7).toString('base64');

/** A home with two chats (one tagged, one in Ask mode) on "Work Loopback" and a task; the sidecar stopped after. */
async function homeWithChats(fake) {
  const s = startSidecar({ home: tempHome() });
  await s.initialize({ vaultKey });
  const call = (method, params) => s.connection.sendRequest(method, params);
  const work = await call('instances/create', { displayName: 'Work Loopback', catalogProviderId: 'openai', endpoint: fake.endpoint, apiKey: 'loopback-node-transfer-0123456789' });
  const parser = await call('session/create', { instanceId: work.id, modelId: 'gpt-node', allowUnlisted: true, title: 'Parser work' });
  await call('session/send', { sessionId: parser.id, text: 'How do I parse arithmetic?' });
  const record = await call('codex/get', { id: parser.id });
  await call('codex/update', { id: parser.id, version: record.version, tags: ['compilers'] });
  const trip = await call('session/create', { instanceId: work.id, modelId: 'gpt-node', allowUnlisted: true, title: 'Trip' });
  const ask = (await call('session/modes', {})).find((m) => m.name === 'Ask');
  await call('session/setMode', { id: trip.id, mode: ask.id });
  await call('session/send', { sessionId: trip.id, text: 'Somewhere warm?' });
  const task = await call('codex/create', { templateId: 'task-code-writer', title: 'Fix the flaky test', fields: { goal: 'Make it pass reliably' }, tags: ['ci'] });
  const chats = { parser: await call('session/get', { id: parser.id }), trip: await call('session/get', { id: trip.id }) };
  await s.stop();
  return { home: s.home, chats, task };
}

test('plue sessions export --all and import carry every chat and task to another home: transcripts, tags, mode, costs; again, nothing twice', async (t) => {
  const fake = await fakeOpenAI('Use recursive descent.');
  t.after(() => fake.close());
  const from = await homeWithChats(fake);
  const out = path.join(path.dirname(from.home), 'all.json');

  const exported = await plue(['sessions', 'export', '--all', '--out', out], { home: from.home });
  assert.equal(exported.code, 0, exported.stderr);
  const file = JSON.parse(fs.readFileSync(out, 'utf8'));
  assert.equal(file.format, 'plue-sessions');
  assert.equal(file.version, 1);
  assert.deepEqual(file.records.map((r) => r.kind).sort(), ['chat', 'chat', 'task']);
  const parserEntry = file.records.find((r) => r.record.id === from.chats.parser.id);
  assert.deepEqual(parserEntry.record.tags, ['compilers']);
  assert.equal(parserEntry.instance.name, 'Work Loopback');
  assert.equal(parserEntry.messages.length, 2);

  // Another home, without that instance: imported, readable, and said so.
  const to = tempHome();
  const imported = await plue(['sessions', 'import', out], { home: to });
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stdout, /Imported 2 chats and 1 task\./);
  assert.match(imported.stdout, /The instance 'Work Loopback' is not here: 2 chats and tasks on it can be read; pick another model/);

  const s = startSidecar({ home: to });
  t.after(() => s.stop());
  await s.initialize({ vaultKey });
  const call = (method, params) => s.connection.sendRequest(method, params);
  const parser = await call('session/get', { id: from.chats.parser.id });
  assert.equal(parser.title, 'Parser work');
  assert.equal(parser.messageCount, 2);
  assert.equal(parser.costUsd, from.chats.parser.costUsd);
  assert.deepEqual(parser.usage, from.chats.parser.usage);
  assert.equal((await call('session/get', { id: from.chats.trip.id })).mode, from.chats.trip.mode);
  const { messages } = await call('session/messages', { id: parser.id });
  assert.deepEqual(messages.map((m) => m.parts[0].text), ['How do I parse arithmetic?', 'Use recursive descent.']);
  assert.deepEqual((await call('codex/get', { id: from.task.id })).tags, ['ci']);
  assert.deepEqual((await call('codex/list', { templateId: 'ai-chat', tags: ['compilers'] })).items.map((r) => r.id), [parser.id]);
  assert.equal((await call('session/search', { query: 'arithmetic' })).hits[0].id, parser.id);

  // The same file again: each record is here, the same: skipped, nothing written twice.
  const again = await call('session/import', { json: fs.readFileSync(out, 'utf8') });
  assert.deepEqual([again.chats, again.tasks, again.skipped, again.copied], [0, 0, 3, 0]);
  assert.match(again.message, /Nothing new was imported\. 3 chats and tasks were already here, the same, and skipped\./);
  assert.equal((await call('session/list', {})).length, 2);

  // A chat changed here since: the file's copy comes in as a new chat, the one here left as it was.
  await call('session/rename', { id: parser.id, title: 'Parser work, here' });
  const copy = await call('session/import', { json: fs.readFileSync(out, 'utf8') });
  assert.deepEqual([copy.chats, copy.skipped, copy.copied], [1, 2, 1]);
  assert.notEqual(copy.chatId, parser.id);
  assert.equal((await call('session/get', { id: parser.id })).title, 'Parser work, here');
  const copied = await call('session/get', { id: copy.chatId });
  assert.equal(copied.title, 'Parser work (imported copy)', 'the copy is named so');
  assert.deepEqual(copy.renamed, { [parser.id]: copy.chatId });
  assert.equal((await call('session/messages', { id: copy.chatId })).messages.length, 2);
});

test('one chat\'s JSON export carries the format and version, and imports back (with the instance found by its name)', async (t) => {
  const fake = await fakeOpenAI('Noted.');
  t.after(() => fake.close());
  const from = await homeWithChats(fake);
  const one = await plue(['sessions', 'export', from.chats.trip.id, '--format', 'json'], { home: from.home });
  assert.equal(one.code, 0, one.stderr);
  const file = JSON.parse(one.stdout);
  assert.equal(file.format, 'plue-sessions');
  assert.equal(file.version, 1);

  const s = startSidecar({ home: tempHome() });
  t.after(() => s.stop());
  await s.initialize({ vaultKey });
  const call = (method, params) => s.connection.sendRequest(method, params);
  const here = await call('instances/create', { displayName: 'Work Loopback', catalogProviderId: 'openai', endpoint: fake.endpoint, apiKey: 'loopback-node-transfer-9876543210' });
  const result = await call('session/import', { json: one.stdout });
  assert.equal(result.chats, 1);
  assert.equal(result.chatId, from.chats.trip.id);
  assert.deepEqual(result.missingInstances, []);
  assert.equal((await call('session/get', { id: result.chatId })).instanceId, here.id, 'the instance of that name here');
});

test('a newer, a cut or a malformed file is refused in the user\'s words, with nothing written', async (t) => {
  const fake = await fakeOpenAI('Noted.');
  t.after(() => fake.close());
  const from = await homeWithChats(fake);
  const text = (await plue(['sessions', 'export', '--all'], { home: from.home })).stdout;
  const s = startSidecar({ home: tempHome() });
  t.after(() => s.stop());
  await s.initialize({ vaultKey });
  const call = (method, params) => s.connection.sendRequest(method, params);
  const refused = async (json, pattern) => {
    await assert.rejects(call('session/import', { json }), (e) => e.code === -32602 && pattern.test(e.message) && /Nothing was imported/.test(e.message));
  };

  await refused(text.replace('"version": 1', '"version": 2'), /exported by a newer Plue \(sessions file version 2; this Plue reads version 1\)\. Update Plue/);
  const lines = text.split('\n');
  await refused(lines.slice(0, 12).join('\n'), /^This file ends early at line 12: it was cut short/);
  const broken = lines.map((l, i) => (i === 20 ? l.replace(':', ' ') : l)).join('\n');
  await refused(broken, /^This file is not valid JSON: line 21, column \d+/);
  await refused('{"session": {}, "messages": []}', /not a Plue sessions file \(it has no "format"\)/);
  // Only chats and tasks: a provider or an MCP server (which runs a command) in a file is never written.
  const server = JSON.parse(text);
  server.records.push({ kind: 'task', record: { ...server.records[0].record, id: 'mcp-1', slug: 'evil', templateId: 'mcp-server', fields: { command: 'rm' } }, messages: [] });
  await refused(JSON.stringify(server), /is a mcp-server record, not a chat or a task/);
  // A record whose messages break the store half-way (one message twice): the records before it are not written either.
  const file = JSON.parse(text);
  const last = file.records.filter((r) => r.messages.length > 0).at(-1);
  assert.notEqual(last, file.records[0], 'a record is written before it');
  last.messages = [...last.messages, ...last.messages];
  last.record.id = 'a-new-id-so-it-is-written';
  await assert.rejects(call('session/import', { json: JSON.stringify(file) }), (e) => e.code === -32602 && /Nothing was imported/.test(e.message));
  assert.deepEqual((await call('codex/list', {})).items.filter((r) => r.templateId !== 'llm-provider').map((r) => r.title), []);

  const cli = await plue(['sessions', 'import', path.join(path.dirname(from.home), 'missing.json')], { home: s.home });
  assert.equal(cli.code, 2);
  assert.match(cli.stderr, /Cannot import '.*missing\.json': it does not exist/);
});

test('a store a newer Plue wrote is refused (-33006, its path and versions), left byte for byte, and the sidecar keeps answering', async (t) => {
  const home = tempHome();
  assert.equal((await plue(['sessions', 'list'], { home })).code, 0);
  const store = path.join(home, 'plue.db');
  // Through SQLite, not by the header's bytes: a write-ahead log left beside the file (a process that ended with its
  // connection open) holds page 1 too, and would hide an edit of the file's header (seen once in a CI run).
  execFileSync('python3', ['-c', `import sqlite3; c = sqlite3.connect(${JSON.stringify(store)}); c.execute("PRAGMA user_version = 99"); c.commit(); c.execute("PRAGMA wal_checkpoint(TRUNCATE)"); c.close()`]);
  const before = crypto.createHash('sha256').update(fs.readFileSync(store)).digest('hex');

  const s = startSidecar({ home });
  t.after(() => s.stop());
  await s.initialize({ vaultKey });
  for (const method of ['session/list', 'task/list', 'session/exportAll']) {
    await assert.rejects(s.connection.sendRequest(method, {}), (e) => {
      assert.equal(e.code, -33006, `${method}: ${e.message}`);
      assert.deepEqual(e.data, { store, version: 99, readsUpTo: e.data.readsUpTo });
      assert.match(e.message, /saved by a newer version of Plue \(store version 99; this one reads up to \d+\)\. Nothing was changed\. Update Plue to open them, or export them with the newer Plue \(plue sessions export --all\)/);
      return true;
    });
  }
  assert.equal((await s.connection.sendRequest('plue/status', {})).plueHome, home);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.equal(s.child.exitCode, null, 'the sidecar still runs');
  assert.doesNotMatch(s.stderr(), / {3}at Plue\./, 'no stack trace');
  const cli = await plue(['sessions', 'list'], { home });
  assert.equal(cli.code, 1);
  assert.match(cli.stderr, /saved by a newer version of Plue/);
  await s.stop();
  assert.equal(crypto.createHash('sha256').update(fs.readFileSync(store)).digest('hex'), before, 'the store is unchanged');
  assert.deepEqual(fs.readdirSync(home).filter((f) => f.endsWith('.bak')), []);
});

test('ImportKeepsText: a chat whose transcript differs from the one here is kept beside it as a copy, never skipped; the same one is skipped', async (t) => {
  const fake = await fakeOpenAI('Somewhere warm.');
  t.after(() => fake.close());
  const from = await homeWithChats(fake);
  const one = await plue(['sessions', 'export', from.chats.trip.id, '--format', 'json'], { home: from.home });
  assert.equal(one.code, 0, one.stderr);
  // The same version and last change, the same number of messages, one answer's text changed.
  const file = JSON.parse(one.stdout);
  const answer = file.messages.find((m) => m.role === 'assistant');
  answer.parts.find((p) => p.kind === 'text').text = 'Somewhere cold, edited elsewhere.';
  const edited = JSON.stringify(file);

  const s = startSidecar({ home: from.home });
  t.after(() => s.stop());
  await s.initialize({ vaultKey });
  const call = (method, params) => s.connection.sendRequest(method, params);
  const same = await call('session/import', { json: one.stdout });
  assert.deepEqual({ chats: same.chats, skipped: same.skipped, renamed: same.renamed }, { chats: 0, skipped: 1, renamed: {} }, 'the very same chat is skipped');

  const result = await call('session/import', { json: edited });
  assert.deepEqual({ chats: result.chats, skipped: result.skipped, copied: result.copied }, { chats: 1, skipped: 0, copied: 1 });
  assert.notEqual(result.chatId, from.chats.trip.id);
  assert.deepEqual(result.renamed, { [from.chats.trip.id]: result.chatId }, 'the result says which id the copy got');
  assert.match(result.message, /imported as a copy/);
  const textOf = async (id) => (await call('session/messages', { id })).messages.filter((m) => m.role === 'assistant').map((m) => m.parts.find((p) => p.kind === 'text').text);
  assert.deepEqual(await textOf(from.chats.trip.id), ['Somewhere warm.'], 'the chat here is untouched');
  assert.deepEqual(await textOf(result.chatId), ['Somewhere cold, edited elsewhere.'], 'the incoming text is kept');
  assert.equal((await call('session/get', { id: result.chatId })).title, `${from.chats.trip.title} (imported copy)`);
});

test('ImportChecksIds: an imported chat whose id is a path gets an id of the store\'s own, and the result says so', async (t) => {
  const fake = await fakeOpenAI('Noted.');
  t.after(() => fake.close());
  const from = await homeWithChats(fake);
  const one = await plue(['sessions', 'export', from.chats.trip.id, '--format', 'json'], { home: from.home });
  const file = JSON.parse(one.stdout);
  const pathLike = '../../../../etc/passwd';
  file.record.id = pathLike;
  file.session.id = pathLike;
  for (const message of file.messages) message.sessionId = pathLike;

  const s = startSidecar({ home: tempHome() });
  t.after(() => s.stop());
  await s.initialize({ vaultKey });
  const result = await s.connection.sendRequest('session/import', { json: JSON.stringify(file) });
  assert.equal(result.chats, 1);
  assert.match(result.chatId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.deepEqual(result.renamed, { [pathLike]: result.chatId });
  assert.match(result.message, /not one Plue makes/);
  const { messages } = await s.connection.sendRequest('session/messages', { id: result.chatId });
  assert.equal(messages.length, file.messages.length, 'its transcript came with it');
  await assert.rejects(s.connection.sendRequest('session/get', { id: pathLike }), (e) => e.code === -33001);
});
