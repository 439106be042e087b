// Templates, codex records and prompts through the real sidecar process.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startSidecar, within } = require('./support/sidecar');

test('an edited home template reloads and the client is told with templates/changed', async (t) => {
  const s = startSidecar();
  t.after(() => s.stop());
  await s.initialize();
  const dir = path.join(s.home, 'templates');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'note.json5'), '{ id: "note", name: "Note", fields: { body: { type: "textarea", required: true } } }');
  // The registry may have loaded already (task recovery reads records at initialize): then its watcher picks
  // the new file up after a short settling delay, so wait for it rather than expect it at once.
  let list = [];
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    list = await s.connection.sendRequest('templates/list', {});
    if (list.some((x) => x.id === 'note')) break;
  }
  assert.ok(list.some((x) => x.id === 'note' && x.usable), 'the new home template is listed and usable');

  const changed = new Promise((resolve) => s.connection.onNotification('templates/changed', resolve));
  fs.writeFileSync(path.join(dir, 'note.json5'), '{ id: "note", name: "Note v2",\n  fields: { body: { type: "nope" } } }');
  const notice = await within(10_000, changed, 'templates/changed');
  assert.ok(!notice.ids.includes('note'), 'the broken template is no longer usable');

  list = await s.connection.sendRequest('templates/list', {});
  const note = list.find((x) => x.id === 'note');
  assert.equal(note.usable, false);
  assert.match(note.problems[0], /note\.json5:2:27: field 'body' has unknown type 'nope'/);
  assert.ok(list.filter((x) => x.usable).length >= 6, 'the shipped templates still load');
});

test('a record survives the sidecar being killed, and undo restores a deleted one', async (t) => {
  const first = startSidecar();
  t.after(() => first.stop());
  await first.initialize();
  const created = await first.connection.sendRequest('codex/create', {
    templateId: 'task-code-writer', title: 'Fix the flaky test', fields: { goal: 'Make it pass reliably' }, tags: ['ci'],
  });
  first.child.kill('SIGKILL');
  await first.exited;

  const second = startSidecar({ home: first.home });
  t.after(() => second.stop());
  await second.initialize();
  const again = await second.connection.sendRequest('codex/get', { id: created.id });
  assert.deepEqual(again, created);
  await second.connection.sendRequest('codex/delete', { id: created.id });
  await assert.rejects(second.connection.sendRequest('codex/get', { id: created.id }), (e) => e.code === -33001);
  const undone = await second.connection.sendRequest('codex/undo', { id: created.id });
  assert.equal(undone.record.slug, 'fix-the-flaky-test');
  assert.equal((await second.connection.sendRequest('codex/list', { templateId: 'task', tags: ['ci'] })).items.length, 1);
  for (const f of ['plue.db']) assert.equal(fs.statSync(path.join(first.home, f)).mode & 0o777, 0o600);
});

test('a prompt reference cannot climb out of its root', async (t) => {
  const s = startSidecar();
  t.after(() => s.stop());
  await s.initialize();
  for (const ref of ['codex://prompts/../../etc/passwd.md', 'codex://prompts/%2e%2e/x.md', 'codex:///etc/passwd']) {
    await assert.rejects(s.connection.sendRequest('prompts/get', { ref }), (e) => e.code === -32602, ref);
  }
  const prompt = await s.connection.sendRequest('prompts/get', { ref: 'codex://prompts/orchestrator-agent.md' });
  assert.equal(prompt.info.source, 'shipped');
  assert.ok(prompt.content.startsWith('# '));
});
