// Each golden exchange in tests/fixtures/protocol, sent by vscode-jsonrpc to the real sidecar process.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { ResponseError } = require('vscode-jsonrpc/node');
const { startSidecar, root } = require('./support/sidecar');
const { mismatch } = require('./support/jsonShape');

const dir = path.join(root, 'tests', 'fixtures', 'protocol');
const fakeOpenAI = require('node:url').pathToFileURL(path.join(root, 'tests', 'e2e', 'support', 'fakeOpenAI.mjs')).href;

/** The fixture's provider (README: "fakeOpenAI"): every chat answered "Done.", or held until the client leaves. */
async function startProvider(mode) {
  if (mode === undefined) return undefined;
  const { startFakeOpenAI } = await import(fakeOpenAI);
  const reply = mode === 'holds' ? { before: new Promise(() => {}) } : { text: 'Done.', gapMs: 0, usage: { prompt_tokens: 2000, completion_tokens: 2 } };
  return startFakeOpenAI({ models: ['gpt-5-mini'], respond: () => reply });
}

/** Whether `result` has each member `until` names with that value. */
const reached = (until, result) => Object.entries(until).every(([k, v]) => JSON.stringify(result?.[k]) === JSON.stringify(v));

async function call(connection, { method, params }) {
  try {
    return { result: params === undefined ? await connection.sendRequest(method) : await connection.sendRequest(method, params) };
  } catch (e) {
    if (!(e instanceof ResponseError)) throw e;
    const error = { code: e.code, message: e.message };
    if (e.data !== undefined) error.data = e.data;
    return { error };
  }
}

for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  test(`fixture ${file}`, async (t) => {
    const s = startSidecar();
    t.after(() => s.stop());
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const provider = await startProvider(JSON.parse(text).fakeOpenAI);
    if (provider) t.after(() => provider.close());
    const fixture = JSON.parse(text.replaceAll('<home>', s.home).replaceAll('<fakeOpenAI>', provider?.endpoint ?? '<fakeOpenAI>'));
    // "homeFiles" ({name: base64}) are written into PLUE_HOME first, e.g. a vault made with another key.
    fs.mkdirSync(s.home, { recursive: true });
    for (const [name, content] of Object.entries(fixture.homeFiles ?? {})) fs.writeFileSync(path.join(s.home, name), Buffer.from(content, 'base64'));
    if (fixture.initialized !== false) await s.initialize(fixture.initializationOptions ?? {});

    // Setup requests run first; "<setupN.member>" (in the request or a later setup) stands for a member of setup N's result.
    const results = [];
    const resolve = (message) => JSON.parse(JSON.stringify(message).replace(/<setup(\d+)\.(\w+)>/g, (_, n, member) => results[Number(n)][member]));
    // A setup with "until" is sent again until its result has those members (a task that ran to its end).
    for (const { until, ...setup } of fixture.setup ?? []) {
      let answer;
      for (const deadline = Date.now() + 30_000; ; await new Promise((r) => setTimeout(r, 100))) {
        answer = await call(s.connection, resolve(setup));
        assert.ok(answer.result !== undefined, `setup failed: ${JSON.stringify(answer)}`);
        if (!until || reached(until, answer.result)) break;
        assert.ok(Date.now() < deadline, `setup never reached ${JSON.stringify(until)}: ${JSON.stringify(answer.result)}`);
      }
      results.push(answer.result);
    }
    const request = resolve(fixture.request);
    // vscode-jsonrpc assigns its own ids; the fixture's id stands for "the id of this request".
    const answer = { jsonrpc: '2.0', id: fixture.request.id, ...(await call(s.connection, request)) };
    assert.equal(mismatch(fixture.response, answer), null, JSON.stringify(answer));
  });
}
