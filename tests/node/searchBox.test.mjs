// What Search Chats and Tasks (extension/src/chat/searchHistory.ts) sends and shows, through its vscode-free half
// (extension/src/shared/searchQuery.ts, bundled from the source as the extension is) against the real sidecar: the
// filters typed in the box, names resolved to ids, and rows that show names, never ids.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';

const { root, startSidecar } = createRequire(import.meta.url)('./support/sidecar.js');

async function searchQuery() {
  const built = await esbuild.build({ entryPoints: [path.join(root, 'extension/src/shared/searchQuery.ts')], bundle: true, format: 'esm', write: false, platform: 'node' });
  return import(`data:text/javascript;base64,${Buffer.from(built.outputFiles[0].text).toString('base64')}`);
}

test('the box reads words and filters; quoted values, unknown kinds and sorts are said', async () => {
  const { parseSearch } = await searchQuery();
  assert.deepEqual(parseSearch('spice markets tag:travel instance:"Work Loopback" after:2026-11-01 before:2026-11-30 kind:chat sort:newest mode:Ask'), {
    words: 'spice markets', tag: 'travel', instance: 'Work Loopback', from: '2026-11-01', to: '2026-11-30', kind: 'chat', sort: 'newest', mode: 'Ask', problems: [],
  });
  assert.deepEqual(parseSearch('  zanzibar  '), { words: 'zanzibar', problems: [] });
  assert.deepEqual(parseSearch('kind:chats sort:best x').problems, ['kind: is chat or task, not "chats"', 'sort: is relevance, newest or oldest, not "best"']);
  assert.equal(parseSearch('tag: half typed').words, 'half typed');
});

test('the box searches the sidecar with the instance and mode named, and its rows name the instance, never an id', async (t) => {
  const { parseSearch, searchParams, hitRow } = await searchQuery();
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'Noted.' }, finish_reason: 'stop' }] })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${server.address().port}/v1`;
  const s = startSidecar();
  t.after(async () => { server.close(); await s.stop(); });
  await s.initialize({ vaultKey: Buffer.alloc(32, 10).toString('base64') });
  const call = (method, params) => s.connection.sendRequest(method, params);
  const work = await call('instances/create', { displayName: 'Work Loopback', catalogProviderId: 'openai', endpoint, apiKey: 'sk-node-box-0123456789' });
  const home = await call('instances/create', { displayName: 'Home Loopback', catalogProviderId: 'openai', endpoint, apiKey: 'sk-node-box-9876543210' });
  for (const [instance, title] of [[work, 'Trip plans'], [home, 'Trip books']]) {
    const session = await call('session/create', { instanceId: instance.id, modelId: 'gpt-node', allowUnlisted: true, title });
    await call('session/send', { sessionId: session.id, text: 'first' });
    await call('session/send', { sessionId: session.id, text: 'second' });
    await call('session/send', { sessionId: session.id, text: `the spice markets of Zanzibar, says ${title}` });
  }
  const instances = (await s.connection.sendRequest('instances/list')).map((i) => ({ id: i.id, name: i.displayName }));
  const modes = (await s.connection.sendRequest('session/modes')).map((m) => ({ id: m.id, name: m.name }));

  const { params, problems } = searchParams(parseSearch('zanzibar instance:work mode:agent'), instances, modes);
  assert.deepEqual(problems, []);
  assert.equal(params.instanceId, work.id);
  const { hits } = await call('session/search', params);
  assert.deepEqual(hits.map((h) => h.title), ['Trip plans']);
  const row = hitRow(hits[0]);
  assert.equal(row.label, '$(comment-discussion) Trip plans');
  assert.match(row.description, /^Work Loopback · gpt-node · Agent · /);
  assert.match(row.detail, /spice markets of Zanzibar, says Trip plans/);
  for (const shown of [row.label, row.description, row.detail]) {
    assert.ok(!shown.includes(hits[0].id) && !shown.includes(work.id), `an id shows: ${shown}`);
  }

  assert.deepEqual(searchParams(parseSearch('zanzibar instance:Nope'), instances, modes).problems, [`instance: none is called "Nope" (${instances.map((i) => i.name).join(', ')})`]);
  const both = await call('session/search', searchParams(parseSearch('zanzibar sort:oldest'), instances, modes).params);
  assert.deepEqual(both.hits.map((h) => h.title), ['Trip plans', 'Trip books']);
});
