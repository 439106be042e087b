// The design notes' four templates, dropped unchanged into PLUE_HOME/templates, through the real sidecar process.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startSidecar, tempHome, root } = require('./support/sidecar');

const notes = path.join(root, 'tests', 'fixtures', 'templates', 'design-notes');

function homeWithNotes() {
  const home = path.join(tempHome(), 'home');
  fs.mkdirSync(path.join(home, 'templates'), { recursive: true });
  for (const file of fs.readdirSync(notes).filter((f) => f.endsWith('.json5')))
    fs.copyFileSync(path.join(notes, file), path.join(home, 'templates', file));
  return home;
}

test('the four design-notes templates load unchanged, usable, with their metadata', async (t) => {
  const s = startSidecar({ home: homeWithNotes() });
  t.after(() => s.stop());
  await s.initialize();

  const list = await s.connection.sendRequest('templates/list', {});
  const home = list.filter((x) => x.source === 'home');
  assert.deepEqual(home.map((x) => x.id).sort(), ['ai-chat', 'llm-provider', 'task-code-writer', 'task-orchestrator']);
  for (const x of home) {
    assert.equal(x.usable, true, `${x.id}: ${x.problems.join('\n')}`);
    assert.deepEqual(x.diagnostics.filter((d) => d.severity === 'error'), []);
  }
  const provider = await s.connection.sendRequest('templates/get', { id: 'llm-provider' });
  assert.deepEqual(provider.metadata, { icon: '🤖', color: '#7C3AED' });
  assert.equal(provider.versionText, '1.0.0');
  assert.deepEqual(provider.fields.find((f) => f.name === 'api_key_ref').conditional, { field: 'provider_type', value: ['anthropic', 'openai'] });

  // A provider in the notes' words, with a slug holding dots, named by the orchestrator's default.
  const record = await s.connection.sendRequest('codex/create', {
    templateId: 'llm-provider', title: 'Claude 4.5 Sonnet', slug: 'claude-4.5-sonnet',
    fields: { provider_type: 'anthropic', model: 'claude-sonnet-4-5', api_key_ref: 'vault://anthropic/api_key' },
  });
  assert.equal(record.ref, 'codex://providers/claude-4.5-sonnet');
  const resolved = await s.connection.sendRequest('codex/resolve', { ref: 'codex://providers/claude-4.5-sonnet' });
  assert.equal(resolved.record.id, record.id);
});

test("a user's template named like a shipped one is a warning where template problems show: what it takes away and the way back", async (t) => {
  const s = startSidecar({ home: homeWithNotes() });
  t.after(() => s.stop());
  await s.initialize();
  const file = path.join(s.home, 'templates', 'llm-provider.json5');

  const list = await s.connection.sendRequest('templates/list', {});
  const mine = list.find((x) => x.id === 'llm-provider' && x.source === 'home');
  const warning = mine.diagnostics.find((d) => /replaces the shipped/.test(d.message));
  assert.ok(warning, `no warning on the replacement: ${JSON.stringify(mine.diagnostics)}`);
  assert.equal(warning.severity, 'warning');
  assert.match(warning.message, /^replaces the shipped llm-provider: these providers are no longer offered: .+ and \d+ more\./);
  assert.doesNotMatch(warning.message, /OpenAI,|Anthropic,|Ollama/, 'a provider the template still offers is listed as lost');
  assert.match(warning.message, /give this one another id or delete the file/);
  const chat = list.find((x) => x.id === 'ai-chat' && x.source === 'home');
  assert.ok(chat.diagnostics.some((d) => /^replaces the shipped ai-chat\. To have/.test(d.message)), 'a replaced chat template is not told');
  assert.equal(list.filter((x) => x.source === 'shipped').some((x) => x.diagnostics.some((d) => /replaces/.test(d.message))), false);

  // The open editor's check says it too.
  const checked = await s.connection.sendRequest('templates/validate', { file, text: fs.readFileSync(file, 'utf8') });
  assert.ok(checked.diagnostics.some((d) => d.severity === 'warning' && /^replaces the shipped llm-provider/.test(d.message)));
});

test('templates/validate reports unsaved text with positions and severities, loading nothing', async (t) => {
  const s = startSidecar({ home: homeWithNotes() });
  t.after(() => s.stop());
  await s.initialize();
  const file = path.join(s.home, 'templates', 'llm-provider.json5');
  const text = fs.readFileSync(file, 'utf8').replace('type: "url"', 'type: "link"').replace('version: "1.0.0",', 'version: "1.0.0",\n  owner: "me",');

  const result = await s.connection.sendRequest('templates/validate', { file, text });

  assert.equal(result.id ?? null, null, 'no id: the text would not load');
  const error = result.diagnostics.find((d) => d.severity === 'error');
  assert.match(error.message, /field 'endpoint' has unknown type 'link'/);
  assert.equal(text.split('\n')[error.line - 1].includes('"link"'), true, 'the error is on the line that says "link"');
  const warning = result.diagnostics.find((d) => d.severity === 'warning');
  assert.match(warning.message, /unknown template member 'owner'/);
  assert.equal(warning.line, 6);
  const list = await s.connection.sendRequest('templates/list', {});
  assert.equal(list.find((x) => x.id === 'llm-provider' && x.source === 'home').usable, true, 'the file on disk still loads');
});

test('each template tells the record kind whose feature keeps its records: the nearest in its lineage, a user\'s template too', async (t) => {
  const home = path.join(tempHome(), 'home');
  fs.mkdirSync(path.join(home, 'templates'), { recursive: true });
  fs.writeFileSync(path.join(home, 'templates', 'task-release-notes.json5'), `{
    id: "task-release-notes", name: "Release notes", description: "Drafts the release notes.", version: 1, parent_template: "task",
  }`);
  fs.writeFileSync(path.join(home, 'templates', 'note.json5'), `{
    id: "note", name: "Note", description: "A note.", version: 1, collection: "notes", fields: { body: { type: "text" } },
  }`);
  const s = startSidecar({ home });
  t.after(() => s.stop());
  await s.initialize();

  const kinds = Object.fromEntries((await s.connection.sendRequest('templates/list', {})).map((x) => [x.id, x.kind ?? null]));
  assert.deepEqual(
    ['llm-provider', 'ai-chat', 'task', 'task-code-writer', 'task-release-notes', 'mcp-server', 'catalog', 'note'].map((id) => [id, kinds[id]]),
    [['llm-provider', 'llm-provider'], ['ai-chat', 'ai-chat'], ['task', 'task'], ['task-code-writer', 'task'], ['task-release-notes', 'task'], ['mcp-server', 'mcp-server'], ['catalog', 'catalog'], ['note', null]]);
  assert.equal((await s.connection.sendRequest('templates/get', { id: 'task-release-notes' })).kind, 'task');
  assert.equal((await s.connection.sendRequest('templates/get', { id: 'note' })).kind, undefined, 'a template no feature keeps has a kind');
});
